import { formatDuration } from '../../maintenances/notice-rule.ts';
import { bothTimes } from './time.ts';
import type { MailTemplate } from './template.ts';

/**
 * A window's notice reached (or will reach) someone later than the rule allows: `maintenanceId`,
 * `title`, `startsAt`, `endsAt`, `deadline` (start − min_notice), `recipients`, `notified`, `lateCount`,
 * `suggestedStart` (ISO, or null once the window started).
 */
export const adminLateNotice: MailTemplate<'admin.late_notice'> = {
  audience: 'admin',
  build: (d, env) => {
    const w = env.words.admin.lateNotice;
    const t = (iso: string) => bothTimes(iso, env.locale, env.timeZone);
    const items = [
      { label: w.start, value: t(d.startsAt) },
      ...(d.deadline ? [{ label: w.deadline, value: t(d.deadline) }] : []),
      { label: w.recipients, value: String(d.recipients) },
      { label: w.accepted, value: String(d.notified) },
      { label: w.late, value: String(d.lateCount) },
    ];
    const patch = `PATCH ${env.url(`/api/admin/maintenances/${d.maintenanceId}`)}\n{ "starts_at": "${d.suggestedStart ?? ''}", "ends_at": "…" }`;
    return {
      subject: w.subject(d.title),
      blocks: [
        { kind: 'heading', text: w.heading(d.title) },
        { kind: 'paragraph', text: w.lead(formatDuration(env.minNotice)) },
        { kind: 'facts', items },
        ...(d.suggestedStart ? [{ kind: 'paragraph' as const, text: w.reschedule(t(d.suggestedStart)) }, { kind: 'quote' as const, text: patch }] : []),
        { kind: 'actions', links: [{ label: env.words.viewOnPage, url: env.pageUrl(`/maintenances/${d.maintenanceId}/`) }] },
      ],
    };
  },
};

/**
 * An incident's SLA target is about to lapse, or lapsed: `incidentId`, `title`, `severity`,
 * `target` (response | resolution), `dueAt`, `breached` (already missed; default false).
 */
export const adminSlaWarning: MailTemplate<'admin.sla_warning'> = {
  audience: 'admin',
  build: (d, env) => {
    const w = env.words.admin.slaWarning;
    const target = w.target[d.target];
    return {
      subject: d.breached ? w.subjectMissed(target, d.title) : w.subjectDue(target, d.title),
      blocks: [
        { kind: 'heading', text: d.breached ? w.headingMissed(target) : w.headingDue(target) },
        {
          kind: 'facts',
          items: [
            { label: w.incident, value: d.title },
            { label: w.severity, value: `${env.severityName(d.severity, d.calendarId)} (${d.severity})` },
            { label: w.due, value: bothTimes(d.dueAt, env.locale, env.timeZone) },
          ],
        },
        { kind: 'actions', links: [{ label: w.view, url: env.pageUrl(`/incidents/${d.incidentId}/`) }] },
      ],
    };
  },
};

/** Sending stopped (provider refused the key, quota…): `reason`, optional `code`, `message`, `pausedAt`, `until`, `resumePath`. */
export const adminMailPaused: MailTemplate<'admin.mail_paused'> = {
  audience: 'admin',
  build: (d, env) => {
    const w = env.words.admin.mailPaused;
    const t = (iso: string) => bothTimes(iso, env.locale, env.timeZone);
    const reason = w.reasons[d.reason] ?? d.reason;
    const items = [
      { label: w.reason, value: [reason, d.code, d.message].filter(Boolean).join(' · ') },
      ...(d.pausedAt ? [{ label: w.since, value: t(d.pausedAt) }] : []),
      { label: w.until, value: d.until ? t(d.until) : w.untilResumed },
    ];
    return {
      subject: w.subject(reason),
      blocks: [
        { kind: 'heading', text: w.heading },
        { kind: 'paragraph', text: w.lead },
        { kind: 'facts', items },
        ...(d.resumePath ? [{ kind: 'quote' as const, text: `POST ${env.url(d.resumePath)}` }] : []),
      ],
    };
  },
};

/** The provider keeps failing: `since`, `attempts`, `waiting`, `error`. */
export const adminMailFailing: MailTemplate<'admin.mail_failing'> = {
  audience: 'admin',
  build: (d, env) => {
    const w = env.words.admin.mailFailing;
    return {
      subject: w.subject,
      blocks: [
        { kind: 'heading', text: w.heading },
        { kind: 'paragraph', text: w.lead },
        {
          kind: 'facts',
          items: [
            { label: w.since, value: bothTimes(d.since, env.locale, env.timeZone) },
            { label: w.attempts, value: String(d.attempts) },
            { label: w.waiting, value: String(d.waiting) },
            { label: w.error, value: d.error },
          ],
        },
      ],
    };
  },
};

/** A webhook or chat subscription was switched off: `subscriptionId`, `channel`, `host`, `reason`, `failures`, `disabledAt`. */
export const adminChannelDisabled: MailTemplate<'admin.channel_disabled'> = {
  audience: 'admin',
  build: (d, env) => {
    const w = env.words.admin.channelDisabled;
    return {
      subject: w.subject(d.channel, d.host),
      blocks: [
        { kind: 'heading', text: w.heading },
        { kind: 'paragraph', text: w.lead },
        {
          kind: 'facts',
          items: [
            { label: w.channel, value: d.channel },
            { label: w.host, value: d.host },
            { label: w.reason, value: d.reason },
            { label: w.failures, value: String(d.failures) },
            { label: w.since, value: bothTimes(d.disabledAt, env.locale, env.timeZone) },
          ],
        },
      ],
    };
  },
};
