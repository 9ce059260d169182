/**
 * The value sets of notices, declared once: the kinds of notice Vigía sends and the channels it delivers them on.
 * The notice schemas (`worker/notices/notice.ts`), the outbox's columns and the delivery registry
 * (`worker/delivery/channels.ts`) derive from them.
 */

/**
 * The channels that POST a JSON body to a URL the subscriber gave: a signed webhook, and chat tools' incoming
 * webhooks. They share one HTTP delivery (`worker/delivery/http/`); each renders its own body.
 */
export const HTTP_CHANNELS = ['webhook', 'slack', 'teams', 'discord', 'google_chat'] as const;
export type HttpChannel = (typeof HTTP_CHANNELS)[number];

/** Where a notice can be delivered. A new channel is one more entry here, plus its module in the delivery registry. */
export const CHANNELS = ['email', ...HTTP_CHANNELS] as const;
export type Channel = (typeof CHANNELS)[number];

export const isHttpChannel = (channel: string): channel is HttpChannel => (HTTP_CHANNELS as readonly string[]).includes(channel);

/** What subscribers are told: about maintenance windows and incidents. */
export const SUBSCRIBER_NOTICE_KINDS = [
  'maintenance.announcement',
  'maintenance.reminder',
  'maintenance.rescheduled',
  'maintenance.cancelled',
  'maintenance.started',
  'maintenance.completed',
  'incident.opened',
  'incident.updated',
  'incident.resolved',
] as const;

/** The alerts to the page's admins: by e-mail, and to each team channel whose `events` name them. */
export const ADMIN_ALERT_KINDS = ['admin.late_notice', 'admin.sla_warning', 'admin.mail_paused', 'admin.mail_failing', 'admin.channel_disabled'] as const;
export type AdminAlertKind = (typeof ADMIN_ALERT_KINDS)[number];

/** Every notice Vigía sends: about maintenance windows, incidents, subscriptions, alerts to the page's admins, and their accounts' links. */
export const NOTICE_KINDS = [...SUBSCRIBER_NOTICE_KINDS, 'subscription.confirm', ...ADMIN_ALERT_KINDS, 'account.password_link'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** What a team channel (`notifications.team_channels`) can be sent: subscribers' notices and the admin alerts. */
export const TEAM_CHANNEL_EVENTS = [...SUBSCRIBER_NOTICE_KINDS, ...ADMIN_ALERT_KINDS] as const;
export type TeamChannelEvent = (typeof TEAM_CHANNEL_EVENTS)[number];
