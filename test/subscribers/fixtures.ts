import { asc, eq } from 'drizzle-orm';
import { outbox, subscribers } from '../../db/schema/index.ts';
import type { NoticeKind } from '../../worker/core/notices.ts';
import { loadSigningSecret, subscriberLinks } from '../../worker/subscribers/links.ts';
import type { testApp } from '../helpers/app.ts';

export type TestApp = Awaited<ReturnType<typeof testApp>>;

let nextIp = 1;
/** A distinct client address per call, so per-client limits do not get in the way of other assertions. */
export const freshIp = () => `198.51.100.${nextIp++ % 250}`;

export function subscribeJson(t: TestApp, body: unknown, ip = freshIp()) {
  return t.request('/api/subscriptions', { method: 'POST', json: body, headers: { 'x-forwarded-for': ip } });
}

export function subscribeForm(t: TestApp, fields: [string, string][], ip = freshIp()) {
  return t.request('/api/subscriptions', {
    method: 'POST',
    body: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip },
  });
}

export async function mails(t: TestApp, kind: NoticeKind = 'subscription.confirm') {
  return t.database.db.select().from(outbox).where(eq(outbox.kind, kind)).orderBy(asc(outbox.createdAt), asc(outbox.id));
}

export async function subscriber(t: TestApp, email: string) {
  const [row] = await t.database.db.select().from(subscribers).where(eq(subscribers.email, email));
  return row;
}

/** The path part of a link in a mail, for `app.request`. */
export function pathOf(url: string): string {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
}

export async function confirmPathFor(t: TestApp, email: string): Promise<string> {
  const rows = (await mails(t)).filter((m) => m.target === email);
  const last = rows[rows.length - 1];
  if (!last) throw new Error(`no confirmation mail for ${email}`);
  return pathOf(String(last.notice.confirmUrl));
}

export async function linksFor(t: TestApp, subscriberId: string) {
  const links = subscriberLinks(await loadSigningSecret(t.database.db), t.ctx.config.site.url, subscriberId);
  return { manage: pathOf(links.manageUrl), unsubscribe: pathOf(links.unsubscribeUrl), oneClick: pathOf(links.oneClickUrl) };
}

/** A confirmed subscriber through the real double opt-in flow. */
export async function confirmedSubscriber(t: TestApp, body: Record<string, unknown>) {
  const res = await subscribeJson(t, body);
  if (res.status !== 202) throw new Error(`subscribe answered ${res.status}: ${await res.text()}`);
  const confirmed = await t.request(await confirmPathFor(t, String(body.email)));
  if (confirmed.status !== 200) throw new Error(`confirm answered ${confirmed.status}`);
  const row = await subscriber(t, String(body.email));
  if (!row) throw new Error('subscriber missing');
  return row;
}

export function formPost(t: TestApp, path: string, fields: [string, string][]) {
  return t.request(path, {
    method: 'POST',
    body: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}
