import { z } from 'zod';
import type { Locale } from '../../config/schema.ts';
import type { Block } from './blocks.ts';
import { bothTimes } from './time.ts';
import { componentList, defineTemplate, isoInstant, pick, type TemplateEnv } from './template.ts';

/**
 * Data every incident mail carries (frozen when queued): `incidentId`, `title`, `severity` (1–4),
 * `status`, `message` (the update being reported), `components` (names), `startedAt`, `resolvedAt`,
 * `upstream` ({ name, url } when a provider reported it), `timeZone` (the subscriber's).
 */
const incidentData = z.object({
  incidentId: z.string().min(1),
  title: z.string().min(1),
  severity: z.number().int().min(1).max(4),
  status: z.string().default('investigating'),
  message: z.string().default(''),
  components: z.array(z.string()).default([]),
  startedAt: isoInstant,
  resolvedAt: isoInstant.nullish(),
  upstream: z.object({ name: z.string(), url: z.string().nullish() }).nullish(),
  timeZone: z.string().optional(),
});
type IncidentData = z.output<typeof incidentData>;

const STATUS: Record<Locale, Record<string, string>> = {
  es: { investigating: 'Investigando', identified: 'Identificado', monitoring: 'En observación', resolved: 'Resuelto', postmortem: 'Análisis posterior' },
  en: { investigating: 'Investigating', identified: 'Identified', monitoring: 'Monitoring', resolved: 'Resolved', postmortem: 'Postmortem' },
};

const WORDS = {
  es: { severity: 'Severidad', status: 'Estado', affects: 'Servicios afectados', started: 'Inicio', resolved: 'Resuelto', page: 'Ver en la página de estado', upstream: (n: string) => `Incidente informado por ${n || 'el proveedor'} en su página de estado.`, upstreamLink: 'Aviso del proveedor' },
  en: { severity: 'Severity', status: 'Status', affects: 'Affected services', started: 'Started', resolved: 'Resolved', page: 'View on the status page', upstream: (n: string) => `Incident reported by ${n || 'the provider'} on its status page.`, upstreamLink: "Provider's notice" },
};

function body(d: IncidentData, env: TemplateEnv, lead: string): Block[] {
  const w = pick(env.locale, WORDS);
  const items = [
    { label: w.severity, value: `${env.severityName(d.severity)} (${d.severity})` },
    { label: w.status, value: STATUS[env.locale][d.status] ?? d.status },
    { label: w.affects, value: componentList(d.components, env.locale) },
    { label: w.started, value: bothTimes(d.startedAt, env.locale, env.timeZone) },
  ];
  if (d.resolvedAt) items.push({ label: w.resolved, value: bothTimes(d.resolvedAt, env.locale, env.timeZone) });
  const blocks: Block[] = [{ kind: 'paragraph', text: lead }, { kind: 'facts', items }];
  if (d.message.trim()) blocks.push({ kind: 'quote', text: d.message.trim() });
  if (d.upstream) {
    blocks.push({ kind: 'note', text: w.upstream(d.upstream.name) });
    if (d.upstream.url) blocks.push({ kind: 'actions', links: [{ label: w.upstreamLink, url: d.upstream.url }] });
  }
  blocks.push({ kind: 'actions', links: [{ label: w.page, url: env.pageUrl(`/incidents/${d.incidentId}/`) }] });
  return blocks;
}

const tag = (d: IncidentData, env: TemplateEnv) => `[${env.severityName(d.severity)}]`;

export const incidentOpened = defineTemplate({
  audience: 'subscriber',
  schema: incidentData,
  build: (d, env) => ({
    subject: pick(env.locale, { es: `${tag(d, env)} Incidente: ${d.title}`, en: `${tag(d, env)} Incident: ${d.title}` }),
    blocks: [
      { kind: 'heading', text: pick(env.locale, { es: `Incidente: ${d.title}`, en: `Incident: ${d.title}` }) },
      ...body(d, env, pick(env.locale, { es: 'Estamos atendiendo un incidente que afecta a servicios que usted sigue.', en: 'We are working on an incident affecting services you follow.' })),
    ],
  }),
});

export const incidentUpdated = defineTemplate({
  audience: 'subscriber',
  schema: incidentData,
  build: (d, env) => ({
    subject: pick(env.locale, { es: `${tag(d, env)} Actualización: ${d.title}`, en: `${tag(d, env)} Update: ${d.title}` }),
    blocks: [
      { kind: 'heading', text: pick(env.locale, { es: `Actualización del incidente: ${d.title}`, en: `Incident update: ${d.title}` }) },
      ...body(d, env, pick(env.locale, { es: 'Hay novedades sobre este incidente.', en: 'There is news about this incident.' })),
    ],
  }),
});

export const incidentResolved = defineTemplate({
  audience: 'subscriber',
  schema: incidentData,
  build: (d, env) => ({
    subject: pick(env.locale, { es: `Resuelto: ${d.title}`, en: `Resolved: ${d.title}` }),
    blocks: [
      { kind: 'heading', text: pick(env.locale, { es: `Incidente resuelto: ${d.title}`, en: `Incident resolved: ${d.title}` }) },
      ...body(d, env, pick(env.locale, { es: 'El incidente está resuelto. Gracias por su paciencia.', en: 'The incident is resolved. Thank you for your patience.' })),
    ],
  }),
});
