import type { Severity } from '../status/vocabulary.ts';

/** Computes an incident's SLA due instants from its severity, calendar and start. */
export type SlaTargetsFn = (
  severity: Severity,
  calendarId: string | null,
  startedAt: Date,
) => { responseDueAt: Date | null; resolutionDueAt: Date | null };

import type { Config } from '../config/load.ts';

/** The SLA targets of the config's severity policy. */
export function slaTargetsFromConfig(_config: Config): SlaTargetsFn {
  return () => ({ responseDueAt: null, resolutionDueAt: null });
}
