/**
 * A one-line `{ "text": … }` body for any notice: what chat channels post until their own renderers replace it.
 * English and UTC on purpose: it is a stopgap, not the chat messages' final wording.
 */
import type { Notice } from '../../notices/notice.ts';
import type { BodyRenderer } from './channel.ts';

export function plainText(notice: Notice): string {
  switch (notice.kind) {
    case 'maintenance.announcement':
    case 'maintenance.reminder':
    case 'maintenance.rescheduled':
    case 'maintenance.cancelled':
    case 'maintenance.started':
    case 'maintenance.completed':
      return `Maintenance (${notice.kind.slice('maintenance.'.length)}): ${notice.title}, ${notice.startsAt} to ${notice.endsAt}${notice.message ? ` — ${notice.message}` : ''}`;
    case 'incident.opened':
    case 'incident.updated':
    case 'incident.resolved':
      return `Incident (${notice.kind.slice('incident.'.length)}, severity ${notice.severity}): ${notice.title}${notice.message ? ` — ${notice.message}` : ''}`;
    case 'subscription.confirm':
      return `Confirm this channel's subscription to status notices: ${notice.confirmUrl} (the link works until ${notice.expiresAt})`;
    case 'admin.late_notice':
    case 'admin.sla_warning':
    case 'admin.mail_paused':
    case 'admin.channel_disabled':
      return `Admin alert: ${notice.kind}`;
  }
}

export const plainTextBody: BodyRenderer = (notice) => ({ text: plainText(notice) });
