/**
 * The admin API's `ref`: what a message is about, as one string — `maintenance:<id>` (the window's notices and its
 * late-notice alerts), `incident:<id>` (the incident's notices and its SLA warnings), `subscriber:<id>` (a
 * confirmation), `mail:paused`. Read from the outbox's columns, and turned into a condition on them.
 */
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { outbox } from '../../db/schema/index.ts';
import type { OutboxRow } from './types.ts';

export function outboxRef(row: Pick<OutboxRow, 'kind' | 'maintenanceId' | 'incidentId' | 'subscriberId'>): string | null {
  if (row.maintenanceId) return `maintenance:${row.maintenanceId}`;
  if (row.incidentId) return `incident:${row.incidentId}`;
  if (row.kind === 'subscription.confirm' && row.subscriberId) return `subscriber:${row.subscriberId}`;
  if (row.kind === 'admin.mail_paused') return 'mail:paused';
  return null;
}

/** The rows whose ref is `ref`. */
export function refCondition(ref: string): SQL {
  const colon = ref.indexOf(':');
  const [type, id] = colon < 0 ? [ref, ''] : [ref.slice(0, colon), ref.slice(colon + 1)];
  if (type === 'maintenance' && id) return eq(outbox.maintenanceId, id);
  if (type === 'incident' && id) return eq(outbox.incidentId, id);
  if (type === 'subscriber' && id) return and(eq(outbox.kind, 'subscription.confirm'), eq(outbox.subscriberId, id))!;
  if (ref === 'mail:paused') return eq(outbox.kind, 'admin.mail_paused');
  return sql`0`;
}
