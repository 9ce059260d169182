import type { Config } from '../config/load.ts';
import { severitiesFor } from '../config/policy.ts';
import { computeTargets, type BusinessCalendar, type SeverityPolicy } from '../sla/index.ts';
import type { Severity } from '../core/vocabulary.ts';

/** Computes an incident's SLA due instants from its severity, calendar and start. */
export type SlaTargetsFn = (
  severity: Severity,
  calendarId: string | null,
  startedAt: Date,
) => { responseDueAt: Date | null; resolutionDueAt: Date | null };

/** The calendar an incident's clock runs on: its own, else the default one. */
export function calendarFor(config: Config, calendarId: string | null): BusinessCalendar {
  const { calendars, defaultCalendarId } = config.policy;
  return calendars.get(calendarId ?? defaultCalendarId) ?? calendars.get(defaultCalendarId)!;
}

/** The level's policy on a calendar: its region's own levels when the region has them, else the policy's. */
export function severityPolicy(config: Config, severity: number, calendarId: string | null = null): SeverityPolicy | undefined {
  return severitiesFor(config.policy, calendarId ?? config.policy.defaultCalendarId).find((s) => s.level === severity);
}

/**
 * The SLA targets of the config's severity policy, each on its own clock (business hours or around the clock); a
 * target with in-hours and out-of-hours lengths takes the one for when the incident started (again on escalation).
 */
export function slaTargetsFromConfig(config: Config): SlaTargetsFn {
  return (severity, calendarId, startedAt) => {
    const policy = severityPolicy(config, severity, calendarId);
    if (!policy) return { responseDueAt: null, resolutionDueAt: null };
    const targets = computeTargets({ startedAt }, policy, calendarFor(config, calendarId), startedAt);
    return { responseDueAt: targets.response_due_at, resolutionDueAt: targets.resolution_due_at };
  };
}
