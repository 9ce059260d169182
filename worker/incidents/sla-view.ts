import { iso } from '../lib/iso.ts';
import type { IncidentRow } from '../status/read-model.ts';

export interface SlaView {
  response_due_at: string | null;
  resolution_due_at: string | null;
  responded_at: string | null;
  resolved_at: string | null;
  response_breached: boolean;
  resolution_breached: boolean;
  counts_for_sla: boolean;
  calendar: string | null;
}

/** The incident's `sla` object: a target is breached when met late, or still unmet past its due time. */
export function slaView(
  incident: Pick<IncidentRow, 'responseDueAt' | 'resolutionDueAt' | 'respondedAt' | 'resolvedAt' | 'slaCounts' | 'calendarId'>,
  now: Date,
): SlaView {
  const breached = (due: Date | null, met: Date | null) => (due ? (met ?? now).getTime() > due.getTime() : false);
  return {
    response_due_at: iso(incident.responseDueAt),
    resolution_due_at: iso(incident.resolutionDueAt),
    responded_at: iso(incident.respondedAt),
    resolved_at: iso(incident.resolvedAt),
    response_breached: breached(incident.responseDueAt, incident.respondedAt),
    resolution_breached: breached(incident.resolutionDueAt, incident.resolvedAt),
    counts_for_sla: incident.slaCounts,
    calendar: incident.calendarId,
  };
}
