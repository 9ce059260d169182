import { and, asc, eq, gte, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { components, incidentComponents, incidents, maintenanceComponents, maintenances } from '../../db/schema/index.ts';
import type { Config } from '../config/load.ts';
import { severitiesFor } from '../config/policy.ts';
import { buildSlaReport, type SlaReport } from '../sla/index.ts';
import { groupBy } from '../lib/group-by.ts';
import type { ReportRange } from './range.ts';

/** Loads what overlaps the range and builds the SLA report (the arithmetic is in worker/sla/report.ts). */
export async function loadSlaReport(db: DbOrTx, config: Config, range: ReportRange, now: Date): Promise<SlaReport> {
  const overlaps = and(lt(incidents.startedAt, range.to), or(isNull(incidents.resolvedAt), gte(incidents.resolvedAt, range.from)));
  const windowOverlaps = and(lt(maintenances.startsAt, range.to), gte(maintenances.endsAt, range.from), ne(maintenances.status, 'cancelled'));
  // Only the columns the report reads, with the affected components folded into the same row:
  // a year holds tens of thousands of incidents, and every round trip and row object counts.
  const [incidentRows, componentRows, windowRows, windowComponents] = await Promise.all([
    db
      .select({
        id: incidents.id,
        title: incidents.title,
        severity: incidents.severity,
        startedAt: incidents.startedAt,
        respondedAt: incidents.respondedAt,
        resolvedAt: incidents.resolvedAt,
        slaCounts: incidents.slaCounts,
        calendarId: incidents.calendarId,
        componentIds: sql<string | null>`group_concat(${incidentComponents.componentId}, ' ')`,
      })
      .from(incidents)
      .leftJoin(incidentComponents, eq(incidentComponents.incidentId, incidents.id))
      .where(overlaps)
      .groupBy(incidents.id),
    db.select().from(components).where(isNull(components.retiredAt)).orderBy(asc(components.position)),
    db.select().from(maintenances).where(windowOverlaps),
    db
      .select({ maintenanceId: maintenanceComponents.maintenanceId, componentId: maintenanceComponents.componentId })
      .from(maintenanceComponents)
      .innerJoin(maintenances, eq(maintenances.id, maintenanceComponents.maintenanceId))
      .where(windowOverlaps),
  ]);
  const windowComponentsOf = groupBy(windowComponents, (w) => w.maintenanceId, (w) => w.componentId);
  const { policy } = config;
  const calendarOf = (id: string | null) => (id && policy.calendars.has(id) ? id : policy.defaultCalendarId);
  // An incident of a level its calendar's policy lacks (one the policy dropped since) has no targets to judge.
  const hasLevel = (severity: number, calendarId: string) => severitiesFor(policy, calendarId).some((s) => s.level === severity);

  return buildSlaReport({
    from: range.from,
    to: range.to,
    now,
    incidents: incidentRows
      .filter((i) => hasLevel(i.severity, calendarOf(i.calendarId)))
      .map((i) => ({
        ...i,
        // Component ids cannot hold spaces (see the config schema), so a space-joined list splits back exactly.
        componentIds: i.componentIds ? i.componentIds.split(' ') : [],
        countsForSla: i.slaCounts,
        calendarId: calendarOf(i.calendarId),
      })),
    policies: policy.severities,
    policiesByCalendar: new Map(policy.regions.filter((r) => r.severities !== policy.severities).map((r) => [r.calendarId, r.severities])),
    calendars: [...policy.calendars.values()],
    maintenance: windowRows.map((w) => ({
      componentIds: windowComponentsOf.get(w.id) ?? [],
      startsAt: w.startedAt ?? w.startsAt,
      endsAt: w.completedAt ?? w.endsAt,
    })),
    components: componentRows.map((c) => ({ id: c.id, name: c.name, calendarId: c.calendarId ?? undefined })),
  });
}
