/**
 * A notice told for a chat channel, whatever the channel: what happened (title, state, severity, the components
 * affected, the times in the reader's zone and in UTC, the latest message) and where to read more, in the reader's
 * language and with the words the e-mails use. The Slack, Teams, Discord and Google Chat renderers only lay it out.
 *
 * Every text here is plain: each renderer escapes it for its format. `title`, fact values and `message` can hold
 * text an admin typed or a provider wrote; the labels, `lead`, `details` and `notes` are Vigía's own words, with
 * such text in them at most as a value.
 */
import type { NoticeKind } from '../../core/notices.ts';
import { workerStrings } from '../../i18n/index.ts';
import { localTime, shortLocalTime, utcTime } from '../../mail/templates/time.ts';
import { formatDuration } from '../../maintenances/notice-rule.ts';
import type { Notice, NoticeOf } from '../../notices/notice.ts';
import type { ChatSettings } from './settings.ts';
import { isWebUrl } from './text.ts';
import { severityTone, type Tone } from './tone.ts';

export interface ChatFact {
  label: string;
  value: string;
}

export interface ChatLink {
  label: string;
  /** Always a web (http or https) address. */
  url: string;
}

/** Who the message speaks to: a subscribed channel, a channel asked to subscribe, or the admins' own channel. */
export type ChatAudience = 'subscriber' | 'requester' | 'admin';

export interface ChatSummary {
  kind: NoticeKind;
  audience: ChatAudience;
  siteName: string;
  /** One line for notifications and previews: the site's name and the mail's subject. */
  subject: string;
  /** The heading, e.g. "Incident: Mail outage". */
  title: string;
  tone: Tone;
  /** What the notice says, in Vigía's words. */
  lead: string;
  /** Facts in the mail's order: state, severity, components, times… */
  facts: ChatFact[];
  /** Further paragraphs in Vigía's words (a reschedule suggestion). */
  details: string[];
  /** The latest message as typed (an incident update, a window's note, a command to run); null when none. */
  message: string | null;
  /** What a layout that names the message calls it. */
  messageLabel: string;
  /** The main link: the incident's or window's page, the confirm link. */
  primary: ChatLink | null;
  /** Other links: calendar, the provider's notice, preferences. */
  links: ChatLink[];
  /** Small print: where the notice comes from, when a link expires, why this channel gets it. */
  notes: string[];
  /** The instant the notice is about (ISO), for formats that stamp a message; null when none. */
  at: string | null;
}

type Words = ReturnType<typeof workerStrings>;

/** The instant in the reader's zone and in UTC, on one line. */
const both = (iso: string, s: ChatSettings) => `${localTime(iso, s.locale, s.timeZone)} · ${utcTime(iso)}`;

const componentList = (names: readonly string[], words: Words) => (names.length ? names.join(', ') : words.mail.allServices);

const link = (label: string, url: string | null | undefined): ChatLink[] => (isWebUrl(url) ? [{ label, url }] : []);

/** The chat message of a notice (checked against its kind's schema), for one reader. */
export function summarizeNotice(notice: Notice, settings: ChatSettings): ChatSummary {
  const words = workerStrings(settings.locale);
  switch (notice.kind) {
    case 'maintenance.announcement':
    case 'maintenance.reminder':
    case 'maintenance.rescheduled':
    case 'maintenance.cancelled':
    case 'maintenance.started':
    case 'maintenance.completed':
      return maintenanceSummary(notice, settings, words);
    case 'incident.opened':
    case 'incident.updated':
    case 'incident.resolved':
      return incidentSummary(notice, settings, words);
    case 'subscription.confirm':
      return confirmSummary(notice, settings, words);
    case 'admin.late_notice':
      return lateNoticeSummary(notice, settings, words);
    case 'admin.sla_warning':
      return slaWarningSummary(notice, settings, words);
    case 'admin.mail_paused':
      return mailPausedSummary(notice, settings, words);
    case 'admin.mail_failing':
      return mailFailingSummary(notice, settings, words);
    case 'admin.channel_disabled':
      return channelDisabledSummary(notice, settings, words);
    case 'account.password_link':
      // Queued by e-mail only: a password link is never posted to a shared channel.
      throw new Error('an account link is sent by e-mail only');
  }
}

type MaintenanceKind = Extract<NoticeKind, `maintenance.${string}`>;
type MaintenanceNotice = NoticeOf<MaintenanceKind>;

/** Each kind of window notice: its words (`dated`: its subject says when), the window's state, what the calendar link does, its instant. */
const MAINTENANCE_VIEW = {
  'maintenance.announcement': { words: 'announcement', dated: true, state: 'scheduled', tone: 'maintenance', calendar: 'add', at: 'startsAt' },
  'maintenance.reminder': { words: 'reminder', dated: true, state: 'scheduled', tone: 'maintenance', calendar: 'add', at: 'startsAt' },
  'maintenance.rescheduled': { words: 'rescheduled', dated: true, state: 'scheduled', tone: 'maintenance', calendar: 'update', at: 'startsAt' },
  'maintenance.cancelled': { words: 'cancelled', dated: false, state: 'cancelled', tone: 'cancelled', calendar: 'update', at: 'startsAt' },
  'maintenance.started': { words: 'started', dated: false, state: 'in_progress', tone: 'maintenance', calendar: 'none', at: 'startsAt' },
  'maintenance.completed': { words: 'completed', dated: false, state: 'completed', tone: 'resolved', calendar: 'none', at: 'endsAt' },
} as const satisfies Record<MaintenanceKind, { words: string; dated: boolean; state: string; tone: Tone; calendar: 'add' | 'update' | 'none'; at: 'startsAt' | 'endsAt' }>;

function maintenanceSummary(d: MaintenanceNotice, s: ChatSettings, words: Words): ChatSummary {
  const view = MAINTENANCE_VIEW[d.kind];
  const w = words.mail.maintenance;
  const kindWords = w[view.words];
  const when = shortLocalTime(d.startsAt, s.locale, s.timeZone);
  // Announcements, reminders and reschedules say when in their subject, as the mails do.
  const subject = view.dated ? (kindWords as typeof w.reminder).subject(d.title, when) : (kindWords as typeof w.started).subject(d.title);

  const facts: ChatFact[] = [
    { label: words.mail.incident.statusLabel, value: words.chat.maintenanceState[view.state] },
    { label: w.start, value: both(d.startsAt, s) },
    { label: w.end, value: both(d.endsAt, s) },
    { label: w.affects, value: componentList(d.components, words) },
  ];
  if (d.kind === 'maintenance.rescheduled' && d.previousStartsAt && d.previousEndsAt) {
    facts.push({ label: w.previously, value: `${both(d.previousStartsAt, s)} – ${both(d.previousEndsAt, s)}` });
  }
  if (d.kind === 'maintenance.cancelled' && d.reason?.trim()) facts.push({ label: w.reason, value: d.reason.trim() });

  // As in the mails: a cancelled or completed window's note no longer applies.
  const keepsMessage = d.kind !== 'maintenance.cancelled' && d.kind !== 'maintenance.completed';
  const links: ChatLink[] = [];
  if (view.calendar !== 'none') links.push({ label: view.calendar === 'add' ? w.addToCalendar : w.updateCalendar, url: s.url(`/maintenances/${encodeURIComponent(d.maintenanceId)}.ics`) });
  if (d.upstream) links.push(...link(words.mail.providerNotice, d.upstream.url));

  return {
    kind: d.kind,
    audience: 'subscriber',
    siteName: s.siteName,
    subject: `${s.siteName} · ${subject}`,
    title: kindWords.heading(d.title),
    tone: view.tone,
    lead: kindWords.lead,
    facts,
    details: [],
    message: keepsMessage && d.message.trim() ? d.message.trim() : null,
    messageLabel: words.chat.message,
    primary: { label: words.mail.viewOnPage, url: s.pageUrl(`/maintenances/${encodeURIComponent(d.maintenanceId)}/`) },
    links: [...links, ...manageLink(s, words)],
    notes: [...(d.upstream ? [w.upstream(d.upstream.name)] : []), words.chat.footer.subscriber(s.siteName)],
    at: d[view.at],
  };
}

type IncidentNotice = NoticeOf<'incident.opened' | 'incident.updated' | 'incident.resolved'>;

function incidentSummary(d: IncidentNotice, s: ChatSettings, words: Words): ChatSummary {
  const w = words.mail.incident;
  const severity = s.severityName(d.severity, d.calendarId);
  const tag = `[${severity}]`;
  const kindWords = d.kind === 'incident.opened' ? w.opened : d.kind === 'incident.updated' ? w.updated : w.resolvedMail;
  const subject = d.kind === 'incident.resolved' ? w.resolvedMail.subject(d.title) : (kindWords as typeof w.opened).subject(tag, d.title);

  const facts: ChatFact[] = [
    { label: w.statusLabel, value: w.status[d.status] ?? d.status },
    { label: w.severity, value: `${severity} (${d.severity})` },
    { label: w.affects, value: componentList(d.components, words) },
    { label: w.started, value: both(d.startedAt, s) },
  ];
  if (d.resolvedAt) facts.push({ label: w.resolved, value: both(d.resolvedAt, s) });

  return {
    kind: d.kind,
    audience: 'subscriber',
    siteName: s.siteName,
    subject: `${s.siteName} · ${subject}`,
    title: kindWords.heading(d.title),
    tone: d.kind === 'incident.resolved' ? 'resolved' : severityTone(d.severity),
    lead: kindWords.lead,
    facts,
    details: [],
    message: d.message.trim() || null,
    messageLabel: words.chat.message,
    primary: { label: words.mail.viewOnPage, url: s.pageUrl(`/incidents/${encodeURIComponent(d.incidentId)}/`) },
    links: [...(d.upstream ? link(words.mail.providerNotice, d.upstream.url) : []), ...manageLink(s, words)],
    notes: [...(d.upstream ? [w.upstream(d.upstream.name)] : []), words.chat.footer.subscriber(s.siteName)],
    at: d.resolvedAt ?? d.startedAt,
  };
}

function confirmSummary(d: NoticeOf<'subscription.confirm'>, s: ChatSettings, words: Words): ChatSummary {
  const w = words.mail.subscription;
  return {
    kind: d.kind,
    audience: 'requester',
    siteName: s.siteName,
    subject: `${s.siteName} · ${w.subject(s.siteName)}`,
    title: w.heading,
    tone: 'neutral',
    lead: words.chat.confirmLead(s.siteName),
    facts: [],
    details: [],
    message: null,
    messageLabel: words.chat.message,
    primary: link(w.confirm, d.confirmUrl)[0] ?? null,
    links: [],
    notes: [w.expires(both(d.expiresAt, s)), w.notYou, words.chat.footer.requester(s.siteName)],
    at: null,
  };
}

function lateNoticeSummary(d: NoticeOf<'admin.late_notice'>, s: ChatSettings, words: Words): ChatSummary {
  const w = words.mail.admin.lateNotice;
  const facts: ChatFact[] = [
    { label: w.start, value: both(d.startsAt, s) },
    ...(d.deadline ? [{ label: w.deadline, value: both(d.deadline, s) }] : []),
    { label: w.recipients, value: String(d.recipients) },
    { label: w.accepted, value: String(d.notified) },
    { label: w.late, value: String(d.lateCount) },
  ];
  return {
    kind: d.kind,
    audience: 'admin',
    siteName: s.siteName,
    subject: `${s.siteName} · ${w.subject(d.title)}`,
    title: w.heading(d.title),
    tone: 'warning',
    lead: w.lead(formatDuration(s.minNotice)),
    facts,
    details: d.suggestedStart ? [w.reschedule(both(d.suggestedStart, s))] : [],
    message: d.suggestedStart ? `PATCH ${s.url(`/api/admin/maintenances/${encodeURIComponent(d.maintenanceId)}`)}\n{ "starts_at": "${d.suggestedStart}", "ends_at": "…" }` : null,
    messageLabel: words.chat.message,
    primary: { label: words.mail.viewOnPage, url: s.pageUrl(`/maintenances/${encodeURIComponent(d.maintenanceId)}/`) },
    links: [],
    notes: [words.chat.footer.admin(s.siteName)],
    at: d.startsAt,
  };
}

function slaWarningSummary(d: NoticeOf<'admin.sla_warning'>, s: ChatSettings, words: Words): ChatSummary {
  const w = words.mail.admin.slaWarning;
  const target = w.target[d.target];
  return {
    kind: d.kind,
    audience: 'admin',
    siteName: s.siteName,
    subject: `${s.siteName} · ${d.breached ? w.subjectMissed(target, d.title) : w.subjectDue(target, d.title)}`,
    title: d.breached ? w.headingMissed(target) : w.headingDue(target),
    tone: d.breached ? 'danger' : 'warning',
    lead: d.breached ? w.subjectMissed(target, d.title) : w.subjectDue(target, d.title),
    facts: [
      { label: w.incident, value: d.title },
      { label: w.severity, value: `${s.severityName(d.severity, d.calendarId)} (${d.severity})` },
      { label: w.due, value: both(d.dueAt, s) },
    ],
    details: [],
    message: null,
    messageLabel: words.chat.message,
    primary: { label: w.view, url: s.pageUrl(`/incidents/${encodeURIComponent(d.incidentId)}/`) },
    links: [],
    notes: [words.chat.footer.admin(s.siteName)],
    at: d.dueAt,
  };
}

function mailPausedSummary(d: NoticeOf<'admin.mail_paused'>, s: ChatSettings, words: Words): ChatSummary {
  const w = words.mail.admin.mailPaused;
  const reason = w.reasons[d.reason] ?? d.reason;
  return {
    kind: d.kind,
    audience: 'admin',
    siteName: s.siteName,
    subject: `${s.siteName} · ${w.subject(reason)}`,
    title: w.heading,
    tone: 'danger',
    lead: w.lead,
    facts: [
      { label: w.reason, value: [reason, d.code, d.message].filter(Boolean).join(' · ') },
      ...(d.pausedAt ? [{ label: w.since, value: both(d.pausedAt, s) }] : []),
      { label: w.until, value: d.until ? both(d.until, s) : w.untilResumed },
    ],
    details: [],
    message: d.resumePath ? `POST ${s.url(d.resumePath)}` : null,
    messageLabel: words.chat.message,
    primary: null,
    links: [],
    notes: [words.chat.footer.admin(s.siteName)],
    at: d.pausedAt ?? null,
  };
}

function mailFailingSummary(d: NoticeOf<'admin.mail_failing'>, s: ChatSettings, words: Words): ChatSummary {
  const w = words.mail.admin.mailFailing;
  return {
    kind: d.kind,
    audience: 'admin',
    siteName: s.siteName,
    subject: `${s.siteName} · ${w.subject}`,
    title: w.heading,
    tone: 'danger',
    lead: w.lead,
    facts: [
      { label: w.since, value: both(d.since, s) },
      { label: w.attempts, value: String(d.attempts) },
      { label: w.waiting, value: String(d.waiting) },
    ],
    details: [],
    message: d.error,
    messageLabel: words.chat.message,
    primary: null,
    links: [],
    notes: [words.chat.footer.admin(s.siteName)],
    at: d.since,
  };
}

function channelDisabledSummary(d: NoticeOf<'admin.channel_disabled'>, s: ChatSettings, words: Words): ChatSummary {
  const w = words.mail.admin.channelDisabled;
  return {
    kind: d.kind,
    audience: 'admin',
    siteName: s.siteName,
    subject: `${s.siteName} · ${w.subject(d.channel, d.host)}`,
    title: w.heading,
    tone: 'warning',
    lead: w.lead,
    facts: [
      { label: w.channel, value: d.channel },
      { label: w.host, value: d.host },
      { label: w.reason, value: d.reason },
      { label: w.failures, value: String(d.failures) },
      { label: w.since, value: both(d.disabledAt, s) },
    ],
    details: [],
    message: null,
    messageLabel: words.chat.message,
    primary: null,
    links: [],
    notes: [words.chat.footer.admin(s.siteName)],
    at: d.disabledAt,
  };
}

function manageLink(s: ChatSettings, words: Words): ChatLink[] {
  return link(words.mail.managePreferences, s.manageUrl);
}
