import { asc, desc, gte, inArray, isNull, or } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { components, componentSources, incidentComponents, incidents, maintenanceComponents, maintenances, sources } from '../../db/schema/index.ts';
import { effectiveMaintenanceStatus, type ConditionInputs } from './derive.ts';
import { HISTORY_DAYS, type SourceRow } from './read-model.ts';
import { isClosedStatus } from './vocabulary.ts';

/**
 * What the components' conditions depend on, without the incidents' and windows' timelines. An admin write answers
 * with the incident (or window) and the current status of each component it names; reading the whole published
 * state for that (hundreds of incidents with every update) made each write cost as much as a page rebuild.
 * The incident and window rows are chosen exactly as `loadPublishedState` chooses them, so the statuses are the
 * public page's.
 */
export async function loadConditionInputs(db: DbOrTx, now: Date): Promise<ConditionInputs> {
  const since = new Date(now.getTime() - HISTORY_DAYS * 86_400_000);
  const [componentRows, sourceRows, links, incidentRows, maintenanceRows] = await Promise.all([
    db.select().from(components).where(isNull(components.retiredAt)).orderBy(asc(components.position)),
    db.select().from(sources).orderBy(asc(sources.id)),
    db.select().from(componentSources),
    db
      .select({ id: incidents.id, status: incidents.status })
      .from(incidents)
      .where(or(isNull(incidents.resolvedAt), gte(incidents.resolvedAt, since)))
      .orderBy(desc(incidents.startedAt))
      .limit(500),
    db
      .select({ id: maintenances.id, status: maintenances.status, startsAt: maintenances.startsAt, endsAt: maintenances.endsAt })
      .from(maintenances)
      .where(or(gte(maintenances.endsAt, since), inArray(maintenances.status, ['scheduled', 'in_progress', 'verifying'])))
      .orderBy(desc(maintenances.startsAt))
      .limit(500),
  ]);
  // Only open incidents and windows under way change a component's status: only their links are read.
  const open = incidentRows.filter((i) => !isClosedStatus(i.status));
  const openIds = open.map((i) => i.id);
  const activeIds = maintenanceRows
    .filter((m) => ['in_progress', 'verifying'].includes(effectiveMaintenanceStatus(m, now)))
    .map((m) => m.id);
  const [affected, windowLinks] = await Promise.all([
    openIds.length
      ? db
          .select({ incidentId: incidentComponents.incidentId, componentId: incidentComponents.componentId, status: incidentComponents.status })
          .from(incidentComponents)
          .where(inArray(incidentComponents.incidentId, openIds))
      : [],
    activeIds.length ? db.select().from(maintenanceComponents).where(inArray(maintenanceComponents.maintenanceId, activeIds)) : [],
  ]);

  const sourceById = new Map(sourceRows.map((s) => [s.id, s]));
  const sourcesByComponent = new Map<string, SourceRow[]>();
  for (const link of links) {
    const source = sourceById.get(link.sourceId);
    if (!source) continue;
    sourcesByComponent.set(link.componentId, [...(sourcesByComponent.get(link.componentId) ?? []), source]);
  }
  const affectedOf = new Map<string, { componentId: string; status: string }[]>();
  for (const a of affected) affectedOf.set(a.incidentId, [...(affectedOf.get(a.incidentId) ?? []), a]);
  const windowComponents = new Map<string, string[]>();
  for (const l of windowLinks) windowComponents.set(l.maintenanceId, [...(windowComponents.get(l.maintenanceId) ?? []), l.componentId]);
  return {
    components: componentRows,
    sourcesByComponent,
    incidents: open.map((i) => ({ status: i.status, components: affectedOf.get(i.id) ?? [] })),
    maintenances: maintenanceRows.filter((m) => activeIds.includes(m.id)).map((m) => ({ ...m, componentIds: windowComponents.get(m.id) ?? [] })),
  };
}
