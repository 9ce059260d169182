import type { NoticeOf } from '../../notices/notice.ts';
import type { Block } from './blocks.ts';
import { bothTimes, shortLocalTime } from './time.ts';
import { componentList, type MailTemplate, type TemplateEnv } from './template.ts';

/**
 * What every maintenance notice says of its window (frozen when queued; see `worker/notices/notice.ts`): `maintenanceId`,
 * `title`, `message`, `startsAt`, `endsAt`, `components` (names), `upstream` ({ name, url } for a provider's window).
 * Reminders add `offsetMs`; reschedules `previousStartsAt`/`previousEndsAt`; cancellations `reason`.
 */
type MaintenanceData = Omit<NoticeOf<'maintenance.announcement'>, 'kind'>;

function facts(d: MaintenanceData, env: TemplateEnv, previous?: { startsAt?: string; endsAt?: string }): Block {
  const w = env.words.maintenance;
  const items = [
    { label: w.start, value: bothTimes(d.startsAt, env.locale, env.timeZone) },
    { label: w.end, value: bothTimes(d.endsAt, env.locale, env.timeZone) },
    { label: w.affects, value: componentList(d.components, env.words) },
  ];
  if (previous?.startsAt && previous.endsAt) {
    items.push({
      label: w.previously,
      value: `${bothTimes(previous.startsAt, env.locale, env.timeZone)}\n– ${bothTimes(previous.endsAt, env.locale, env.timeZone)}`,
    });
  }
  return { kind: 'facts', items };
}

function tail(d: MaintenanceData, env: TemplateEnv, opts: { calendar: 'add' | 'update' | 'none' }): Block[] {
  const w = env.words.maintenance;
  const blocks: Block[] = [];
  if (d.message.trim()) blocks.push({ kind: 'quote', text: d.message.trim() });
  if (d.upstream) {
    blocks.push({ kind: 'note', text: w.upstream(d.upstream.name) });
    if (d.upstream.url) blocks.push({ kind: 'actions', links: [{ label: env.words.providerNotice, url: d.upstream.url }] });
  }
  const links = [{ label: env.words.viewOnPage, url: env.pageUrl(`/maintenances/${d.maintenanceId}/`) }];
  if (opts.calendar !== 'none') links.push({ label: opts.calendar === 'add' ? w.addToCalendar : w.updateCalendar, url: env.url(`/maintenances/${d.maintenanceId}.ics`) });
  blocks.push({ kind: 'actions', links });
  return blocks;
}

const when = (d: MaintenanceData, env: TemplateEnv) => shortLocalTime(d.startsAt, env.locale, env.timeZone);

export const maintenanceAnnouncement: MailTemplate<'maintenance.announcement'> = {
  audience: 'subscriber',
  build: (d, env) => {
    const w = env.words.maintenance.announcement;
    return {
      subject: w.subject(d.title, when(d, env)),
      preheader: w.preheader(componentList(d.components, env.words)),
      blocks: [{ kind: 'heading', text: w.heading(d.title) }, { kind: 'paragraph', text: w.lead }, facts(d, env), ...tail(d, env, { calendar: 'add' })],
    };
  },
};

export const maintenanceReminder: MailTemplate<'maintenance.reminder'> = {
  audience: 'subscriber',
  build: (d, env) => {
    const w = env.words.maintenance.reminder;
    return {
      subject: w.subject(d.title, when(d, env)),
      blocks: [{ kind: 'heading', text: w.heading(d.title) }, { kind: 'paragraph', text: w.lead }, facts(d, env), ...tail(d, env, { calendar: 'add' })],
    };
  },
};

export const maintenanceRescheduled: MailTemplate<'maintenance.rescheduled'> = {
  audience: 'subscriber',
  build: (d, env) => {
    const w = env.words.maintenance.rescheduled;
    return {
      subject: w.subject(d.title, when(d, env)),
      blocks: [
        { kind: 'heading', text: w.heading(d.title) },
        { kind: 'paragraph', text: w.lead },
        facts(d, env, { startsAt: d.previousStartsAt, endsAt: d.previousEndsAt }),
        ...tail(d, env, { calendar: 'update' }),
      ],
    };
  },
};

export const maintenanceCancelled: MailTemplate<'maintenance.cancelled'> = {
  audience: 'subscriber',
  build: (d, env) => {
    const w = env.words.maintenance.cancelled;
    return {
      subject: w.subject(d.title),
      blocks: [
        { kind: 'heading', text: w.heading(d.title) },
        { kind: 'paragraph', text: w.lead },
        facts(d, env),
        ...(d.reason?.trim() ? [{ kind: 'facts' as const, items: [{ label: env.words.maintenance.reason, value: d.reason.trim() }] }] : []),
        ...tail({ ...d, message: '' }, env, { calendar: 'update' }),
      ],
    };
  },
};

export const maintenanceStarted: MailTemplate<'maintenance.started'> = {
  audience: 'subscriber',
  build: (d, env) => {
    const w = env.words.maintenance.started;
    return {
      subject: w.subject(d.title),
      blocks: [{ kind: 'heading', text: w.heading(d.title) }, { kind: 'paragraph', text: w.lead }, facts(d, env), ...tail(d, env, { calendar: 'none' })],
    };
  },
};

export const maintenanceCompleted: MailTemplate<'maintenance.completed'> = {
  audience: 'subscriber',
  build: (d, env) => {
    const w = env.words.maintenance.completed;
    return {
      subject: w.subject(d.title),
      blocks: [{ kind: 'heading', text: w.heading(d.title) }, { kind: 'paragraph', text: w.lead }, facts(d, env), ...tail({ ...d, message: '' }, env, { calendar: 'none' })],
    };
  },
};
