import { z } from 'zod';
import type { Block } from './blocks.ts';
import { bothTimes } from './time.ts';
import { componentList, defineTemplate, isoInstant, type TemplateEnv } from './template.ts';

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

function body(d: IncidentData, env: TemplateEnv, lead: string): Block[] {
  const w = env.words.incident;
  const items = [
    { label: w.severity, value: `${env.severityName(d.severity)} (${d.severity})` },
    { label: w.statusLabel, value: w.status[d.status] ?? d.status },
    { label: w.affects, value: componentList(d.components, env.words) },
    { label: w.started, value: bothTimes(d.startedAt, env.locale, env.timeZone) },
  ];
  if (d.resolvedAt) items.push({ label: w.resolved, value: bothTimes(d.resolvedAt, env.locale, env.timeZone) });
  const blocks: Block[] = [{ kind: 'paragraph', text: lead }, { kind: 'facts', items }];
  if (d.message.trim()) blocks.push({ kind: 'quote', text: d.message.trim() });
  if (d.upstream) {
    blocks.push({ kind: 'note', text: w.upstream(d.upstream.name) });
    if (d.upstream.url) blocks.push({ kind: 'actions', links: [{ label: env.words.providerNotice, url: d.upstream.url }] });
  }
  blocks.push({ kind: 'actions', links: [{ label: env.words.viewOnPage, url: env.pageUrl(`/incidents/${d.incidentId}/`) }] });
  return blocks;
}

const tag = (d: IncidentData, env: TemplateEnv) => `[${env.severityName(d.severity)}]`;

export const incidentOpened = defineTemplate({
  audience: 'subscriber',
  schema: incidentData,
  build: (d, env) => {
    const w = env.words.incident.opened;
    return { subject: w.subject(tag(d, env), d.title), blocks: [{ kind: 'heading', text: w.heading(d.title) }, ...body(d, env, w.lead)] };
  },
});

export const incidentUpdated = defineTemplate({
  audience: 'subscriber',
  schema: incidentData,
  build: (d, env) => {
    const w = env.words.incident.updated;
    return { subject: w.subject(tag(d, env), d.title), blocks: [{ kind: 'heading', text: w.heading(d.title) }, ...body(d, env, w.lead)] };
  },
});

export const incidentResolved = defineTemplate({
  audience: 'subscriber',
  schema: incidentData,
  build: (d, env) => {
    const w = env.words.incident.resolvedMail;
    return { subject: w.subject(d.title), blocks: [{ kind: 'heading', text: w.heading(d.title) }, ...body(d, env, w.lead)] };
  },
});
