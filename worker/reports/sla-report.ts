import { and, asc, gte, isNull, lt, ne, or, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { components, incidentComponents, incidents, maintenanceComponents, maintenances } from '../../db/schema/index.ts';
import type { Config } from '../config/load.ts';
import { buildSlaReport, type SlaReport } from '../sla/index.ts';
import type { ReportRange } from './range.ts';

/** Loads what overlaps the range and builds the SLA report (the arithmetic is in worker/sla/report.ts). */
export async function loadSlaReport(db: DbOrTx, config: Config, range: ReportRange, now: Date): Promise<SlaReport> {
  const [incidentRows, componentRows, windowRows] = await Promise.all([
    db
      .select()
      .from(incidents)
      .where(and(lt(incidents.startedAt, range.to), or(isNull(incidents.resolvedAt), gte(incidents.resolvedAt, range.from)))),
    db.select().from(components).where(isNull(components.retiredAt)).orderBy(asc(components.position)),
    db
      .select()
      .from(maintenances)
      .where(and(lt(maintenances.startsAt, range.to), gte(maintenances.endsAt, range.from), ne(maintenances.status, 'cancelled'))),
  ]);
  const incidentIds = incidentRows.map((i) => i.id);
  const windowIds = windowRows.map((w) => w.id);
  const [affected, windowComponents] = await Promise.all([
    inChunks(incidentIds, (ids) => db.select().from(incidentComponents).where(inArray(incidentComponents.incidentId, ids))),
    inChunks(windowIds, (ids) => db.select().from(maintenanceComponents).where(inArray(maintenanceComponents.maintenanceId, ids))),
  ]);
  const componentsOf = groupIds(affected.map((a) => [a.incidentId, a.componentId]));
  const windowComponentsOf = groupIds(windowComponents.map((w) => [w.maintenanceId, w.componentId]));
  const { policy } = config;
  const levels = new Set(policy.severities.map((s) => s.level));

  return buildSlaReport({
    from: range.from,
    to: range.to,
    now,
    incidents: incidentRows
      .filter((i) => levels.has(i.severity))
      .map((i) => ({
        id: i.id,
        title: i.title,
        severity: i.severity,
        startedAt: i.startedAt,
        respondedAt: i.respondedAt,
        resolvedAt: i.resolvedAt,
        componentIds: componentsOf.get(i.id) ?? [],
        countsForSla: i.slaCounts,
        calendarId: i.calendarId && policy.calendars.has(i.calendarId) ? i.calendarId : policy.defaultCalendarId,
      })),
    policies: policy.severities,
    calendars: [...policy.calendars.values()],
    maintenance: windowRows.map((w) => ({
      componentIds: windowComponentsOf.get(w.id) ?? [],
      startsAt: w.startedAt ?? w.startsAt,
      endsAt: w.completedAt ?? w.endsAt,
    })),
    components: componentRows.map((c) => ({ id: c.id, name: c.name, calendarId: c.calendarId ?? undefined })),
  });
}

/** SQLite limits bound parameters; large id lists are queried in chunks. */
async function inChunks<T>(ids: string[], query: (ids: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += 500) out.push(...(await query(ids.slice(i, i + 500))));
  return out;
}

function groupIds(pairs: [string, string][]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const [key, value] of pairs) {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  }
  return map;
}
