import type { NoticeKind } from '../../core/notices.ts';
import { adminChannelDisabled, adminLateNotice, adminMailFailing, adminMailPaused, adminSlaWarning } from './admin.ts';
import { incidentOpened, incidentResolved, incidentUpdated } from './incident.ts';
import {
  maintenanceAnnouncement,
  maintenanceCancelled,
  maintenanceCompleted,
  maintenanceReminder,
  maintenanceRescheduled,
  maintenanceStarted,
} from './maintenance.ts';
import { subscriptionConfirm } from './subscription.ts';
import { accountPasswordLink } from './account.ts';
import type { MailTemplate } from './template.ts';

/** The e-mail of every kind of notice. */
export const TEMPLATES: { readonly [K in NoticeKind]: MailTemplate<K> } = {
  'maintenance.announcement': maintenanceAnnouncement,
  'maintenance.reminder': maintenanceReminder,
  'maintenance.rescheduled': maintenanceRescheduled,
  'maintenance.cancelled': maintenanceCancelled,
  'maintenance.started': maintenanceStarted,
  'maintenance.completed': maintenanceCompleted,
  'incident.opened': incidentOpened,
  'incident.updated': incidentUpdated,
  'incident.resolved': incidentResolved,
  'subscription.confirm': subscriptionConfirm,
  'admin.late_notice': adminLateNotice,
  'admin.sla_warning': adminSlaWarning,
  'admin.mail_paused': adminMailPaused,
  'admin.mail_failing': adminMailFailing,
  'admin.channel_disabled': adminChannelDisabled,
  'account.password_link': accountPasswordLink,
};

export const TEMPLATE_NAMES = Object.keys(TEMPLATES);
