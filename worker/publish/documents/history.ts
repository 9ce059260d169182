/**
 * Incident history by month: `/api/history.json` lists the months with their counts, and
 * `/api/history/<YYYY-MM>.json` holds that month's incidents and maintenance windows in the v2 shape (newest
 * first), so the site can list them and build a page for each. The v2 `incidents.json` keeps only the last 50.
 *
 * A year of history is large, and the snapshot is rebuilt at least every 30 s: each month's document is kept
 * with a key of everything it depends on (its rows' ids and update times, the components' names and statuses,
 * which of its open incidents' targets have passed, its windows' effective statuses), and only a month whose
 * key changed is built again; in it, only the incidents whose own stamp or components changed are read and
 * formatted again.
 */
import { createHash } from 'node:crypto';
import { and, asc, desc, gt, gte, inArray, lt, min, ne, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../db/client.ts';
import type { HistoryIndexDocument, HistoryMonthInfo } from '../../core/api-types.ts';
import { components, incidents, incidentUpdates, maintenances, maintenanceUpdates } from '../../../db/schema/index.ts';
import { addMonths, historyMonths, localMonth, monthStart } from '../../status/history.ts';
import { effectiveMaintenanceStatus } from '../../status/derive.ts';
import { withIncidentDetails, withMaintenanceDetails } from '../../status/read-model.ts';
import { inPages, inTurns, nextTurn, PAGE_ROWS } from '../../status/turns.ts';
import { v2Context, v2Incident, v2Maintenance, type V2Context } from '../../status/statuspage-v2.ts';
import { JSON_TYPE, jsonDocument, type DocumentSource, type PublishedDocument } from '../document.ts';
import { componentKeys } from './component-keys.ts';

export const HISTORY_INDEX_PATH = '/api/history.json';
export const historyMonthPath = (month: string) => `/api/history/${month}.json`;

/** Details are read a slice of ids at a time, well under SQLite's limit on bound variables. */
const CHUNK = 250;
const COMMA = Buffer.from(',');
/** Stands for a month's incidents while the rest of it is written: `["…"]` cannot occur inside a JSON string. */
const PLACEHOLDER = '\u0000incidents\u0000';
const PLACED = JSON.stringify([PLACEHOLDER]);

interface MonthEntry {
  key: string;
  document: PublishedDocument;
  incidents: number;
  maintenances: number;
  /** Each incident's v2 JSON as written for this month, by id. */
  written: Map<string, WrittenIncident>;
}

/**
 * An incident's v2 JSON, with what it was written from: its stamp (its row's update time, posts, status and targets
 * breached by then) and its components, whose names and statuses it shows. While both are the same, it is not read
 * or formatted again: a month of thousands of incidents changes by a few at a time.
 */
interface WrittenIncident {
  stamp: string;
  componentIds: string[];
  components: string;
  /** Its JSON: once the month is built, a view of the month's own bytes (so it is not held twice). */
  json: Buffer;
}

/** An incident of a month, as its stamp was read. */
interface MonthIncident {
  id: string;
  startedAt: Date;
  stamp: string;
}

/** Month documents already built, per database (the publisher passes the same handle on every rebuild). */
const built = new WeakMap<object, Map<string, MonthEntry>>();

export const historyDocuments: DocumentSource = async ({ db, config, now, state }) => {
  const timeZone = config.site.timezone;
  const months = historyMonths(await earliestRecord(db, now), now, timeZone);
  const from = monthStart(months[months.length - 1]!, timeZone);
  const ctx = v2Context(config, state, now);

  // What each month depends on, read cheaply: no text, no timelines.
  const [incidentStamps, windowStamps] = await inTurns(
    () => readIncidentStamps(db, from, now),
    () => readWindowStamps(db, from, now),
  );
  const stamps = new Map(months.map((m) => [m, [] as string[]]));
  const monthIncidents = new Map(months.map((m) => [m, [] as MonthIncident[]]));
  const counts = new Map(months.map((m) => [m, { incidents: 0, maintenances: 0 }]));
  // The `sla` view's comparison: an unmet target is breached once its due time is past.
  const passed = (due: Date | null, done: Date | null) => (due !== null && done === null && now.getTime() > due.getTime() ? 1 : 0);
  for (const [k, i] of incidentStamps.entries()) {
    if (k % PAGE_ROWS === PAGE_ROWS - 1) await nextTurn();
    const month = localMonth(i.startedAt.getTime(), timeZone);
    // An unmet target turns to breached when its due time passes, with no write.
    const stamp = `i${i.id}@${i.updatedAt.getTime()}#${i.posts}:${i.status}:${passed(i.responseDueAt, i.respondedAt)}${passed(i.resolutionDueAt, i.resolvedAt)}`;
    stamps.get(month)?.push(stamp);
    monthIncidents.get(month)?.push({ id: i.id, startedAt: i.startedAt, stamp });
    const c = counts.get(month);
    if (c) c.incidents++;
  }
  for (const w of windowStamps) {
    const month = localMonth(w.startsAt.getTime(), timeZone);
    stamps.get(month)?.push(`m${w.id}@${w.updatedAt.getTime()}#${w.posts}:${effectiveMaintenanceStatus(w, now)}`);
    const c = counts.get(month);
    if (c) c.maintenances++;
  }
  // Incidents and windows name their components with their current status (as the v2 API does).
  const componentsKey = JSON.stringify(state.components.map((c) => [c.id, c.name, c.groupName, ctx.conditions.get(c.id)?.status]));

  let cache = built.get(db);
  if (!cache) built.set(db, (cache = new Map()));
  const next = new Map<string, MonthEntry>();
  for (const month of months) {
    const key = createHash('sha1')
      .update(`${config.site.url}\n${componentsKey}\n${stamps.get(month)!.sort().join('\n')}`)
      .digest('base64url');
    const previous = cache.get(month);
    next.set(month, previous?.key === key ? previous : { key, ...(await buildMonth(db, ctx, month, timeZone, now, monthIncidents.get(month)!, previous?.written)) });
  }
  built.set(db, next);

  return [
    jsonDocument(HISTORY_INDEX_PATH, {
      time_zone: timeZone,
      months: months.map((month) => ({ month, incidents: counts.get(month)!.incidents, scheduled_maintenances: counts.get(month)!.maintenances })),
    } satisfies HistoryIndexDocument),
    ...months.map((month) => next.get(month)!.document),
  ];
};

/** The stamps of the incidents started in [from, now), a page at a time. */
function readIncidentStamps(db: DbOrTx, from: Date, now: Date) {
  const inRange = and(gte(incidents.startedAt, from), lt(incidents.startedAt, now));
  return inPages(
    (after, limit) =>
      db
        .select({
          id: incidents.id,
          startedAt: incidents.startedAt,
          updatedAt: incidents.updatedAt,
          status: incidents.status,
          respondedAt: incidents.respondedAt,
          resolvedAt: incidents.resolvedAt,
          responseDueAt: incidents.responseDueAt,
          resolutionDueAt: incidents.resolutionDueAt,
          // Two writes in the same millisecond share an update time; the number of posts still tells them apart.
          posts: sql<number>`(select count(*) from ${incidentUpdates} where ${incidentUpdates.incidentId} = ${incidents.id})`,
        })
        .from(incidents)
        .where(after === null ? inRange : and(inRange, gt(incidents.id, after)))
        .orderBy(asc(incidents.id))
        .limit(limit),
    (row) => row.id,
  );
}

/** The stamps of the windows (not cancelled) starting in [from, now): a few, read at once. */
function readWindowStamps(db: DbOrTx, from: Date, now: Date) {
  return db
    .select({
      id: maintenances.id,
      startsAt: maintenances.startsAt,
      endsAt: maintenances.endsAt,
      updatedAt: maintenances.updatedAt,
      status: maintenances.status,
      posts: sql<number>`(select count(*) from ${maintenanceUpdates} where ${maintenanceUpdates.maintenanceId} = ${maintenances.id})`,
    })
    .from(maintenances)
    .where(and(gte(maintenances.startsAt, from), lt(maintenances.startsAt, now), ne(maintenances.status, 'cancelled')));
}

/**
 * One month's document: its incidents and windows in full, newest first. Incidents written before with the same
 * stamp and components keep their JSON; the others are read and written a slice at a time.
 */
async function buildMonth(
  db: DbOrTx,
  ctx: V2Context,
  month: string,
  timeZone: string,
  now: Date,
  list: MonthIncident[],
  before: Map<string, WrittenIncident> = new Map(),
): Promise<Omit<MonthEntry, 'key'>> {
  const start = monthStart(month, timeZone);
  const end = new Date(Math.min(monthStart(addMonths(month, 1), timeZone).getTime(), now.getTime()));
  const keyOf = componentKeys(ctx);
  const componentsOf = (ids: string[]) => ids.map(keyOf).join(' ');
  const written = new Map<string, WrittenIncident>();
  const stale: MonthIncident[] = [];
  for (const item of list) {
    const known = before.get(item.id);
    if (known && known.stamp === item.stamp && known.components === componentsOf(known.componentIds)) written.set(item.id, known);
    else stale.push(item);
  }
  const stampOf = new Map(stale.map((i) => [i.id, i.stamp]));
  for (let k = 0; k < stale.length; k += CHUNK) {
    const [rows] = await inTurns(() =>
      db
        .select()
        .from(incidents)
        .where(inArray(incidents.id, stale.slice(k, k + CHUNK).map((i) => i.id))),
    );
    for (const incident of await withIncidentDetails(db, rows)) {
      const componentIds = incident.components.map((c) => c.componentId);
      written.set(incident.id, { stamp: stampOf.get(incident.id)!, componentIds, components: componentsOf(componentIds), json: Buffer.from(JSON.stringify(v2Incident(ctx, incident))) });
    }
    await nextTurn();
  }
  const windowRows = await db
    .select()
    .from(maintenances)
    .where(and(gte(maintenances.startsAt, start), lt(maintenances.startsAt, end), ne(maintenances.status, 'cancelled')))
    .orderBy(desc(maintenances.startsAt), desc(maintenances.id));
  // Newest first.
  const ordered = list
    .filter((i) => written.has(i.id))
    .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  const windows: unknown[] = [];
  for (let k = 0; k < windowRows.length; k += CHUNK) {
    windows.push(...(await withMaintenanceDetails(db, windowRows.slice(k, k + CHUNK))).map((m) => v2Maintenance(ctx, m)));
  }
  // `JSON.stringify` of the month, with the incidents put in from their own bytes where a placeholder stands.
  const text = JSON.stringify({ month, time_zone: timeZone, incidents: [PLACEHOLDER], scheduled_maintenances: windows } satisfies Record<keyof HistoryMonthInfo, unknown>);
  const cut = text.indexOf(PLACED);
  const parts: Buffer[] = [Buffer.from(text.slice(0, cut + 1))];
  const at: number[] = [];
  let length = parts[0]!.length;
  for (const [k, item] of ordered.entries()) {
    if (k) (parts.push(COMMA), length++);
    const json = written.get(item.id)!.json;
    at.push(length);
    parts.push(json);
    length += json.length;
  }
  parts.push(Buffer.from(text.slice(cut + PLACED.length - 1)));
  const body = Buffer.concat(parts);
  await nextTurn();
  // Each incident's JSON is kept as a view of the month's bytes: the parts it was put together from can go.
  ordered.forEach((item, k) => {
    const entry = written.get(item.id)!;
    entry.json = body.subarray(at[k], at[k]! + entry.json.length);
  });
  return {
    document: { path: historyMonthPath(month), contentType: JSON_TYPE, body },
    incidents: ordered.length,
    maintenances: windowRows.length,
    written,
  };
}

/** When the data starts: the first component, incident or window on record. */
async function earliestRecord(db: DbOrTx, now: Date): Promise<number> {
  const [[c], [i], [m]] = await inTurns(
    () => db.select({ at: min(components.createdAt) }).from(components),
    () => db.select({ at: min(incidents.startedAt) }).from(incidents),
    () => db.select({ at: min(maintenances.startsAt) }).from(maintenances),
  );
  const times = [c?.at, i?.at, m?.at].filter((x) => x !== null && x !== undefined).map((x) => new Date(x as Date | number).getTime());
  return times.length ? Math.min(...times) : now.getTime();
}
