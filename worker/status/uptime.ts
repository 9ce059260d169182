/**
 * Uptime history for the public page: per component, one cell per local calendar day in the site's zone
 * (a day with a DST change is 23 or 25 hours long), coloured by the worst state that day, with that day's
 * incidents and maintenance windows, and availability over the last 30 and 90 days computed exactly as the
 * SLA report computes it (worker/sla/report.ts), except that time when a provider feeding the component could not
 * be read counts neither as up nor as down. Pure: the caller loads the rows and passes `now`.
 */
import { localMidnight } from '../reports/range.ts';
import { componentAvailability } from '../sla/report.ts';
import { zoneOffsetAt } from '../sla/zone.ts';
import { groupId } from './statuspage-v2.ts';
import { runInTurns, runNow } from './turns.ts';
import { COMPONENT_STATE_RANK, isComponentStatus, isSeverity, type ComponentStatus, type DayState } from '../core/vocabulary.ts';
import { COMPONENT_STATUS_BY_SEVERITY } from './vocabulary.ts';

export const UPTIME_DAYS = 90;
/** The spans (in local days, today included) the availability is given for. */
export const UPTIME_SPANS = [30, 90] as const;

/**
 * A day's colour (`DayState`): the worst state of the day, `under_maintenance` for a maintenance day,
 * `provider_unknown` for a day when a provider feeding the component could not be read (and nothing worse is known:
 * as on the page, where a component is `unknown` only while operational otherwise), `no_data` before the data starts.
 */
const DAY_RANK: Record<DayState, number> = { no_data: -1, provider_unknown: COMPONENT_STATE_RANK.unknown, ...COMPONENT_STATE_RANK };
export const worseDay = (a: DayState, b: DayState): DayState => (DAY_RANK[b] > DAY_RANK[a] ? b : a);

export interface UptimeComponentInput {
  id: string;
  name: string;
  group: string | null;
  createdAt: Date;
}

export interface UptimeIncidentInput {
  id: string;
  severity: number;
  startedAt: Date;
  resolvedAt: Date | null;
  countsForSla: boolean;
  /** Affected components with the state the incident put each in. */
  components: readonly { componentId: string; status: string }[];
}

/** A window as it happened: actual start/end when known, planned otherwise; cancelled windows left out by the caller. */
export interface UptimeWindowInput {
  id: string;
  startsAt: Date;
  endsAt: Date;
  componentIds: readonly string[];
}

/** A period when a provider feeding these components could not be read (`source_unknown_periods`). */
export interface UptimeUnknownInput {
  componentIds: readonly string[];
  startsAt: Date;
  /** Null while it lasts. */
  endsAt: Date | null;
}

export interface UptimeInput {
  timeZone: string;
  now: Date;
  /** Number of local days, today included (default 90). */
  days?: number;
  components: readonly UptimeComponentInput[];
  incidents: readonly UptimeIncidentInput[];
  windows: readonly UptimeWindowInput[];
  unknownPeriods?: readonly UptimeUnknownInput[];
}

export interface UptimeDay {
  state: DayState;
  /** Incidents open at some moment of the day, oldest first. */
  incidents: string[];
  /** Windows under way at some moment of the day, oldest first. */
  windows: string[];
}

export interface UptimeFigure {
  /** Local days, today included. */
  days: number;
  /** Where the measure starts: that many local days ago, or when the component's data starts if later. */
  from: Date;
  /** Share of the time outside maintenance without a counted outage, rounded down to 6 decimals; null with no time to measure. */
  availability: number | null;
  /** Time without counted service (components only; null for a group). */
  outage_ms: number | null;
  /** Time inside maintenance, left out of the availability (components only; null for a group). */
  maintenance_ms: number | null;
  /**
   * Time when a provider could not be read, outside maintenance and counted outages, left out of the availability
   * too (components only; null for a group).
   */
  provider_unknown_ms: number | null;
}

export interface UptimeRow {
  id: string;
  name: string;
  /** For a group, its members' ids. */
  members?: string[];
  /** When the data starts: the component's creation, or its first incident or window if earlier. Null for a group. */
  since: Date | null;
  /** One per entry of `Uptime.dates`. */
  days: UptimeDay[];
  /** One per entry of UPTIME_SPANS. */
  uptime: UptimeFigure[];
}

export interface Uptime {
  timeZone: string;
  /** The local days, oldest first; the last one is today. */
  dates: string[];
  components: UptimeRow[];
  /** Group rows, in the order their first member appears. */
  groups: UptimeRow[];
}

/** The local calendar date (YYYY-MM-DD) of an instant in a zone. */
export function localDate(ms: number, timeZone: string): string {
  return new Date(ms + zoneOffsetAt(timeZone, ms)).toISOString().slice(0, 10);
}

/** `date` moved by `days` calendar days. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Index of the day holding `ms`: the largest i with bounds[i] <= ms (bounds ascending, ms >= bounds[0]). */
function dayIndex(bounds: readonly number[], ms: number): number {
  let lo = 0;
  let hi = bounds.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (bounds[mid]! <= ms) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * The state an incident puts a component in: what was recorded for it, but never milder than the severity implies
 * (an admin often sets a component back to operational when resolving, and the day should still show the outage).
 */
export function incidentDayState(severity: number, recorded: string): ComponentStatus {
  const bySeverity = isSeverity(severity) ? COMPONENT_STATUS_BY_SEVERITY[severity] : 'operational';
  return isComponentStatus(recorded) && COMPONENT_STATE_RANK[recorded] > COMPONENT_STATE_RANK[bySeverity] ? recorded : bySeverity;
}

const floor6 = (x: number | null) => (x === null ? null : Math.floor(x * 1e6 + 1e-9) / 1e6);

/** Incidents marked, and components measured, between two pauses of `buildUptimeInTurns`. */
const INCIDENTS_PER_TURN = 500;
const COMPONENTS_PER_TURN = 25;

/**
 * Builds the uptime series. Cost is O(days + links × days spanned + components × log) plus the availability sweeps:
 * each incident touches only the days it spans.
 */
export function buildUptime(input: UptimeInput): Uptime {
  return runNow(uptimeSteps(input));
}

/** The same series, built a slice at a time with a turn of the event loop between slices (a large page takes a while). */
export function buildUptimeInTurns(input: UptimeInput): Promise<Uptime> {
  return runInTurns(uptimeSteps(input));
}

function* uptimeSteps(input: UptimeInput): Generator<void, Uptime> {
  yield;
  const { timeZone } = input;
  const nowMs = input.now.getTime();
  const count = input.days ?? UPTIME_DAYS;
  const today = localDate(nowMs, timeZone);
  const dates = Array.from({ length: count }, (_, i) => addDays(today, i - count + 1));
  // bounds[i] is the local midnight starting dates[i]; bounds[count] the one ending today.
  const bounds = [...dates, addDays(today, 1)].map((d) => localMidnight(d, timeZone).getTime());
  const startMs = bounds[0]!;

  const rows = new Map<string, UptimeRow>();
  const firstSeen = new Map<string, number>();
  for (const c of input.components) {
    rows.set(c.id, {
      id: c.id,
      name: c.name,
      since: null,
      days: dates.map(() => ({ state: 'operational' as DayState, incidents: [], windows: [] })),
      uptime: [],
    });
    firstSeen.set(c.id, c.createdAt.getTime());
  }
  yield;
  const seen = (id: string, ms: number) => {
    const known = firstSeen.get(id);
    if (known !== undefined && ms < known) firstSeen.set(id, ms);
  };

  // Each event marks the days it spans, clipped to [first midnight, now].
  const mark = (fromMs: number, toMs: number, apply: (day: number) => void) => {
    const end = Math.max(toMs, fromMs + 1); // an instantaneous event still belongs to its day
    if (end <= startMs || fromMs >= nowMs) return;
    const first = dayIndex(bounds, Math.max(fromMs, startMs));
    const last = dayIndex(bounds, Math.min(end, nowMs, bounds[count]!) - 1);
    for (let d = first; d <= last && d < count; d++) apply(d);
  };

  const incidents = [...input.incidents].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || (a.id < b.id ? -1 : 1));
  for (const [k, incident] of incidents.entries()) {
    if (k % INCIDENTS_PER_TURN === INCIDENTS_PER_TURN - 1) yield;
    const from = incident.startedAt.getTime();
    for (const link of incident.components) seen(link.componentId, from);
    const links = incident.components.map((l) => ({ row: rows.get(l.componentId), state: incidentDayState(incident.severity, l.status) }));
    mark(from, incident.resolvedAt?.getTime() ?? nowMs, (d) => {
      for (const { row, state } of links) {
        if (!row) continue;
        const day = row.days[d]!;
        day.state = worseDay(day.state, state);
        day.incidents.push(incident.id);
      }
    });
  }
  const windows = [...input.windows].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || (a.id < b.id ? -1 : 1));
  for (const window of windows) {
    const from = window.startsAt.getTime();
    if (from < nowMs) for (const id of window.componentIds) seen(id, from);
    mark(from, window.endsAt.getTime(), (d) => {
      for (const id of window.componentIds) {
        const day = rows.get(id)?.days[d];
        if (!day) continue;
        day.state = worseDay(day.state, 'under_maintenance');
        day.windows.push(window.id);
      }
    });
  }

  // A provider that could not be read greys the days it spans, unless something worse is known.
  for (const period of input.unknownPeriods ?? []) {
    mark(period.startsAt.getTime(), period.endsAt?.getTime() ?? nowMs, (d) => {
      for (const id of period.componentIds) {
        const day = rows.get(id)?.days[d];
        if (day) day.state = worseDay(day.state, 'provider_unknown');
      }
    });
  }

  yield;
  // Days that end before the component's data starts have no data.
  for (const row of rows.values()) {
    const since = firstSeen.get(row.id)!;
    row.since = new Date(since);
    for (let d = 0; d < count && bounds[d + 1]! <= since; d++) row.days[d]!.state = 'no_data';
  }

  // Availability, span by span, with the SLA report's own arithmetic; components that start later are measured from their start.
  const reportIncidents = input.incidents.map((i) => ({
    severity: i.severity,
    startedAt: i.startedAt,
    resolvedAt: i.resolvedAt,
    countsForSla: i.countsForSla,
    componentIds: i.components.map((c) => c.componentId),
  }));
  const maintenance = input.windows.map((w) => ({ componentIds: w.componentIds, startsAt: w.startsAt, endsAt: w.endsAt }));
  const unmeasured = (input.unknownPeriods ?? []).map((p) => ({ componentIds: p.componentIds, startsAt: p.startsAt, endsAt: p.endsAt ?? input.now }));
  for (const span of UPTIME_SPANS) {
    const spanStart = bounds[Math.max(0, count - span)]!;
    const byStart = new Map<number, UptimeRow[]>();
    for (const row of rows.values()) {
      const from = Math.min(Math.max(spanStart, row.since!.getTime()), nowMs);
      byStart.set(from, [...(byStart.get(from) ?? []), row]);
    }
    for (const [from, group] of byStart) {
      for (let k = 0; k < group.length; k += COMPONENTS_PER_TURN) {
        yield;
        const slice = group.slice(k, k + COMPONENTS_PER_TURN);
        const figures = componentAvailability({ incidents: reportIncidents, maintenance, unmeasured, components: slice }, from, nowMs);
        slice.forEach((row, j) => {
          const f = figures[j]!;
          row.uptime.push({
            days: span,
            from: new Date(from),
            availability: floor6(f.availability),
            outage_ms: f.outage_ms,
            maintenance_ms: f.maintenance_ms,
            provider_unknown_ms: f.unmeasured_ms ?? 0,
          });
        });
      }
    }
  }

  return { timeZone, dates, components: [...rows.values()], groups: groupRows(input.components, rows, dates.length) };
}

/**
 * A group row rolls up its members: each day takes the worst state of the members that have data (no data only
 * when none has), lists every member's incidents and windows once, and the group's availability is the mean of its
 * members' availabilities (each member weighs the same; members with nothing to measure are left out).
 */
function groupRows(components: readonly UptimeComponentInput[], rows: Map<string, UptimeRow>, count: number): UptimeRow[] {
  const members = new Map<string, UptimeRow[]>();
  for (const c of components) if (c.group) members.set(c.group, [...(members.get(c.group) ?? []), rows.get(c.id)!]);
  return [...members].map(([name, list]) => {
    const days: UptimeDay[] = [];
    for (let d = 0; d < count; d++) {
      let state: DayState = 'no_data';
      const incidents = new Set<string>();
      const windows = new Set<string>();
      for (const row of list) {
        const day = row.days[d]!;
        state = worseDay(state, day.state);
        day.incidents.forEach((id) => incidents.add(id));
        day.windows.forEach((id) => windows.add(id));
      }
      days.push({ state, incidents: [...incidents], windows: [...windows] });
    }
    const uptime = UPTIME_SPANS.map((span, k): UptimeFigure => {
      const values = list.map((r) => r.uptime[k]!.availability).filter((a): a is number => a !== null);
      return {
        days: span,
        from: new Date(Math.min(...list.map((r) => r.uptime[k]!.from.getTime()))),
        availability: values.length ? floor6(values.reduce((a, b) => a + b, 0) / values.length) : null,
        outage_ms: null,
        maintenance_ms: null,
        provider_unknown_ms: null,
      };
    });
    return { id: groupId(name), name, members: list.map((r) => r.id), since: null, days, uptime };
  });
}
