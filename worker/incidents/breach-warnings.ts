import { and, eq, isNotNull, notInArray, or } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { incidents } from '../../db/schema/index.ts';
import type { Config } from '../config/load.ts';
import { CLOSED_INCIDENT_STATUSES } from '../core/vocabulary.ts';
import { queueNotice } from '../mail/outbox.ts';
import { adminAlertDeliveries } from '../notices/recipients.ts';
import { targetsWithinMargin, type TargetAlert } from '../sla/index.ts';

type IncidentRow = typeof incidents.$inferSelect;

/** The open targets of an incident that are due within the margin or overdue (what the admin views flag). */
export function slaAlerts(incident: IncidentRow, now: Date, marginMs: number): TargetAlert[] {
  // A target the policy does not state has no due instant and is never warned about; the other one still is.
  if ((!incident.responseDueAt && !incident.resolutionDueAt) || incident.resolvedAt) return [];
  return targetsWithinMargin(
    {
      response_due_at: incident.responseDueAt,
      resolution_due_at: incident.resolutionDueAt,
      responded_at: incident.respondedAt,
      resolved_at: incident.resolvedAt,
      response_breached: false,
      resolution_breached: false,
    },
    now,
    marginMs,
  );
}

/**
 * Queues one e-mail per admin (and a message to each team channel that asks for it) for each target of an open incident that is about to be missed or was missed.
 * The idempotency key names the target and its due instant, so a run every minute warns once, and a severity
 * change (new due instant) warns again. Incidents that do not count for our SLA (a provider's) are not warned.
 */
export async function queueSlaWarnings(db: Database, config: Config, now: Date): Promise<number> {
  const open = await db
    .select()
    .from(incidents)
    .where(
      and(
        notInArray(incidents.status, [...CLOSED_INCIDENT_STATUSES]),
        eq(incidents.slaCounts, true),
        or(isNotNull(incidents.responseDueAt), isNotNull(incidents.resolutionDueAt)),
      ),
    );
  const margin = config.policy.warningMarginMs;
  const warnings = open.flatMap((incident) => slaAlerts(incident, now, margin).map((alert) => ({ incident, alert })));
  if (warnings.length === 0) return 0;
  return db.transaction(async (tx) => {
    let added = 0;
    for (const { incident, alert } of warnings) {
      added += await queueNotice(
        tx,
        {
          kind: 'admin.sla_warning',
          incidentId: incident.id,
          title: incident.title,
          severity: incident.severity,
          target: alert.target,
          dueAt: alert.due_at.toISOString(),
          breached: alert.breached,
          calendarId: incident.calendarId,
        },
        await adminAlertDeliveries(tx, 'admin.sla_warning', config.admins, (to) => `sla-warning:${incident.id}:${alert.target}:${alert.due_at.getTime()}:${to.toLowerCase()}`),
        now,
      );
    }
    return added;
  });
}
