/** SLA clocks, calendars, targets and reports: pure functions, no I/O. */
export { SLA_CLOCKS, WEEKDAYS, type SlaClock, type Weekday } from '../core/vocabulary.ts';
export { formatConfigPath, SlaConfigError, type ConfigPath } from './errors.ts';
export { DurationError, durationMs, formatDuration, parseDuration, type Duration } from './duration.ts';
export {
  BusinessCalendar,
  CalendarError,
  compileCalendar,
  type CalendarConfig,
  type OpenRange,
} from './calendar.ts';
export { dueAt, dueAtMs, elapsed, elapsedMs, isOpen, nextOpening } from './clock.ts';
export {
  compileSeverityPolicies,
  compileSeverityPolicy,
  DEFAULT_SEVERITY_POLICIES,
  DEFAULT_SEVERITY_POLICY_CONFIG,
  type LocalizedText,
  type SeverityPolicy,
  type SeverityPolicyConfig,
  defaultStatuspageImpact,
  DEFAULT_IMMEDIATE_GRACE_MS,
  type SeverityPolicyOptions,
  type SlaTarget,
  type StatuspageImpact,
  type TargetConfig,
  type TargetSpan,
} from './severity-policy.ts';
export {
  computeTargets,
  computeTargetsMs,
  spanAt,
  targetDue,
  targetsWithinMargin,
  type TargetDue,
  type IncidentTimes,
  type TargetAlert,
  type TargetName,
  type TargetStatus,
  type TargetStatusMs,
} from './targets.ts';
export {
  buildSlaReport,
  componentAvailability,
  type AvailabilityInput,
  type ComponentAvailability,
  type ReportComponent,
  type ReportIncident,
  type ReportMaintenanceWindow,
  type SeverityStats,
  type SlaReport,
  type SlaReportInput,
  type TargetStats,
  type TimelineEntry,
} from './report.ts';
export { CSV_COLUMNS, toCsv } from './report-csv.ts';
export { cellOfLevel, levelOfCell, type MatrixAxisValue, type PriorityMatrix } from './priority-matrix.ts';
