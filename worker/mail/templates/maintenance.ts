import { z } from 'zod';
import type { Block } from './blocks.ts';
import { bothTimes, shortLocalTime } from './time.ts';
import { componentList, defineTemplate, isoInstant, type TemplateEnv } from './template.ts';

/**
 * Data every maintenance mail carries (frozen when queued): `maintenanceId`, `title`, `message`,
 * `startsAt`, `endsAt` (ISO), `components` (names), `upstream` ({ name, url } for a provider's window),
 * `timeZone` (the subscriber's). Reminders add `offsetMs`; reschedules `previousStartsAt`/`previousEndsAt`;
 * cancellations `reason`.
 */
const maintenanceData = z.object({
  maintenanceId: z.string().min(1),
  title: z.string().min(1),
  message: z.string().default(''),
  startsAt: isoInstant,
  endsAt: isoInstant,
  components: z.array(z.string()).default([]),
  upstream: z.object({ name: z.string(), url: z.string().nullish() }).nullish(),
  timeZone: z.string().optional(),
});
type MaintenanceData = z.output<typeof maintenanceData>;

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

export const maintenanceAnnouncement = defineTemplate({
  audience: 'subscriber',
  schema: maintenanceData,
  build: (d, env) => {
    const w = env.words.maintenance.announcement;
    return {
      subject: w.subject(d.title, when(d, env)),
      preheader: w.preheader(componentList(d.components, env.words)),
      blocks: [{ kind: 'heading', text: w.heading(d.title) }, { kind: 'paragraph', text: w.lead }, facts(d, env), ...tail(d, env, { calendar: 'add' })],
    };
  },
});

export const maintenanceReminder = defineTemplate({
  audience: 'subscriber',
  schema: maintenanceData.extend({ offsetMs: z.number().optional() }),
  build: (d, env) => {
    const w = env.words.maintenance.reminder;
    return {
      subject: w.subject(d.title, when(d, env)),
      blocks: [{ kind: 'heading', text: w.heading(d.title) }, { kind: 'paragraph', text: w.lead }, facts(d, env), ...tail(d, env, { calendar: 'add' })],
    };
  },
});

export const maintenanceRescheduled = defineTemplate({
  audience: 'subscriber',
  schema: maintenanceData.extend({ previousStartsAt: isoInstant.optional(), previousEndsAt: isoInstant.optional() }),
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
});

export const maintenanceCancelled = defineTemplate({
  audience: 'subscriber',
  schema: maintenanceData.extend({ reason: z.string().nullish() }),
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
});

export const maintenanceStarted = defineTemplate({
  audience: 'subscriber',
  schema: maintenanceData,
  build: (d, env) => {
    const w = env.words.maintenance.started;
    return {
      subject: w.subject(d.title),
      blocks: [{ kind: 'heading', text: w.heading(d.title) }, { kind: 'paragraph', text: w.lead }, facts(d, env), ...tail(d, env, { calendar: 'none' })],
    };
  },
});

export const maintenanceCompleted = defineTemplate({
  audience: 'subscriber',
  schema: maintenanceData,
  build: (d, env) => {
    const w = env.words.maintenance.completed;
    return {
      subject: w.subject(d.title),
      blocks: [{ kind: 'heading', text: w.heading(d.title) }, { kind: 'paragraph', text: w.lead }, facts(d, env), ...tail({ ...d, message: '' }, env, { calendar: 'none' })],
    };
  },
});
