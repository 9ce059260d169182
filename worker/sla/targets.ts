import type { BusinessCalendar } from './calendar.ts';
import { dueAtMs, isOpen, nextOpening } from './clock.ts';
import { durationMs, type Duration } from './duration.ts';
import type { SeverityPolicy, SlaTarget, TargetSpan } from './severity-policy.ts';

export {
  DEFAULT_SEVERITY_POLICIES,
  DEFAULT_SEVERITY_POLICY_CONFIG,
  compileSeverityPolicies,
  compileSeverityPolicy,
  type LocalizedText,
  type SeverityPolicy,
  type SeverityPolicyConfig,
  type SlaTarget,
  type TargetSpan,
} from './severity-policy.ts';

/** The moments of an incident that SLA targets measure. */
export interface IncidentTimes {
  startedAt: Date;
  respondedAt?: Date | null;
  resolvedAt?: Date | null;
}

/**
 * Where an incident stands against its two targets. A resolved incident with no recorded response
 * counts as responded when it was resolved, so `responded_at` is that instant. A target the policy does
 * not state ("N/A") has no due instant and is never breached.
 */
export interface TargetStatus {
  response_due_at: Date | null;
  resolution_due_at: Date | null;
  responded_at: Date | null;
  resolved_at: Date | null;
  /** Responded after the due instant, or not responded and `now` is past it. */
  response_breached: boolean;
  /** Resolved after the due instant, or not resolved and `now` is past it. */
  resolution_breached: boolean;
}

/** One target of one incident: its due instants (commitment, and aim when a range) and the clock it counts. */
export interface TargetDue {
  dueMs: number;
  /** The lower bound of a range; the commitment's instant otherwise. */
  aimDueMs: number;
  clock: TargetSpan['clock'];
  /** The target that applied: in service hours, or out of them. */
  outOfHours: boolean;
}

/** {@link TargetStatus} in epoch milliseconds (absent instants are null). */
export interface TargetStatusMs {
  response: TargetDue | null;
  resolution: TargetDue | null;
  responseDueMs: number | null;
  resolutionDueMs: number | null;
  respondedMs: number | null;
  resolvedMs: number | null;
  responseBreached: boolean;
  resolutionBreached: boolean;
  /** Done after the aim (the lower bound of a range, or the commitment itself), or past it undone. */
  responseAimMissed: boolean;
  resolutionAimMissed: boolean;
}

/** The span of a target that applies to an incident starting at `startMs`: out-of-hours when its calendar is closed then. */
export function spanAt(target: SlaTarget, startMs: number, calendar: BusinessCalendar): TargetSpan {
  return target.outOfHours && !isOpen(new Date(startMs), calendar) ? target.outOfHours : target;
}

function dueOf(startMs: number, span: TargetSpan, length: Duration, calendar: BusinessCalendar): number {
  if (span.immediate) {
    // Acting at once means within the grace, counted from when the clock runs (the next opening on business hours).
    const from = span.clock === 'business' ? nextOpening(new Date(startMs), calendar).getTime() : startMs;
    return from + (span.graceMs ?? 0);
  }
  return dueAtMs(startMs, durationMs(length, span.clock, calendar), calendar, span.clock);
}

/** Due instants of one target for an incident starting at `startMs`; null when the policy states none. */
export function targetDue(target: SlaTarget | null, startMs: number, calendar: BusinessCalendar): TargetDue | null {
  if (target === null) return null;
  const span = spanAt(target, startMs, calendar);
  const dueMs = dueOf(startMs, span, span.duration, calendar);
  return { dueMs, aimDueMs: span.aim ? dueOf(startMs, span, span.aim, calendar) : dueMs, clock: span.clock, outOfHours: span !== target };
}

function breached(doneMs: number | null, dueMs: number | null, nowMs: number): boolean {
  if (dueMs === null) return false;
  return doneMs === null ? nowMs > dueMs : doneMs > dueMs;
}

/** {@link computeTargets} on epoch milliseconds, for reports over many incidents. */
export function computeTargetsMs(
  startedMs: number,
  respondedMs: number | null,
  resolvedMs: number | null,
  policy: SeverityPolicy,
  calendar: BusinessCalendar,
  nowMs: number,
): TargetStatusMs {
  const response = targetDue(policy.response, startedMs, calendar);
  const resolution = targetDue(policy.resolution, startedMs, calendar);
  const responded = respondedMs ?? resolvedMs;
  return {
    response,
    resolution,
    responseDueMs: response?.dueMs ?? null,
    resolutionDueMs: resolution?.dueMs ?? null,
    respondedMs: responded,
    resolvedMs,
    responseBreached: breached(responded, response?.dueMs ?? null, nowMs),
    resolutionBreached: breached(resolvedMs, resolution?.dueMs ?? null, nowMs),
    responseAimMissed: breached(responded, response?.aimDueMs ?? null, nowMs),
    resolutionAimMissed: breached(resolvedMs, resolution?.aimDueMs ?? null, nowMs),
  };
}

/**
 * Due instants and breaches of an incident's response and resolution targets, each counted on its
 * own clock from `startedAt` with the incident's calendar. Meeting a target exactly at its due
 * instant is not a breach.
 */
export function computeTargets(
  incident: IncidentTimes,
  policy: SeverityPolicy,
  calendar: BusinessCalendar,
  now: Date,
): TargetStatus {
  const status = computeTargetsMs(
    incident.startedAt.getTime(),
    incident.respondedAt?.getTime() ?? null,
    incident.resolvedAt?.getTime() ?? null,
    policy,
    calendar,
    now.getTime(),
  );
  const date = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));
  return {
    response_due_at: date(status.responseDueMs),
    resolution_due_at: date(status.resolutionDueMs),
    responded_at: date(status.respondedMs),
    resolved_at: date(status.resolvedMs),
    response_breached: status.responseBreached,
    resolution_breached: status.resolutionBreached,
  };
}

export type TargetName = 'response' | 'resolution';

/** A target still open that is due soon or overdue. */
export interface TargetAlert {
  target: TargetName;
  due_at: Date;
  /** Wall-clock milliseconds from `now` to the due instant; negative when overdue. */
  ms_to_due: number;
  breached: boolean;
}

/**
 * The targets of an open incident that are due within `marginMs` of wall time from `now`, or past
 * due, for breach warnings. Targets already met (responded, resolved) are never listed. The margin
 * is wall time because it tells people how soon they must act.
 */
export function targetsWithinMargin(status: TargetStatus, now: Date, marginMs: number): TargetAlert[] {
  if (!Number.isFinite(marginMs) || marginMs < 0) throw new RangeError(`margin must be a non-negative number of ms, got ${marginMs}`);
  const nowMs = now.getTime();
  const alerts: TargetAlert[] = [];
  const check = (target: TargetName, dueAt: Date | null, done: Date | null): void => {
    if (done !== null || dueAt === null) return;
    const msToDue = dueAt.getTime() - nowMs;
    if (msToDue <= marginMs) alerts.push({ target, due_at: dueAt, ms_to_due: msToDue, breached: msToDue < 0 });
  };
  check('response', status.response_due_at, status.responded_at);
  check('resolution', status.resolution_due_at, status.resolved_at);
  return alerts;
}
