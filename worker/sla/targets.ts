import type { BusinessCalendar } from './calendar.ts';
import { dueAtMs } from './clock.ts';
import { durationMs } from './duration.ts';
import type { SeverityPolicy, SlaTarget } from './severity-policy.ts';

export {
  DEFAULT_SEVERITY_POLICIES,
  DEFAULT_SEVERITY_POLICY_CONFIG,
  compileSeverityPolicies,
  compileSeverityPolicy,
  type LocalizedText,
  type SeverityPolicy,
  type SeverityPolicyConfig,
  type SlaTarget,
} from './severity-policy.ts';

/** The moments of an incident that SLA targets measure. */
export interface IncidentTimes {
  startedAt: Date;
  respondedAt?: Date | null;
  resolvedAt?: Date | null;
}

/**
 * Where an incident stands against its two targets. A resolved incident with no recorded response
 * counts as responded when it was resolved, so `responded_at` is that instant.
 */
export interface TargetStatus {
  response_due_at: Date;
  resolution_due_at: Date;
  responded_at: Date | null;
  resolved_at: Date | null;
  /** Responded after the due instant, or not responded and `now` is past it. */
  response_breached: boolean;
  /** Resolved after the due instant, or not resolved and `now` is past it. */
  resolution_breached: boolean;
}

/** {@link TargetStatus} in epoch milliseconds (`NaN`-free: absent instants are null). */
export interface TargetStatusMs {
  responseDueMs: number;
  resolutionDueMs: number;
  respondedMs: number | null;
  resolvedMs: number | null;
  responseBreached: boolean;
  resolutionBreached: boolean;
}

function due(startMs: number, target: SlaTarget, calendar: BusinessCalendar): number {
  return dueAtMs(startMs, durationMs(target.duration, target.clock, calendar), calendar, target.clock);
}

function breached(doneMs: number | null, dueMs: number, nowMs: number): boolean {
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
  const responseDueMs = due(startedMs, policy.response, calendar);
  const resolutionDueMs = due(startedMs, policy.resolution, calendar);
  const responded = respondedMs ?? resolvedMs;
  return {
    responseDueMs,
    resolutionDueMs,
    respondedMs: responded,
    resolvedMs,
    responseBreached: breached(responded, responseDueMs, nowMs),
    resolutionBreached: breached(resolvedMs, resolutionDueMs, nowMs),
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
    response_due_at: new Date(status.responseDueMs),
    resolution_due_at: new Date(status.resolutionDueMs),
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
  const check = (target: TargetName, dueAt: Date, done: Date | null): void => {
    if (done !== null) return;
    const msToDue = dueAt.getTime() - nowMs;
    if (msToDue <= marginMs) alerts.push({ target, due_at: dueAt, ms_to_due: msToDue, breached: msToDue < 0 });
  };
  check('response', status.response_due_at, status.responded_at);
  check('resolution', status.resolution_due_at, status.resolved_at);
  return alerts;
}
