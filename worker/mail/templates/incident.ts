import type { NoticeOf } from '../../notices/notice.ts';
import type { Block } from './blocks.ts';
import { bothTimes } from './time.ts';
import { componentList, type MailTemplate, type TemplateEnv } from './template.ts';

/**
 * What every incident notice says of its incident (frozen when queued; see `worker/notices/notice.ts`): `incidentId`,
 * `title`, `severity` (1–4), `status`, `message` (the update being reported), `components` (names), `startedAt`,
 * `resolvedAt`, `upstream` ({ name, url } when a provider reported it).
 */
type IncidentData = Omit<NoticeOf<'incident.opened'>, 'kind'>;

function body(d: IncidentData, env: TemplateEnv, lead: string): Block[] {
  const w = env.words.incident;
  const items = [
    { label: w.severity, value: `${env.severityName(d.severity, d.calendarId)} (${d.severity})` },
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

const tag = (d: IncidentData, env: TemplateEnv) => `[${env.severityName(d.severity, d.calendarId)}]`;

export const incidentOpened: MailTemplate<'incident.opened'> = {
  audience: 'subscriber',
  build: (d, env) => {
    const w = env.words.incident.opened;
    return { subject: w.subject(tag(d, env), d.title), blocks: [{ kind: 'heading', text: w.heading(d.title) }, ...body(d, env, w.lead)] };
  },
};

export const incidentUpdated: MailTemplate<'incident.updated'> = {
  audience: 'subscriber',
  build: (d, env) => {
    const w = env.words.incident.updated;
    return { subject: w.subject(tag(d, env), d.title), blocks: [{ kind: 'heading', text: w.heading(d.title) }, ...body(d, env, w.lead)] };
  },
};

export const incidentResolved: MailTemplate<'incident.resolved'> = {
  audience: 'subscriber',
  build: (d, env) => {
    const w = env.words.incident.resolvedMail;
    return { subject: w.subject(d.title), blocks: [{ kind: 'heading', text: w.heading(d.title) }, ...body(d, env, w.lead)] };
  },
};
