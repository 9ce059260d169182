import { asc, desc, gte, inArray, isNull, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { jsonRows, sortedJsonArray, type SortKey } from '../../db/json-rows.ts';
import { rendered } from '../../db/statement.ts';
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
import { OPEN_MAINTENANCE_STATUSES } from '../core/vocabulary.ts';
import { groupBy } from '../lib/group-by.ts';
import { inTurns } from './turns.ts';

import { HISTORY_DAYS, HISTORY_LIMIT, type IncidentRow, type IncidentView, type MaintenanceRow, type MaintenanceView, type PublishedState, type SourceRow } from './views.ts';

// The views are declared in views.ts; importers of the queries find them here too.
export type { ComponentRow, IncidentRow, IncidentView, MaintenanceRow, MaintenanceView, PublishedState, SourceRow } from './views.ts';
export { HISTORY_DAYS, HISTORY_LIMIT } from './views.ts';

/** Incidents whose timelines are read at once (a turn of the event loop each). */
const DETAILS_PER_READ = 250;

export interface LoadOptions {
  /**
   * Makes an incident's view from what was read of it (by default, `decodeIncidentView`). The text is every field of
   * the incident, its timeline, components and severity history: a caller may keep the view it made from the same
   * text before.
   */
  incidentView?: (read: IncidentViewText) => IncidentView;
}

export async function loadPublishedState(db: DbOrTx, now: Date, options: LoadOptions = {}): Promise<PublishedState> {
  const since = new Date(now.getTime() - HISTORY_DAYS * 86_400_000);
  const published = { id: incidents.id, startedAt: incidents.startedAt };
  const [componentRows, sourceRows, links, openRows, closedRows, maintenanceRows] = await inTurns(
    () => db.select().from(components).where(isNull(components.retiredAt)).orderBy(asc(components.position)),
    () => loadSources(db),
    () => db.select().from(componentSources),
    // Every open incident, however many; closed ones only up to the history limit.
    () => db.select(published).from(incidents).where(isNull(incidents.resolvedAt)).orderBy(desc(incidents.startedAt)),
    () => db.select(published).from(incidents).where(gte(incidents.resolvedAt, since)).orderBy(desc(incidents.startedAt)).limit(HISTORY_LIMIT),
    () =>
      db
        .select()
        .from(maintenances)
        .where(or(gte(maintenances.endsAt, since), inArray(maintenances.status, [...OPEN_MAINTENANCE_STATUSES])))
        .orderBy(desc(maintenances.startsAt))
        .limit(500),
  );
  const incidentRows = [...openRows, ...closedRows].sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
  const view = options.incidentView ?? decodeIncidentView;
  const incidentViews: IncidentView[] = [];
  for (let k = 0; k < incidentRows.length; k += DETAILS_PER_READ) {
    const ids = incidentRows.slice(k, k + DETAILS_PER_READ).map((i) => i.id);
    const [read] = await inTurns(() => db.all<IncidentViewText>(sql`select ${incidents.id} as id, ${incidentViewColumns} from ${incidents} where ${inArray(incidents.id, ids)}`));
    const byId = new Map(read.map((r) => [r.id, r]));
    for (const id of ids) {
      const found = byId.get(id);
      // Gone between the two reads (never, in practice: incidents are not deleted): the next read shows it.
      if (found) incidentViews.push(view(found));
    }
  }
  const maintenanceViews = await withMaintenanceDetails(db, maintenanceRows);

  const sourceById = new Map(sourceRows.map((s) => [s.id, s]));
  const sourcesByComponent = new Map<string, SourceRow[]>();
  for (const link of links) {
    const source = sourceById.get(link.sourceId);
    if (!source) continue;
    const list = sourcesByComponent.get(link.componentId) ?? [];
    list.push(source);
    sourcesByComponent.set(link.componentId, list);
  }

  const state = { components: componentRows, sourcesByComponent, sources: sourceRows, incidents: incidentViews, maintenances: maintenanceViews };
  return { ...state, updatedAt: lastUpdate(state, now) };
}

/** When anything shown last changed (the page's `updated_at`); `now` when nothing is shown. */
function lastUpdate(state: Omit<PublishedState, 'updatedAt'>, now: Date): Date {
  const stamps = [
    ...state.components.map((c) => c.updatedAt.getTime()),
    ...state.incidents.map((i) => i.updatedAt.getTime()),
    ...state.maintenances.map((m) => m.updatedAt.getTime()),
    ...state.sources.map((s) => (s.stateSince ?? s.updatedAt).getTime()),
  ];
  return new Date(stamps.length ? Math.max(...stamps) : now.getTime());
}

/** Every source row, in the order `loadPublishedState` reads them: a few rows, cheap to read again. */
export function loadSources(db: DbOrTx): Promise<SourceRow[]> {
  return db.select().from(sources).orderBy(asc(sources.id));
}

/**
 * The state with its sources' rows read again (a poll records a source's last success or error without any other
 * change): each component keeps the sources it had, as they are now.
 */
export function withSources(state: PublishedState, rows: SourceRow[], now: Date): PublishedState {
  const byId = new Map(rows.map((s) => [s.id, s]));
  const sourcesByComponent = new Map<string, SourceRow[]>();
  for (const [componentId, list] of state.sourcesByComponent) {
    sourcesByComponent.set(componentId, list.flatMap((s) => byId.get(s.id) ?? []));
  }
  const next = { ...state, sources: rows, sourcesByComponent };
  return { ...next, updatedAt: lastUpdate(next, now) };
}

/** Incidents with their timelines, affected components and severity history (one query per kind, not per incident). */
export async function withIncidentDetails(db: DbOrTx, rows: IncidentRow[]): Promise<IncidentView[]> {
  const ids = rows.map((i) => i.id);
  if (!ids.length) return [];
  const [updates, affected, history] = await inTurns(
    () => db.select().from(incidentUpdates).where(inArray(incidentUpdates.incidentId, ids)).orderBy(desc(incidentUpdates.createdAt)),
    () => db.select().from(incidentComponents).where(inArray(incidentComponents.incidentId, ids)).orderBy(asc(incidentComponents.position)),
    () => db.select().from(severityChanges).where(inArray(severityChanges.incidentId, ids)).orderBy(asc(severityChanges.changedAt)),
  );
  const updatesOf = groupBy(updates, (u) => u.incidentId);
  const affectedOf = groupBy(affected, (a) => a.incidentId, (a) => ({ componentId: a.componentId, status: a.status }));
  const historyOf = groupBy(history, (h) => h.incidentId);
  return rows.map((i) => ({ ...i, updates: updatesOf.get(i.id) ?? [], components: affectedOf.get(i.id) ?? [], severityHistory: historyOf.get(i.id) ?? [] }));
}

/** Windows with their timelines and affected component ids. */
export async function withMaintenanceDetails(db: DbOrTx, rows: MaintenanceRow[]): Promise<MaintenanceView[]> {
  const ids = rows.map((m) => m.id);
  if (!ids.length) return [];
  const [updates, links] = await inTurns(
    () => db.select().from(maintenanceUpdates).where(inArray(maintenanceUpdates.maintenanceId, ids)).orderBy(desc(maintenanceUpdates.createdAt)),
    () => db.select().from(maintenanceComponents).where(inArray(maintenanceComponents.maintenanceId, ids)),
  );
  const updatesOf = groupBy(updates, (u) => u.maintenanceId);
  const componentsOf = groupBy(links, (l) => l.maintenanceId, (l) => l.componentId);
  return rows.map((m) => ({ ...m, updates: updatesOf.get(m.id) ?? [], componentIds: componentsOf.get(m.id) ?? [] }));
}

const incidentJson = jsonRows(incidents);
const updateJson = jsonRows(incidentUpdates);
const linkJson = jsonRows(incidentComponents);
const severityJson = jsonRows(severityChanges);

const incidentRowQuery = rendered<{ id: string }>(
  sql`select ${incidentJson.object} as incident from ${incidents} where ${incidents.id} = ${sql.placeholder('id')}`,
);

/** One incident's row (one JSON column: see `db/json-rows.ts`). */
export async function loadIncidentRow(db: DbOrTx, id: string): Promise<IncidentRow | undefined> {
  const [found] = await db.all<{ incident: string }>(incidentRowQuery({ id }));
  return found ? incidentJson.decode(JSON.parse(found.incident)) : undefined;
}

// At the same instant, the later written update comes first and the earlier severity change: the order
// `withIncidentDetails` reads them in (by their indexes).
const updateOrder: SortKey[] = [
  { by: sql`${incidentUpdates.createdAt}`, desc: true },
  { by: sql`${incidentUpdates}.rowid`, desc: true },
];
const linkOrder: SortKey[] = [{ by: sql`${incidentComponents.position}` }, { by: sql`${incidentComponents.componentId}` }];
const historyOrder: SortKey[] = [{ by: sql`${severityChanges.changedAt}` }, { by: sql`${severityChanges}.rowid` }];
const incidentViewColumns = sql`${incidentJson.object} as incident,
    (select ${sortedJsonArray(updateJson.object, updateOrder)}
       from ${incidentUpdates} where ${incidentUpdates.incidentId} = ${incidents.id}) as updates,
    (select ${sortedJsonArray(linkJson.object, linkOrder)}
       from ${incidentComponents} where ${incidentComponents.incidentId} = ${incidents.id}) as links,
    (select ${sortedJsonArray(severityJson.object, historyOrder)}
       from ${severityChanges} where ${severityChanges.incidentId} = ${incidents.id}) as history`;

const incidentViewQuery = rendered<{ id: string }>(sql`select ${incidentViewColumns} from ${incidents} where ${incidents.id} = ${sql.placeholder('id')}`);

/** An incident with its timeline, components and severity history, as read: each part as JSON (see `db/json-rows.ts`). */
export interface IncidentViewText {
  id: string;
  incident: string;
  updates: string | null;
  links: string | null;
  history: string | null;
}

export function decodeIncidentView(found: Omit<IncidentViewText, 'id'>): IncidentView {
  return {
    ...incidentJson.decode(JSON.parse(found.incident)),
    updates: updateJson.decodeSorted(found.updates, updateOrder),
    components: linkJson.decodeSorted(found.links, linkOrder).map((l) => ({ componentId: l.componentId, status: l.status })),
    severityHistory: severityJson.decodeSorted(found.history, historyOrder),
  };
}

/**
 * One incident, however old (the published state holds only recent ones), with its timeline, components and severity
 * history as `withIncidentDetails` gives them, read in one statement.
 */
export async function loadIncidentView(db: DbOrTx, id: string): Promise<IncidentView | undefined> {
  const [found] = await db.all<Omit<IncidentViewText, 'id'>>(incidentViewQuery({ id }));
  return found ? decodeIncidentView(found) : undefined;
}
