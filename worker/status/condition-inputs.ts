import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { jsonRows, sortedJsonArray, type SortKey } from '../../db/json-rows.ts';
import { rendered } from '../../db/statement.ts';
import { components, componentSources, incidentComponents, incidents, maintenanceComponents, maintenances, sources } from '../../db/schema/index.ts';
import { isUnderWay, type ComponentStatus, type IncidentStatus } from '../core/vocabulary.ts';
import { effectiveMaintenanceStatus, type ConditionInputs, type SourceCondition } from './derive.ts';
import { HISTORY_DAYS, HISTORY_LIMIT } from './read-model.ts';

/** How many windows the published state holds at most (`loadPublishedState` reads the 500 latest-starting). */
const PUBLISHED_WINDOWS = 500;

const componentJson = jsonRows(components);
const sourceJson = jsonRows(sources, ['paused', 'state', 'stateSince', 'createdAt']);
const windowJson = jsonRows(maintenances, ['id', 'status', 'startsAt', 'endsAt']);

const componentOrder: SortKey[] = [{ by: sql`${components.position}` }];

const conditionsQuery = rendered<{ ids: string; since: number; at: number }>(sql`
  select
    (select ${sortedJsonArray(componentJson.object, componentOrder)}
       from ${components}
       where ${components.id} in (select value from json_each(${sql.placeholder('ids')})) and ${components.retiredAt} is null) as components,
    (select json_group_array(json_object('componentId', ${componentSources.componentId}, 'source', ${sourceJson.object}))
       from ${componentSources} join ${sources} on ${sources.id} = ${componentSources.sourceId}
       where ${componentSources.componentId} in (select value from json_each(${sql.placeholder('ids')}))) as sources,
    -- The links of open incidents to these components. An open incident is published when it has no resolution
    -- time; one that has (an upstream quirk) only while among the HISTORY_LIMIT latest-started of those resolved
    -- within HISTORY_DAYS. The CASE counts that for such rows alone: in a plain OR, SQLite may count for every
    -- linked incident, resolved ones included.
    (select json_group_array(json_array(${incidentComponents.incidentId}, ${incidentComponents.componentId}, ${incidentComponents.status}, ${incidents.status}))
       from ${incidentComponents} join ${incidents} on ${incidents.id} = ${incidentComponents.incidentId}
       where ${incidentComponents.componentId} in (select value from json_each(${sql.placeholder('ids')}))
         and case
           when ${incidents.status} in ('resolved', 'postmortem') then 0
           when ${incidents.resolvedAt} is null then 1
           when ${incidents.resolvedAt} < ${sql.placeholder('since')} then 0
           else (select count(*) from ${incidents} as later
                  where later.resolved_at >= ${sql.placeholder('since')} and later.started_at > ${incidents.startedAt}) < ${HISTORY_LIMIT}
         end) as links,
    -- Windows on these components under way by their times and status (as effectiveMaintenanceStatus reads them);
    -- the published state holds such a window unless 500 windows start after it, counted for these rows alone.
    (select json_group_array(json_object('componentId', ${maintenanceComponents.componentId}, 'window', ${windowJson.object}))
       from ${maintenanceComponents} join ${maintenances} on ${maintenances.id} = ${maintenanceComponents.maintenanceId}
       where ${maintenanceComponents.componentId} in (select value from json_each(${sql.placeholder('ids')}))
         and case
           when ${maintenances.status} in ('cancelled', 'completed') or ${maintenances.endsAt} <= ${sql.placeholder('at')} then 0
           when ${maintenances.status} = 'scheduled' and ${maintenances.startsAt} > ${sql.placeholder('at')} then 0
           else (select count(*) from ${maintenances} as later
                  where (later.ends_at >= ${sql.placeholder('since')} or later.status in ('scheduled', 'in_progress', 'verifying'))
                    and later.starts_at > ${maintenances.startsAt}) < ${PUBLISHED_WINDOWS}
         end) as windows`);

/**
 * What the conditions of some components depend on, without any incident's or window's timeline. An admin write
 * answers with the incident (or window) and the current status of each component it names; reading the whole
 * published state for that (hundreds of incidents with every update) made each write cost as much as a rebuild of
 * the public page. Only the named components, their sources, and the links of open incidents and windows under way
 * that touch them are read, by indexes, so the cost follows the named components and never the size of the page;
 * incidents and windows count exactly when `loadPublishedState` would publish them, so the statuses are the public
 * page's. One statement, each part as JSON (see `db/json-rows.ts`): this runs on every admin write.
 */
export async function loadConditionInputs(db: DbOrTx, now: Date, componentIds: readonly string[]): Promise<ConditionInputs> {
  const ids = [...new Set(componentIds)];
  if (!ids.length) return { components: [], sourcesByComponent: new Map(), incidents: [], maintenances: [] };
  const [found] = await db.all<{ components: string | null; sources: string | null; links: string | null; windows: string | null }>(
    conditionsQuery({ ids: JSON.stringify(ids), since: now.getTime() - HISTORY_DAYS * 86_400_000, at: now.getTime() }),
  );

  const sourcesByComponent = new Map<string, SourceCondition[]>();
  for (const link of parse<{ componentId: string; source: Record<string, unknown> }>(found?.sources)) {
    const list = sourcesByComponent.get(link.componentId);
    const source = sourceJson.decode(link.source);
    if (list) list.push(source);
    else sourcesByComponent.set(link.componentId, [source]);
  }
  const byIncident = new Map<string, ConditionInputs['incidents'][number]>();
  for (const [incidentId, componentId, status, incidentStatus] of parse<[string, string, ComponentStatus, IncidentStatus]>(found?.links)) {
    const incident = byIncident.get(incidentId) ?? { status: incidentStatus, components: [] };
    incident.components.push({ componentId, status });
    byIncident.set(incidentId, incident);
  }
  const byWindow = new Map<string, ConditionInputs['maintenances'][number]>();
  for (const link of parse<{ componentId: string; window: Record<string, unknown> }>(found?.windows)) {
    const m = windowJson.decode(link.window);
    if (!isUnderWay(effectiveMaintenanceStatus(m, now))) continue;
    const window = byWindow.get(m.id) ?? { status: m.status, startsAt: m.startsAt, endsAt: m.endsAt, componentIds: [] };
    window.componentIds.push(link.componentId);
    byWindow.set(m.id, window);
  }
  return {
    components: componentJson.decodeSorted(found?.components ?? null, componentOrder),
    sourcesByComponent,
    incidents: [...byIncident.values()],
    maintenances: [...byWindow.values()],
  };
}

const parse = <T>(json: string | null | undefined): T[] => (json ? (JSON.parse(json) as T[]) : []);
