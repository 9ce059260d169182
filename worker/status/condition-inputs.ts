import { and, asc, desc, eq, gte, inArray, isNull, notInArray, or } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { components, componentSources, incidentComponents, incidents, maintenanceComponents, maintenances, sources } from '../../db/schema/index.ts';
import { effectiveMaintenanceStatus, type ConditionInputs } from './derive.ts';
import { HISTORY_DAYS, HISTORY_LIMIT, type SourceRow } from './read-model.ts';

/**
 * What the conditions of some components depend on, without any incident's or window's timeline. An admin write
 * answers with the incident (or window) and the current status of each component it names; reading the whole
 * published state for that (hundreds of incidents with every update) made each write cost as much as a rebuild of
 * the public page. Only the named components, their sources, and the links of open incidents and windows under way
 * that touch them are read. Incidents and windows count exactly when `loadPublishedState` would publish them, so the
 * statuses are the public page's.
 */
export async function loadConditionInputs(db: DbOrTx, now: Date, componentIds: readonly string[]): Promise<ConditionInputs> {
  const ids = [...new Set(componentIds)];
  if (!ids.length) return { components: [], sourcesByComponent: new Map(), incidents: [], maintenances: [] };
  const since = new Date(now.getTime() - HISTORY_DAYS * 86_400_000);
  // The closed incidents the published state holds (the same filter, order and limit as loadPublishedState), as a
  // subquery; every open one is published.
  const closedPublished = db
    .select({ id: incidents.id })
    .from(incidents)
    .where(gte(incidents.resolvedAt, since))
    .orderBy(desc(incidents.startedAt))
    .limit(HISTORY_LIMIT);
  const [componentRows, links, affected, windowRows] = await Promise.all([
    db.select().from(components).where(and(inArray(components.id, ids), isNull(components.retiredAt))).orderBy(asc(components.position)),
    db.select().from(componentSources).where(inArray(componentSources.componentId, ids)),
    db
      .select({ incidentId: incidentComponents.incidentId, componentId: incidentComponents.componentId, status: incidentComponents.status, incidentStatus: incidents.status })
      .from(incidentComponents)
      .innerJoin(incidents, eq(incidents.id, incidentComponents.incidentId))
      .where(
        and(
          inArray(incidentComponents.componentId, ids),
          notInArray(incidents.status, ['resolved', 'postmortem']),
          or(isNull(incidents.resolvedAt), inArray(incidentComponents.incidentId, closedPublished)),
        ),
      ),
    db
      .select({ id: maintenances.id, status: maintenances.status, startsAt: maintenances.startsAt, endsAt: maintenances.endsAt })
      .from(maintenances)
      .where(or(gte(maintenances.endsAt, since), inArray(maintenances.status, ['scheduled', 'in_progress', 'verifying'])))
      .orderBy(desc(maintenances.startsAt))
      .limit(500),
  ]);
  const active = windowRows.filter((m) => ['in_progress', 'verifying'].includes(effectiveMaintenanceStatus(m, now)));
  const sourceIds = [...new Set(links.map((l) => l.sourceId))];
  const [sourceRows, windowLinks] = await Promise.all([
    sourceIds.length ? db.select().from(sources).where(inArray(sources.id, sourceIds)) : [],
    active.length
      ? db
          .select()
          .from(maintenanceComponents)
          .where(and(inArray(maintenanceComponents.maintenanceId, active.map((m) => m.id)), inArray(maintenanceComponents.componentId, ids)))
      : [],
  ]);

  const sourceById = new Map(sourceRows.map((s) => [s.id, s]));
  const sourcesByComponent = new Map<string, SourceRow[]>();
  for (const link of links) {
    const source = sourceById.get(link.sourceId);
    if (source) sourcesByComponent.set(link.componentId, [...(sourcesByComponent.get(link.componentId) ?? []), source]);
  }
  const byIncident = new Map<string, { status: string; components: { componentId: string; status: string }[] }>();
  for (const a of affected) {
    const incident = byIncident.get(a.incidentId) ?? { status: a.incidentStatus, components: [] };
    incident.components.push({ componentId: a.componentId, status: a.status });
    byIncident.set(a.incidentId, incident);
  }
  return {
    components: componentRows,
    sourcesByComponent,
    incidents: [...byIncident.values()],
    maintenances: active.map((m) => ({ ...m, componentIds: windowLinks.filter((l) => l.maintenanceId === m.id).map((l) => l.componentId) })),
  };
}
