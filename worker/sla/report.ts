/**
 * The SLA report: per severity, how many incidents met their targets and how long they took; per
 * component, availability over the range; and a timeline of the incidents for a chart. Pure: the
 * caller loads incidents, maintenance windows and configuration and passes `now`.
 */
import type { BusinessCalendar } from './calendar.ts';
import type { SlaClock } from '../core/vocabulary.ts';
import { elapsedMs } from './clock.ts';
import { measure, measureOutside, unionOf } from './intervals.ts';
import type { LocalizedText, SeverityPolicy, SlaTarget } from './severity-policy.ts';
import { computeTargetsMs, type TargetDue } from './targets.ts';

export { toCsv } from './report-csv.ts';

/** An incident as the report needs it. */
export interface ReportIncident {
  id: string;
  title: string;
  severity: number;
  startedAt: Date;
  respondedAt: Date | null;
  resolvedAt: Date | null;
  componentIds: readonly string[];
  /** False for incidents excluded from SLA figures (e.g. caused by the customer). */
  countsForSla: boolean;
  /** Calendar whose open hours the incident's business-clock targets count. */
  calendarId: string;
}

export interface ReportMaintenanceWindow {
  componentIds: readonly string[];
  startsAt: Date;
  endsAt: Date;
}

export interface ReportComponent {
  id: string;
  name: string;
  calendarId?: string;
}

export interface SlaReportInput {
  /** Start of the range, inclusive. */
  from: Date;
  /** End of the range, exclusive. */
  to: Date;
  /** Open incidents and open targets are judged at this instant; availability is measured up to it. */
  now: Date;
  /**
   * Incidents to consider: pass those that overlap the range. Severity figures judge the ones that started in
   * `[from, to)` (an incident's targets belong to the period it started in); earlier ones still open at `from` are
   * counted as carried over, shown on the timeline, and count for availability.
   */
  incidents: readonly ReportIncident[];
  policies: readonly SeverityPolicy[];
  /** Levels of their own for incidents on some calendars (a region's); others use `policies`. */
  policiesByCalendar?: ReadonlyMap<string, readonly SeverityPolicy[]>;
  calendars: readonly BusinessCalendar[];
  maintenance: readonly ReportMaintenanceWindow[];
  components: readonly ReportComponent[];
  /** Severity levels that make a component unavailable; default 1 and 2. */
  outageLevels?: readonly number[];
}

/**
 * How incidents of one level did against one target. Only incidents that count for SLA are included. A target the
 * policy does not state ("N/A") has `clock` null and is never met nor missed; the times taken are still measured.
 */
export interface TargetStats {
  /** The in-hours target's clock (an out-of-hours target always counts wall time); null when the policy states none. */
  clock: SlaClock | null;
  /** Met the commitment (done at or before the due instant; for a range, its upper bound). */
  met: number;
  /** Done late, or not done and past due at `now`. */
  breached: number;
  /** Not done and not yet due. */
  pending: number;
  /** `met / (met + breached)`, or null when there is none of either. */
  within_target_share: number | null;
  /** Done at or before the aim (a range's lower bound; the commitment itself otherwise). */
  aim_met: number;
  /** Done after the aim, or not done and past it. */
  aim_missed: number;
  /** `aim_met / (aim_met + aim_missed)`, or null when there is none of either. */
  aim_share: number | null;
  /** The target is a range, so its aim differs from its commitment (else the aim's figures repeat the commitment's). */
  ranged: boolean;
  /** Nearest-rank median and 90th percentile of the time taken, in ms of the target's clock, over incidents done. */
  median_ms: number | null;
  p90_ms: number | null;
}

export interface SeverityStats {
  level: number;
  name: LocalizedText;
  color: string;
  /** Incidents of this level that started in the range. */
  count: number;
  /** Of those, the ones that count for SLA. */
  counted: number;
  /** Incidents of this level that started before the range and were still open at its start (judged in their own period). */
  carried_over: number;
  response: TargetStats;
  resolution: TargetStats;
}

/**
 * Availability of one component over the range, in wall time up to `now`. Time inside a
 * maintenance window is left out of both sides and reported as `maintenance_ms`.
 */
export interface ComponentAvailability {
  component_id: string;
  name: string;
  /** Length of the range up to `now`. */
  measured_ms: number;
  maintenance_ms: number;
  /** Time outside maintenance with an open outage-level incident that counts for SLA. */
  outage_ms: number;
  /**
   * Time whose state could not be known (a provider that could not be read), outside maintenance and counted
   * outages: left out of both sides like maintenance. Only when the input gives such time (the public uptime bars).
   */
  unmeasured_ms?: number;
  /** `(measured − maintenance − unmeasured − outage) / (measured − maintenance − unmeasured)`, or null when that is 0 / 0. */
  availability: number | null;
}

export interface TimelineEntry {
  id: string;
  title: string;
  severity: number;
  color: string;
  started_at: Date;
  responded_at: Date | null;
  resolved_at: Date | null;
  /** Null when the policy states no such target ("N/A"). */
  response_due_at: Date | null;
  resolution_due_at: Date | null;
  response_breached: boolean;
  resolution_breached: boolean;
  component_ids: readonly string[];
  counts_for_sla: boolean;
  /** Started before the range and still open at its start: on the timeline, not in this range's target figures. */
  started_before_range: boolean;
}

export interface SlaReport {
  from: Date;
  to: Date;
  generated_at: Date;
  /** One entry per policy level, most severe first. */
  severities: SeverityStats[];
  /** One entry per component, in the order given. */
  components: ComponentAvailability[];
  /** Incidents that started in the range or were open at its start, oldest first. */
  timeline: TimelineEntry[];
}

/** Nearest-rank percentile of sorted values: the smallest value with at least `p`% at or below it. */
function percentile(sorted: Float64Array, p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

class TargetTally {
  met = 0;
  breached = 0;
  pending = 0;
  aimMet = 0;
  aimMissed = 0;
  readonly taken: number[] = [];
  readonly clock: SlaClock | null;
  readonly ranged: boolean;
  constructor(target: SlaTarget | null) {
    this.clock = target?.clock ?? null;
    this.ranged = target !== null && (target.aim !== undefined || target.outOfHours?.aim !== undefined);
  }

  /** `due` null: the policy states no such target, so only the time taken is measured (on the wall clock). */
  add(doneMs: number | null, due: TargetDue | null, isBreached: boolean, aimMissed: boolean, startedMs: number, calendar: BusinessCalendar): void {
    if (due !== null) {
      if (isBreached) this.breached++;
      else if (doneMs !== null) this.met++;
      else this.pending++;
      if (aimMissed) this.aimMissed++;
      else if (doneMs !== null) this.aimMet++;
    }
    if (doneMs !== null) this.taken.push(elapsedMs(startedMs, doneMs, calendar, due?.clock ?? this.clock ?? 'always'));
  }

  stats(): TargetStats {
    const sorted = Float64Array.from(this.taken).sort();
    const decided = this.met + this.breached;
    return {
      clock: this.clock,
      met: this.met,
      breached: this.breached,
      pending: this.pending,
      within_target_share: decided === 0 ? null : this.met / decided,
      aim_met: this.aimMet,
      aim_missed: this.aimMissed,
      aim_share: this.aimMet + this.aimMissed === 0 ? null : this.aimMet / (this.aimMet + this.aimMissed),
      ranged: this.ranged,
      median_ms: percentile(sorted, 50),
      p90_ms: percentile(sorted, 90),
    };
  }
}

function lookup<T>(map: ReadonlyMap<string | number, T>, key: string | number, what: string, incidentId: string): T {
  const value = map.get(key);
  if (value === undefined) throw new Error(`incident ${incidentId} refers to ${what} ${JSON.stringify(key)}, which is not configured`);
  return value;
}

/**
 * Builds the SLA report. Cost is O(n log n) in incidents and maintenance windows: targets are
 * computed once per incident and availability is a sweep over sorted interval unions.
 * @throws Error when an incident names a severity or calendar that is not configured, or the range is invalid.
 */
export function buildSlaReport(input: SlaReportInput): SlaReport {
  const fromMs = input.from.getTime();
  const toMs = input.to.getTime();
  const nowMs = input.now.getTime();
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || !Number.isFinite(nowMs)) throw new Error('report range and now must be valid dates');
  if (toMs < fromMs) throw new Error('report range ends before it starts');

  const policies = new Map<string | number, SeverityPolicy>(input.policies.map((p) => [p.level, p]));
  const regional = new Map([...(input.policiesByCalendar ?? [])].map(([calendarId, list]) => [calendarId, new Map<string | number, SeverityPolicy>(list.map((p) => [p.level, p]))]));
  const calendars = new Map<string | number, BusinessCalendar>(input.calendars.map((c) => [c.id, c]));
  const tallies = new Map<number, { count: number; counted: number; carriedOver: number; response: TargetTally; resolution: TargetTally }>();
  for (const policy of input.policies) {
    tallies.set(policy.level, {
      count: 0,
      counted: 0,
      carriedOver: 0,
      response: new TargetTally(policy.response),
      resolution: new TargetTally(policy.resolution),
    });
  }

  const timeline: TimelineEntry[] = [];
  const extraLevels: SeverityPolicy[] = [];
  for (const incident of input.incidents) {
    const startedMs = incident.startedAt.getTime();
    const carriedOver = startedMs < fromMs && fromMs < toMs && (incident.resolvedAt === null || incident.resolvedAt.getTime() > fromMs);
    if (!carriedOver && !(startedMs >= fromMs && startedMs < toMs)) continue;
    const policy = lookup(regional.get(incident.calendarId) ?? policies, incident.severity, 'severity', incident.id);
    const calendar = lookup(calendars, incident.calendarId, 'calendar', incident.id);
    const status = computeTargetsMs(
      startedMs,
      incident.respondedAt?.getTime() ?? null,
      incident.resolvedAt?.getTime() ?? null,
      policy,
      calendar,
      nowMs,
    );
    // A region's level that the policy's list lacks is tallied under its own name.
    if (!tallies.has(policy.level)) {
      tallies.set(policy.level, { count: 0, counted: 0, carriedOver: 0, response: new TargetTally(policy.response), resolution: new TargetTally(policy.resolution) });
      extraLevels.push(policy);
    }
    const tally = tallies.get(policy.level)!;
    if (carriedOver) tally.carriedOver++;
    else tally.count++;
    if (incident.countsForSla && !carriedOver) {
      tally.counted++;
      tally.response.add(status.respondedMs, status.response, status.responseBreached, status.responseAimMissed, startedMs, calendar);
      tally.resolution.add(status.resolvedMs, status.resolution, status.resolutionBreached, status.resolutionAimMissed, startedMs, calendar);
    }
    timeline.push({
      id: incident.id,
      title: incident.title,
      severity: incident.severity,
      color: policy.color,
      started_at: incident.startedAt,
      responded_at: status.respondedMs === null ? null : new Date(status.respondedMs),
      resolved_at: incident.resolvedAt,
      response_due_at: status.responseDueMs === null ? null : new Date(status.responseDueMs),
      resolution_due_at: status.resolutionDueMs === null ? null : new Date(status.resolutionDueMs),
      response_breached: status.responseBreached,
      resolution_breached: status.resolutionBreached,
      component_ids: incident.componentIds,
      counts_for_sla: incident.countsForSla,
      started_before_range: carriedOver,
    });
  }
  timeline.sort((a, b) => a.started_at.getTime() - b.started_at.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const severities = [...input.policies, ...extraLevels]
    .sort((a, b) => a.level - b.level)
    .map((policy): SeverityStats => {
      // A region's level that the policy's list lacks is tallied under its own name.
    if (!tallies.has(policy.level)) {
      tallies.set(policy.level, { count: 0, counted: 0, carriedOver: 0, response: new TargetTally(policy.response), resolution: new TargetTally(policy.resolution) });
      extraLevels.push(policy);
    }
    const tally = tallies.get(policy.level)!;
      return {
        level: policy.level,
        name: policy.name,
        color: policy.color,
        count: tally.count,
        counted: tally.counted,
        carried_over: tally.carriedOver,
        response: tally.response.stats(),
        resolution: tally.resolution.stats(),
      };
    });

  return {
    from: input.from,
    to: input.to,
    generated_at: input.now,
    severities,
    components: componentAvailability(input, fromMs, Math.max(fromMs, Math.min(toMs, nowMs))),
    timeline,
  };
}

interface Spans {
  starts: number[];
  ends: number[];
}

/** What availability needs from the report's input (the public uptime bars use the same arithmetic). */
export type AvailabilityInput = Pick<SlaReportInput, 'maintenance' | 'components' | 'outageLevels'> & {
  incidents: readonly Pick<ReportIncident, 'severity' | 'startedAt' | 'resolvedAt' | 'componentIds' | 'countsForSla'>[];
  /** Spans whose state could not be known (the uptime bars: providers that could not be read); neither up nor down. */
  unmeasured?: readonly { componentIds: readonly string[]; startsAt: Date; endsAt: Date }[];
};

/**
 * Availability of each component over `[fromMs, endMs)`: time with an open outage-level incident that counts
 * for SLA, with maintenance windows — and unmeasured time not covered by a counted outage — left out of both sides.
 * O(n log n).
 */
export function componentAvailability(input: AvailabilityInput, fromMs: number, endMs: number): ComponentAvailability[] {
  const outageLevels = new Set(input.outageLevels ?? [1, 2]);
  const outages = new Map<string, Spans>();
  const maintenance = new Map<string, Spans>();
  const unmeasured = new Map<string, Spans>();
  for (const component of input.components) {
    outages.set(component.id, { starts: [], ends: [] });
    maintenance.set(component.id, { starts: [], ends: [] });
    unmeasured.set(component.id, { starts: [], ends: [] });
  }
  const add = (spans: Spans | undefined, start: number, end: number): void => {
    if (spans === undefined) return; // not a listed component
    const s = Math.max(start, fromMs);
    const e = Math.min(end, endMs);
    if (e > s) {
      spans.starts.push(s);
      spans.ends.push(e);
    }
  };
  for (const incident of input.incidents) {
    if (!incident.countsForSla || !outageLevels.has(incident.severity)) continue;
    const start = incident.startedAt.getTime();
    const end = incident.resolvedAt?.getTime() ?? endMs;
    for (const id of incident.componentIds) add(outages.get(id), start, end);
  }
  for (const window of input.maintenance) {
    for (const id of window.componentIds) add(maintenance.get(id), window.startsAt.getTime(), window.endsAt.getTime());
  }
  for (const span of input.unmeasured ?? []) {
    for (const id of span.componentIds) add(unmeasured.get(id), span.startsAt.getTime(), span.endsAt.getTime());
  }

  const measured = endMs - fromMs;
  return input.components.map((component) => {
    const outage = outages.get(component.id)!;
    const planned = maintenance.get(component.id)!;
    const maintenanceUnion = unionOf(planned.starts, planned.ends);
    const maintenanceMs = measure(maintenanceUnion);
    const outageMs = measureOutside(unionOf(outage.starts, outage.ends), maintenanceUnion);
    // What is known (maintenance, a counted outage) wins over what could not be known.
    const unknown = unmeasured.get(component.id)!;
    const unmeasuredMs = input.unmeasured
      ? measureOutside(unionOf(unknown.starts, unknown.ends), unionOf([...planned.starts, ...outage.starts], [...planned.ends, ...outage.ends]))
      : 0;
    const counted = measured - maintenanceMs - unmeasuredMs;
    return {
      component_id: component.id,
      name: component.name,
      measured_ms: measured,
      maintenance_ms: maintenanceMs,
      outage_ms: outageMs,
      ...(input.unmeasured ? { unmeasured_ms: unmeasuredMs } : {}),
      availability: counted === 0 ? null : (counted - outageMs) / counted,
    };
  });
}
