import { asc, desc, gte, inArray, isNull, or } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import {
  components,
  componentSources,
  incidentComponents,
  incidents,
  incidentUpdates,
  maintenanceComponents,
  maintenances,
  maintenanceUpdates,
  severityChanges,
  sources,
} from '../../db/schema/index.ts';
import { groupBy } from '../lib/group-by.ts';

export type ComponentRow = typeof components.$inferSelect;
export type SourceRow = typeof sources.$inferSelect;
export type IncidentRow = typeof incidents.$inferSelect;
export type MaintenanceRow = typeof maintenances.$inferSelect;

export interface IncidentView extends IncidentRow {
  updates: (typeof incidentUpdates.$inferSelect)[];
  components: { componentId: string; status: string }[];
  severityHistory: (typeof severityChanges.$inferSelect)[];
}

export interface MaintenanceView extends MaintenanceRow {
  updates: (typeof maintenanceUpdates.$inferSelect)[];
  componentIds: string[];
}

/** Everything the public page and API show, read in one place. */
export interface PublishedState {
  components: ComponentRow[];
  sourcesByComponent: Map<string, SourceRow[]>;
  sources: SourceRow[];
  incidents: IncidentView[];
  maintenances: MaintenanceView[];
  updatedAt: Date;
}

/** How far back closed incidents and maintenances are published (Statuspage lists about the last 50). */
export const HISTORY_DAYS = 90;
export const HISTORY_LIMIT = 50;

export async function loadPublishedState(db: DbOrTx, now: Date): Promise<PublishedState> {
  const since = new Date(now.getTime() - HISTORY_DAYS * 86_400_000);
  const [componentRows, sourceRows, links, incidentRows, maintenanceRows] = await Promise.all([
    db.select().from(components).where(isNull(components.retiredAt)).orderBy(asc(components.position)),
    db.select().from(sources).orderBy(asc(sources.id)),
    db.select().from(componentSources),
    db
      .select()
      .from(incidents)
      .where(or(isNull(incidents.resolvedAt), gte(incidents.resolvedAt, since)))
      .orderBy(desc(incidents.startedAt))
      .limit(500),
    db
      .select()
      .from(maintenances)
      .where(or(gte(maintenances.endsAt, since), inArray(maintenances.status, ['scheduled', 'in_progress', 'verifying'])))
      .orderBy(desc(maintenances.startsAt))
      .limit(500),
  ]);
  // Open incidents always; closed ones up to the history limit.
  let closedKept = 0;
  const shownIncidents = incidentRows.filter((i) => !i.resolvedAt || closedKept++ < HISTORY_LIMIT);
  const incidentIds = shownIncidents.map((i) => i.id);
  const maintenanceIds = maintenanceRows.map((m) => m.id);
  const [updates, affected, history, mUpdates, mComponents] = await Promise.all([
    incidentIds.length ? db.select().from(incidentUpdates).where(inArray(incidentUpdates.incidentId, incidentIds)).orderBy(desc(incidentUpdates.createdAt)) : [],
    incidentIds.length ? db.select().from(incidentComponents).where(inArray(incidentComponents.incidentId, incidentIds)).orderBy(asc(incidentComponents.position)) : [],
    incidentIds.length ? db.select().from(severityChanges).where(inArray(severityChanges.incidentId, incidentIds)).orderBy(asc(severityChanges.changedAt)) : [],
    maintenanceIds.length ? db.select().from(maintenanceUpdates).where(inArray(maintenanceUpdates.maintenanceId, maintenanceIds)).orderBy(desc(maintenanceUpdates.createdAt)) : [],
    maintenanceIds.length ? db.select().from(maintenanceComponents).where(inArray(maintenanceComponents.maintenanceId, maintenanceIds)) : [],
  ]);

  const sourceById = new Map(sourceRows.map((s) => [s.id, s]));
  const sourcesByComponent = new Map<string, SourceRow[]>();
  for (const link of links) {
    const source = sourceById.get(link.sourceId);
    if (!source) continue;
    const list = sourcesByComponent.get(link.componentId) ?? [];
    list.push(source);
    sourcesByComponent.set(link.componentId, list);
  }

  const updatesByIncident = groupBy(updates, (u) => u.incidentId);
  const affectedByIncident = groupBy(affected, (a) => a.incidentId);
  const historyByIncident = groupBy(history, (h) => h.incidentId);
  const updatesByMaintenance = groupBy(mUpdates, (u) => u.maintenanceId);
  const componentsByMaintenance = groupBy(mComponents, (c) => c.maintenanceId);
  const incidentViews: IncidentView[] = shownIncidents.map((i) => ({
    ...i,
    updates: updatesByIncident.get(i.id) ?? [],
    components: (affectedByIncident.get(i.id) ?? []).map((a) => ({ componentId: a.componentId, status: a.status })),
    severityHistory: historyByIncident.get(i.id) ?? [],
  }));
  const maintenanceViews: MaintenanceView[] = maintenanceRows.map((m) => ({
    ...m,
    updates: updatesByMaintenance.get(m.id) ?? [],
    componentIds: (componentsByMaintenance.get(m.id) ?? []).map((c) => c.componentId),
  }));

  const stamps = [
    ...componentRows.map((c) => c.updatedAt.getTime()),
    ...incidentRows.map((i) => i.updatedAt.getTime()),
    ...maintenanceRows.map((m) => m.updatedAt.getTime()),
    ...sourceRows.map((s) => (s.stateSince ?? s.updatedAt).getTime()),
  ];
  return {
    components: componentRows,
    sourcesByComponent,
    sources: sourceRows,
    incidents: incidentViews,
    maintenances: maintenanceViews,
    updatedAt: new Date(stamps.length ? Math.max(...stamps) : now.getTime()),
  };
}
