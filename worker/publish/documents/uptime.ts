/**
 * `/api/uptime.json`: the 90-day bars of every component and group, compact enough for a home page with many
 * components (one letter per day, events only on the days that have them). The arithmetic is in
 * worker/status/uptime.ts; this module reads the rows and shapes the document.
 */
import { and, asc, eq, gt, gte, inArray, isNull, lt, ne, or } from 'drizzle-orm';
import type { DbOrTx } from '../../../db/client.ts';
import { components, incidentComponents, incidents, maintenanceComponents, maintenances } from '../../../db/schema/index.ts';
import { groupBy } from '../../lib/group-by.ts';
import { inPages, inTurns, nextTurn, PAGE_ROWS, runInTurns } from '../../status/turns.ts';
import type { UptimeInfo, UptimeRowInfo } from '../../core/api-types.ts';
import type { DayState, Severity } from '../../core/vocabulary.ts';
import { buildUptimeInTurns, UPTIME_DAYS, type Uptime, type UptimeRow } from '../../status/uptime.ts';
import { loadUnknownPeriods } from '../../upstream/unknown-periods.ts';
import { jsonDocument, type DocumentSource } from '../document.ts';

export const UPTIME_PATH = '/api/uptime.json';

/** One letter per day state, in the `days` strings of the document. */
export const DAY_CODES: Record<DayState, string> = {
  no_data: '-',
  operational: 'o',
  provider_unknown: 'u',
  under_maintenance: 'm',
  degraded_performance: 'd',
  partial_outage: 'p',
  major_outage: 'x',
};

export interface UptimeEventDetails {
  incidents: Map<string, { title: string; severity: Severity; calendarId: string | null; startedAt: Date; resolvedAt: Date | null }>;
  windows: Map<string, { title: string; startsAt: Date; endsAt: Date }>;
}

/** Everything the bars need from the database: the last 90 days (and a margin for the zone) of incidents and windows. */
export async function loadUptime(db: DbOrTx, timeZone: string, now: Date): Promise<{ uptime: Uptime; details: UptimeEventDetails }> {
  const since = new Date(now.getTime() - (UPTIME_DAYS + 2) * 86_400_000);
  const incidentOverlaps = and(lt(incidents.startedAt, now), or(isNull(incidents.resolvedAt), gte(incidents.resolvedAt, since)));
  const windowOverlaps = and(lt(maintenances.startsAt, now), gte(maintenances.endsAt, since), ne(maintenances.status, 'cancelled'));
  // Thousands of incidents on a large page: read a page at a time, with their components.
  const incidentRows = await inPages(
    (after, limit) =>
      db
        .select({
          id: incidents.id,
          title: incidents.title,
          severity: incidents.severity,
          calendarId: incidents.calendarId,
          startedAt: incidents.startedAt,
          resolvedAt: incidents.resolvedAt,
          slaCounts: incidents.slaCounts,
        })
        .from(incidents)
        .where(after === null ? incidentOverlaps : and(incidentOverlaps, gt(incidents.id, after)))
        .orderBy(asc(incidents.id))
        .limit(limit),
    (row) => row.id,
  );
  const links: { incidentId: string; componentId: string; status: string }[] = [];
  for (let k = 0; k < incidentRows.length; k += PAGE_ROWS) {
    await nextTurn();
    const ids = incidentRows.slice(k, k + PAGE_ROWS).map((i) => i.id);
    links.push(
      ...(await db
        .select({ incidentId: incidentComponents.incidentId, componentId: incidentComponents.componentId, status: incidentComponents.status })
        .from(incidentComponents)
        .where(inArray(incidentComponents.incidentId, ids))
        .orderBy(asc(incidentComponents.position))),
    );
  }
  const [componentRows, windowRows, windowLinks, unknownPeriods] = await inTurns(
    () => db.select().from(components).where(isNull(components.retiredAt)).orderBy(asc(components.position)),
    () =>
      db
        .select({
          id: maintenances.id,
          title: maintenances.title,
          startsAt: maintenances.startsAt,
          endsAt: maintenances.endsAt,
          startedAt: maintenances.startedAt,
          completedAt: maintenances.completedAt,
        })
        .from(maintenances)
        .where(windowOverlaps),
    () =>
      db
        .select({ maintenanceId: maintenanceComponents.maintenanceId, componentId: maintenanceComponents.componentId })
        .from(maintenanceComponents)
        .innerJoin(maintenances, eq(maintenances.id, maintenanceComponents.maintenanceId))
        .where(windowOverlaps),
    () => loadUnknownPeriods(db, since, now),
  );
  await nextTurn();
  const linksOf = groupBy(links, (l) => l.incidentId, (l) => ({ componentId: l.componentId, status: l.status }));
  const windowComponentsOf = groupBy(windowLinks, (l) => l.maintenanceId, (l) => l.componentId);
  // A window counts as it happened: its actual start and end when recorded, the planned ones otherwise.
  const windows = windowRows.map((w) => ({
    id: w.id,
    title: w.title,
    startsAt: w.startedAt ?? w.startsAt,
    endsAt: w.completedAt ?? w.endsAt,
    componentIds: windowComponentsOf.get(w.id) ?? [],
  }));
  const uptime = await buildUptimeInTurns({
    timeZone,
    now,
    components: componentRows.map((c) => ({ id: c.id, name: c.name, group: c.groupName, createdAt: c.createdAt })),
    incidents: incidentRows.map((i) => ({ ...i, countsForSla: i.slaCounts, components: linksOf.get(i.id) ?? [] })),
    windows,
    unknownPeriods,
  });
  return {
    uptime,
    details: {
      incidents: new Map(incidentRows.map((i) => [i.id, i])),
      windows: new Map(windows.map((w) => [w.id, w])),
    },
  };
}

/** Rows shaped between two turns of the event loop. */
const ROWS_PER_TURN = 25;

/** The document: day strings, figures, and each event named once in a table the rows refer to by id. */
function* uptimeJson(uptime: Uptime, details: UptimeEventDetails): Generator<void, UptimeInfo> {
  const usedIncidents = new Set<string>();
  const usedWindows = new Set<string>();
  const row = (r: UptimeRow): UptimeRowInfo => {
    const incidentsByDay: Record<string, string[]> = {};
    const windowsByDay: Record<string, string[]> = {};
    r.days.forEach((day, k) => {
      const date = uptime.dates[k]!;
      if (day.incidents.length) incidentsByDay[date] = day.incidents;
      if (day.windows.length) windowsByDay[date] = day.windows;
      day.incidents.forEach((id) => usedIncidents.add(id));
      day.windows.forEach((id) => usedWindows.add(id));
    });
    return {
      id: r.id,
      name: r.name,
      ...(r.members ? { components: r.members } : { since: r.since?.toISOString() ?? null }),
      days: r.days.map((d) => DAY_CODES[d.state]).join(''),
      uptime: r.uptime.map((u) => ({
        days: u.days,
        from: u.from.toISOString(),
        availability: u.availability,
        ...(r.members ? {} : { outage_ms: u.outage_ms, maintenance_ms: u.maintenance_ms }),
      })),
      incidents: incidentsByDay,
      maintenances: windowsByDay,
    };
  };
  const components = [];
  const groups = [];
  for (const [k, r] of uptime.components.entries()) {
    if (k % ROWS_PER_TURN === ROWS_PER_TURN - 1) yield;
    components.push(row(r));
  }
  for (const r of uptime.groups) groups.push(row(r));
  yield;
  const incidentTable: UptimeInfo['incidents'] = {};
  for (const id of [...usedIncidents].sort()) {
    const i = details.incidents.get(id)!;
    incidentTable[id] = { name: i.title, severity: i.severity, calendar: i.calendarId, started_at: i.startedAt.toISOString(), resolved_at: i.resolvedAt?.toISOString() ?? null };
  }
  const windowTable: UptimeInfo['maintenances'] = {};
  for (const id of [...usedWindows].sort()) {
    const w = details.windows.get(id)!;
    windowTable[id] = { name: w.title, starts_at: w.startsAt.toISOString(), ends_at: w.endsAt.toISOString() };
  }
  return {
    time_zone: uptime.timeZone,
    // Never empty: the bars always cover UPTIME_DAYS days.
    first_day: uptime.dates[0]!,
    last_day: uptime.dates[uptime.dates.length - 1]!,
    /** What each letter of `days` means. */
    legend: Object.fromEntries((Object.entries(DAY_CODES) as [DayState, string][]).map(([state, code]) => [code, state])),
    components,
    groups,
    incidents: incidentTable,
    maintenances: windowTable,
  };
}

export const uptimeDocuments: DocumentSource = async ({ db, config, now }) => {
  const { uptime, details } = await loadUptime(db, config.site.timezone, now);
  return [jsonDocument(UPTIME_PATH, await runInTurns(uptimeJson(uptime, details)))];
};
