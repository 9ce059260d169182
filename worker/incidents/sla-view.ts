import type { SlaInfo } from '../core/api-types.ts';
import { iso } from '../lib/iso.ts';
import type { IncidentRow } from '../status/views.ts';

/** The incident's `sla` object: a target is breached when met late, or still unmet past its due time. */
export function slaView(
  incident: Pick<IncidentRow, 'responseDueAt' | 'resolutionDueAt' | 'respondedAt' | 'resolvedAt' | 'slaCounts' | 'calendarId'>,
  now: Date,
): SlaInfo {
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
