/**
 * Incident history by month: `/api/history.json` lists the months with their counts, and
 * `/api/history/<YYYY-MM>.json` holds that month's incidents and maintenance windows in the v2 shape (newest
 * first), so the site can list them and build a page for each. The v2 `incidents.json` keeps only the last 50.
 *
 * A year of history is large, and the snapshot is rebuilt at least every 30 s: each month's document is kept
 * with a key of everything it depends on (its rows' ids and update times, the components' names and statuses,
 * which of its open incidents' targets have passed, its windows' effective statuses), and only a month whose
 * key changed is read and formatted again.
 */
import { createHash } from 'node:crypto';
import { and, desc, gte, lt, min, ne, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../db/client.ts';
import { components, incidents, incidentUpdates, maintenances, maintenanceUpdates } from '../../../db/schema/index.ts';
import { addMonths, historyMonths, localMonth, monthStart } from '../../status/history.ts';
import { effectiveMaintenanceStatus } from '../../status/derive.ts';
import { withIncidentDetails, withMaintenanceDetails, type IncidentView, type MaintenanceView } from '../../status/read-model.ts';
import { v2Context, v2Incident, v2Maintenance, type V2Context } from '../../status/statuspage-v2.ts';
import { jsonDocument, type DocumentSource, type PublishedDocument } from '../document.ts';

export const HISTORY_INDEX_PATH = '/api/history.json';
export const historyMonthPath = (month: string) => `/api/history/${month}.json`;

/** Details are read a slice of ids at a time, well under SQLite's limit on bound variables. */
const CHUNK = 500;

interface MonthEntry {
  key: string;
  document: PublishedDocument;
  incidents: number;
  maintenances: number;
}

/** Month documents already built, per database (the publisher passes the same handle on every rebuild). */
const built = new WeakMap<object, Map<string, MonthEntry>>();

export const historyDocuments: DocumentSource = async ({ db, config, now, state }) => {
  const timeZone = config.site.timezone;
  const months = historyMonths(await earliestRecord(db, now), now, timeZone);
  const from = monthStart(months[months.length - 1]!, timeZone);
  const ctx = v2Context(config, state, now);

  // What each month depends on, read cheaply: no text, no timelines.
  const [incidentStamps, windowStamps] = await Promise.all([
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
      .where(and(gte(incidents.startedAt, from), lt(incidents.startedAt, now))),
    db
      .select({
        id: maintenances.id,
        startsAt: maintenances.startsAt,
        endsAt: maintenances.endsAt,
        updatedAt: maintenances.updatedAt,
        status: maintenances.status,
        posts: sql<number>`(select count(*) from ${maintenanceUpdates} where ${maintenanceUpdates.maintenanceId} = ${maintenances.id})`,
      })
      .from(maintenances)
      .where(and(gte(maintenances.startsAt, from), lt(maintenances.startsAt, now), ne(maintenances.status, 'cancelled'))),
  ]);
  const stamps = new Map(months.map((m) => [m, [] as string[]]));
  const counts = new Map(months.map((m) => [m, { incidents: 0, maintenances: 0 }]));
  const passed = (due: Date | null, done: Date | null) => (due !== null && done === null && due.getTime() <= now.getTime() ? 1 : 0);
  for (const i of incidentStamps) {
    const month = localMonth(i.startedAt.getTime(), timeZone);
    // An unmet target turns to breached when its due time passes, with no write.
    stamps.get(month)?.push(`i${i.id}@${i.updatedAt.getTime()}#${i.posts}:${i.status}:${passed(i.responseDueAt, i.respondedAt)}${passed(i.resolutionDueAt, i.resolvedAt)}`);
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
    next.set(month, previous?.key === key ? previous : { key, ...(await buildMonth(db, ctx, month, timeZone, now)) });
  }
  built.set(db, next);

  return [
    jsonDocument(HISTORY_INDEX_PATH, {
      time_zone: timeZone,
      months: months.map((month) => ({ month, incidents: counts.get(month)!.incidents, scheduled_maintenances: counts.get(month)!.maintenances })),
    }),
    ...months.map((month) => next.get(month)!.document),
  ];
};

/** One month's document: its incidents and windows in full, newest first. */
async function buildMonth(db: DbOrTx, ctx: V2Context, month: string, timeZone: string, now: Date): Promise<Omit<MonthEntry, 'key'>> {
  const start = monthStart(month, timeZone);
  const end = new Date(Math.min(monthStart(addMonths(month, 1), timeZone).getTime(), now.getTime()));
  const [incidentRows, windowRows] = await Promise.all([
    db
      .select()
      .from(incidents)
      .where(and(gte(incidents.startedAt, start), lt(incidents.startedAt, end)))
      .orderBy(desc(incidents.startedAt), desc(incidents.id)),
    db
      .select()
      .from(maintenances)
      .where(and(gte(maintenances.startsAt, start), lt(maintenances.startsAt, end), ne(maintenances.status, 'cancelled')))
      .orderBy(desc(maintenances.startsAt), desc(maintenances.id)),
  ]);
  const incidentViews: IncidentView[] = [];
  for (let k = 0; k < incidentRows.length; k += CHUNK) incidentViews.push(...(await withIncidentDetails(db, incidentRows.slice(k, k + CHUNK))));
  const windowViews: MaintenanceView[] = [];
  for (let k = 0; k < windowRows.length; k += CHUNK) windowViews.push(...(await withMaintenanceDetails(db, windowRows.slice(k, k + CHUNK))));
  return {
    document: jsonDocument(historyMonthPath(month), {
      month,
      time_zone: timeZone,
      incidents: incidentViews.map((i) => v2Incident(ctx, i)),
      scheduled_maintenances: windowViews.map((m) => v2Maintenance(ctx, m)),
    }),
    incidents: incidentViews.length,
    maintenances: windowViews.length,
  };
}

/** When the data starts: the first component, incident or window on record. */
async function earliestRecord(db: DbOrTx, now: Date): Promise<number> {
  const [[c], [i], [m]] = await Promise.all([
    db.select({ at: min(components.createdAt) }).from(components),
    db.select({ at: min(incidents.startedAt) }).from(incidents),
    db.select({ at: min(maintenances.startsAt) }).from(maintenances),
  ]);
  const times = [c?.at, i?.at, m?.at].filter((x) => x !== null && x !== undefined).map((x) => new Date(x as Date | number).getTime());
  return times.length ? Math.min(...times) : now.getTime();
}
