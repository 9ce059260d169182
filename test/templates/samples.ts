/** What each mail is made from, as its producer queues it: shared by the template tests. */
import type { RenderableRow } from '../../worker/mail/render.ts';

export const maintenance = {
  maintenanceId: 'm1',
  version: 0,
  title: 'Cambio de disco',
  message: 'Habrá cortes breves.\nNo se pierden datos.',
  startsAt: '2026-11-21T13:00:00.000Z',
  endsAt: '2026-11-21T15:30:00.000Z',
  components: ['Hosting web', 'Correo corporativo'],
  upstream: null,
  timeZone: 'America/Bogota',
};
export const incident = {
  incidentId: 'i1',
  updateId: 'u1',
  title: 'Caída del correo',
  severity: 2,
  status: 'identified',
  message: 'Encontramos la causa.',
  components: ['Correo corporativo'],
  startedAt: '2026-11-20T14:10:00.000Z',
  resolvedAt: null,
  upstream: null,
  timeZone: 'America/Bogota',
};

/** Data each template is given by its producer. */
export const SAMPLES: Record<string, Record<string, unknown>> = {
  'maintenance.announcement': maintenance,
  'maintenance.reminder': { ...maintenance, offsetMs: 3_600_000 },
  'maintenance.rescheduled': { ...maintenance, previousStartsAt: '2026-11-22T13:00:00.000Z', previousEndsAt: '2026-11-22T14:00:00.000Z' },
  'maintenance.cancelled': { ...maintenance, reason: 'El proveedor lo pospuso' },
  'maintenance.started': maintenance,
  'maintenance.completed': maintenance,
  'incident.opened': incident,
  'incident.updated': incident,
  'incident.resolved': { ...incident, status: 'resolved', resolvedAt: '2026-11-20T16:00:00.000Z' },
  'account.password_link': { purpose: 'reset', name: 'Ana', url: 'https://status.prueba.example/admin/password/?token=abc', expiresAt: '2026-11-20T16:00:00.000Z' },
  'subscription.confirm': { confirmUrl: 'https://status.prueba.example/api/subscriptions/confirm?token=abc', expiresAt: '2026-11-22T15:00:00.000Z' },
  'admin.late_notice': {
    maintenanceId: 'm1',
    title: 'Cambio de disco',
    startsAt: '2026-11-20T23:01:00.000Z',
    endsAt: '2026-11-21T00:00:00.000Z',
    deadline: '2026-11-20T15:01:00.000Z',
    recipients: 2,
    notified: 2,
    lateCount: 1,
    suggestedStart: '2026-11-20T23:15:00.000Z',
    timeZone: 'America/Bogota',
  },
  'admin.sla_warning': { incidentId: 'i1', title: 'Caída del correo', severity: 1, target: 'response', dueAt: '2026-11-20T16:00:00.000Z' },
  'admin.channel_disabled': { subscriptionId: 's1', channel: 'webhook', host: 'hooks.cliente.example', reason: 'the receiver answered 410 Gone', failures: 1, disabledAt: '2026-11-20T15:00:00.000Z' },
  'admin.mail_failing': { since: '2026-11-20T15:00:00.000Z', attempts: 9, waiting: 40, error: 'internal_server_error (500): An unexpected error occurred.' },
  'admin.mail_paused': { reason: 'provider_refused', code: 'invalid_api_key', message: 'API key is invalid', pausedAt: '2026-11-20T15:00:00.000Z', until: null, resumePath: '/api/admin/outbox/resume' },
};

/** A row as the outbox holds it: the notice of `kind` made of `data`, and the reader's zone (`data.timeZone`) beside it. */
export function queuedRow(kind: string, data: Record<string, unknown>, row: Omit<RenderableRow, 'notice' | 'timeZone'>): RenderableRow {
  const { timeZone, ...fields } = data;
  return { notice: { kind, ...fields }, timeZone: typeof timeZone === 'string' ? timeZone : null, ...row };
}
