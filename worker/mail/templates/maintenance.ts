import { z } from 'zod';
import type { Block } from './blocks.ts';
import { bothTimes, shortLocalTime } from './time.ts';
import { componentList, defineTemplate, isoInstant, pick, type TemplateEnv } from './template.ts';

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

const WORDS = {
  es: {
    start: 'Inicio',
    end: 'Fin previsto',
    affects: 'Servicios afectados',
    previously: 'Antes',
    page: 'Ver en la página de estado',
    calendar: 'Agregar al calendario',
    calendarUpdate: 'Actualizar su calendario',
    reason: 'Motivo',
    upstream: (name: string) => `Este mantenimiento lo anunció ${name || 'el proveedor'} en su página de estado; sus horarios son los del proveedor.`,
    upstreamLink: 'Aviso del proveedor',
  },
  en: {
    start: 'Start',
    end: 'Expected end',
    affects: 'Affected services',
    previously: 'Previously',
    page: 'View on the status page',
    calendar: 'Add to calendar',
    calendarUpdate: 'Update your calendar',
    reason: 'Reason',
    upstream: (name: string) => `This maintenance was announced by ${name || 'the provider'} on its status page; its times are the provider's.`,
    upstreamLink: "Provider's notice",
  },
};

function facts(d: MaintenanceData, env: TemplateEnv, previous?: { startsAt?: string; endsAt?: string }): Block {
  const w = pick(env.locale, WORDS);
  const items = [
    { label: w.start, value: bothTimes(d.startsAt, env.locale, env.timeZone) },
    { label: w.end, value: bothTimes(d.endsAt, env.locale, env.timeZone) },
    { label: w.affects, value: componentList(d.components, env.locale) },
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
  const w = pick(env.locale, WORDS);
  const blocks: Block[] = [];
  if (d.message.trim()) blocks.push({ kind: 'quote', text: d.message.trim() });
  if (d.upstream) {
    blocks.push({ kind: 'note', text: w.upstream(d.upstream.name) });
    if (d.upstream.url) blocks.push({ kind: 'actions', links: [{ label: w.upstreamLink, url: d.upstream.url }] });
  }
  const links = [{ label: w.page, url: env.pageUrl(`/maintenances/${d.maintenanceId}/`) }];
  if (opts.calendar !== 'none') links.push({ label: opts.calendar === 'add' ? w.calendar : w.calendarUpdate, url: env.url(`/maintenances/${d.maintenanceId}.ics`) });
  blocks.push({ kind: 'actions', links });
  return blocks;
}

const when = (d: MaintenanceData, env: TemplateEnv) => shortLocalTime(d.startsAt, env.locale, env.timeZone);

export const maintenanceAnnouncement = defineTemplate({
  audience: 'subscriber',
  schema: maintenanceData,
  build: (d, env) => ({
    subject: pick(env.locale, { es: `Mantenimiento programado: ${d.title} (${when(d, env)})`, en: `Scheduled maintenance: ${d.title} (${when(d, env)})` }),
    preheader: pick(env.locale, { es: `Afecta a ${componentList(d.components, 'es')}.`, en: `Affects ${componentList(d.components, 'en')}.` }),
    blocks: [
      { kind: 'heading', text: pick(env.locale, { es: `Mantenimiento programado: ${d.title}`, en: `Scheduled maintenance: ${d.title}` }) },
      {
        kind: 'paragraph',
        text: pick(env.locale, {
          es: 'Le avisamos con anticipación de un mantenimiento que puede afectar a los servicios que sigue.',
          en: 'We are letting you know in advance about maintenance that may affect services you follow.',
        }),
      },
      facts(d, env),
      ...tail(d, env, { calendar: 'add' }),
    ],
  }),
});

export const maintenanceReminder = defineTemplate({
  audience: 'subscriber',
  schema: maintenanceData.extend({ offsetMs: z.number().optional() }),
  build: (d, env) => ({
    subject: pick(env.locale, { es: `Recordatorio: mantenimiento «${d.title}» (${when(d, env)})`, en: `Reminder: maintenance "${d.title}" (${when(d, env)})` }),
    blocks: [
      { kind: 'heading', text: pick(env.locale, { es: `Recordatorio de mantenimiento: ${d.title}`, en: `Maintenance reminder: ${d.title}` }) },
      { kind: 'paragraph', text: pick(env.locale, { es: 'El mantenimiento que le anunciamos comienza pronto.', en: 'The maintenance we announced starts soon.' }) },
      facts(d, env),
      ...tail(d, env, { calendar: 'add' }),
    ],
  }),
});

export const maintenanceRescheduled = defineTemplate({
  audience: 'subscriber',
  schema: maintenanceData.extend({ previousStartsAt: isoInstant.optional(), previousEndsAt: isoInstant.optional() }),
  build: (d, env) => ({
    subject: pick(env.locale, { es: `Mantenimiento reprogramado: ${d.title} (${when(d, env)})`, en: `Maintenance rescheduled: ${d.title} (${when(d, env)})` }),
    blocks: [
      { kind: 'heading', text: pick(env.locale, { es: `Mantenimiento reprogramado: ${d.title}`, en: `Maintenance rescheduled: ${d.title}` }) },
      { kind: 'paragraph', text: pick(env.locale, { es: 'Cambiamos el horario de este mantenimiento. Este es el nuevo:', en: 'We changed the time of this maintenance. This is the new one:' }) },
      facts(d, env, { startsAt: d.previousStartsAt, endsAt: d.previousEndsAt }),
      ...tail(d, env, { calendar: 'update' }),
    ],
  }),
});

export const maintenanceCancelled = defineTemplate({
  audience: 'subscriber',
  schema: maintenanceData.extend({ reason: z.string().nullish() }),
  build: (d, env) => {
    const w = pick(env.locale, WORDS);
    return {
      subject: pick(env.locale, { es: `Mantenimiento cancelado: ${d.title}`, en: `Maintenance cancelled: ${d.title}` }),
      blocks: [
        { kind: 'heading', text: pick(env.locale, { es: `Mantenimiento cancelado: ${d.title}`, en: `Maintenance cancelled: ${d.title}` }) },
        { kind: 'paragraph', text: pick(env.locale, { es: 'El mantenimiento previsto ya no se realizará.', en: 'The planned maintenance will not take place.' }) },
        facts(d, env),
        ...(d.reason?.trim() ? [{ kind: 'facts' as const, items: [{ label: w.reason, value: d.reason.trim() }] }] : []),
        ...tail({ ...d, message: '' }, env, { calendar: 'update' }),
      ],
    };
  },
});

export const maintenanceStarted = defineTemplate({
  audience: 'subscriber',
  schema: maintenanceData,
  build: (d, env) => ({
    subject: pick(env.locale, { es: `Mantenimiento en curso: ${d.title}`, en: `Maintenance in progress: ${d.title}` }),
    blocks: [
      { kind: 'heading', text: pick(env.locale, { es: `Mantenimiento en curso: ${d.title}`, en: `Maintenance in progress: ${d.title}` }) },
      { kind: 'paragraph', text: pick(env.locale, { es: 'El mantenimiento comenzó. Le avisaremos cuando termine.', en: 'The maintenance has started. We will tell you when it is over.' }) },
      facts(d, env),
      ...tail(d, env, { calendar: 'none' }),
    ],
  }),
});

export const maintenanceCompleted = defineTemplate({
  audience: 'subscriber',
  schema: maintenanceData,
  build: (d, env) => ({
    subject: pick(env.locale, { es: `Mantenimiento finalizado: ${d.title}`, en: `Maintenance completed: ${d.title}` }),
    blocks: [
      { kind: 'heading', text: pick(env.locale, { es: `Mantenimiento finalizado: ${d.title}`, en: `Maintenance completed: ${d.title}` }) },
      {
        kind: 'paragraph',
        text: pick(env.locale, {
          es: 'El mantenimiento terminó y los servicios funcionan con normalidad. Si nota algún problema, escríbanos.',
          en: 'The maintenance is over and services are running normally. If you notice any problem, let us know.',
        }),
      },
      facts(d, env),
      ...tail({ ...d, message: '' }, env, { calendar: 'none' }),
    ],
  }),
});
