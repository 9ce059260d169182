/**
 * Incident history by month: `/api/history.json` lists the months with their counts, and
 * `/api/history/<YYYY-MM>.json` holds that month's incidents and maintenance windows in the v2 shape (newest
 * first), so the site can list them and build a page for each. The v2 `incidents.json` keeps only the last 50.
 */
import { and, desc, gte, lt, min, ne } from 'drizzle-orm';
import type { DbOrTx } from '../../../db/client.ts';
import { components, incidents, maintenances } from '../../../db/schema/index.ts';
import { historyMonths, localMonth, monthStart } from '../../status/history.ts';
import { withIncidentDetails, withMaintenanceDetails, type IncidentRow, type MaintenanceRow } from '../../status/read-model.ts';
import { v2Context, v2Incident, v2Maintenance } from '../../status/statuspage-v2.ts';
import { jsonDocument, type DocumentSource, type PublishedDocument } from '../document.ts';

export const HISTORY_INDEX_PATH = '/api/history.json';
export const historyMonthPath = (month: string) => `/api/history/${month}.json`;

/** Details are read a slice of ids at a time, well under SQLite's limit on bound variables. */
const CHUNK = 500;

async function inChunks<R, V>(rows: R[], load: (slice: R[]) => Promise<V[]>): Promise<V[]> {
  const out: V[] = [];
  for (let k = 0; k < rows.length; k += CHUNK) out.push(...(await load(rows.slice(k, k + CHUNK))));
  return out;
}

export const historyDocuments: DocumentSource = async ({ db, config, now, state }) => {
  const timeZone = config.site.timezone;
  const dataStart = await earliestRecord(db, now);
  const months = historyMonths(dataStart, now, timeZone);
  const from = monthStart(months[months.length - 1]!, timeZone);
  const [incidentRows, windowRows] = await Promise.all([
    db
      .select()
      .from(incidents)
      .where(and(gte(incidents.startedAt, from), lt(incidents.startedAt, now)))
      .orderBy(desc(incidents.startedAt), desc(incidents.id)),
    db
      .select()
      .from(maintenances)
      .where(and(gte(maintenances.startsAt, from), lt(maintenances.startsAt, now), ne(maintenances.status, 'cancelled')))
      .orderBy(desc(maintenances.startsAt), desc(maintenances.id)),
  ]);
  const [incidentViews, windowViews] = await Promise.all([
    inChunks<IncidentRow, Awaited<ReturnType<typeof withIncidentDetails>>[number]>(incidentRows, (slice) => withIncidentDetails(db, slice)),
    inChunks<MaintenanceRow, Awaited<ReturnType<typeof withMaintenanceDetails>>[number]>(windowRows, (slice) => withMaintenanceDetails(db, slice)),
  ]);
  const ctx = v2Context(config, state, now);
  const byMonth = new Map(months.map((m) => [m, { incidents: [] as unknown[], maintenances: [] as unknown[] }]));
  for (const i of incidentViews) byMonth.get(localMonth(i.startedAt.getTime(), timeZone))?.incidents.push(v2Incident(ctx, i));
  for (const m of windowViews) byMonth.get(localMonth(m.startsAt.getTime(), timeZone))?.maintenances.push(v2Maintenance(ctx, m));

  const documents: PublishedDocument[] = [
    jsonDocument(HISTORY_INDEX_PATH, {
      time_zone: timeZone,
      months: months.map((month) => ({
        month,
        incidents: byMonth.get(month)!.incidents.length,
        scheduled_maintenances: byMonth.get(month)!.maintenances.length,
      })),
    }),
  ];
  for (const [month, content] of byMonth) {
    documents.push(jsonDocument(historyMonthPath(month), { month, time_zone: timeZone, incidents: content.incidents, scheduled_maintenances: content.maintenances }));
  }
  return documents;
};

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
