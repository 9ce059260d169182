import { eq } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channelSubscriptions, outbox } from '../../db/schema/index.ts';
import { httpChannelModules } from '../../worker/delivery/channels.ts';
import { createHttpDispatcher, type HttpDispatcherOptions } from '../../worker/delivery/http/dispatcher.ts';
import { egressPolicy } from '../../worker/lib/egress.ts';
import { workerStrings } from '../../worker/i18n/index.ts';
import { parseConfigText } from '../../worker/config/load.ts';
import { TEST_CONFIG_YAML } from '../helpers/config.ts';
import { testApp } from '../helpers/app.ts';
import { webhookReceiver, type Answer } from '../fakes/webhook-receiver.ts';
import { freshIp, pathOf } from '../subscribers/fixtures.ts';

type App = Awaited<ReturnType<typeof testApp>>;
const ALLOW = egressPolicy({ allowPrivate: true });
const NO_JITTER = () => 0;

describe('webhook and chat subscriptions, delivered over HTTP', () => {
  let t: App;
  let receiver: Awaited<ReturnType<typeof webhookReceiver>>;
  let answer: Answer;
  beforeEach(async () => {
    t = await testApp({ now: '2026-11-20T12:00:00Z' });
    answer = () => ({ status: 200 });
    receiver = await webhookReceiver((r, n) => answer(r, n));
  });
  afterEach(async () => {
    await receiver.close();
    await t.close();
  });

  const dispatcher = (options: Partial<HttpDispatcherOptions> = {}) =>
    createHttpDispatcher(t.ctx, { channels: httpChannelModules(t.ctx.config), egress: ALLOW, random: NO_JITTER, backoff: { baseMs: 1_000, maxMs: 1_000 }, ...options });

  const subscribe = async (body: Record<string, unknown>) => {
    const response = await t.request('/api/subscriptions', { method: 'POST', json: body, headers: { 'x-forwarded-for': freshIp() } });
    return { status: response.status, body: (await response.json()) as any };
  };
  const status = async (id: string) => (await t.database.db.select().from(channelSubscriptions).where(eq(channelSubscriptions.id, id)))[0]?.status;
  const rowsOf = (id: string) => t.database.db.select().from(outbox).where(eq(outbox.subscriberId, id));

  /** A verified webhook subscription, its secret and its manage link. */
  const verifiedWebhook = async (extra: Record<string, unknown> = {}, path = '/hook') => {
    const created = await subscribe({ channel: 'webhook', url: receiver.url(path), components: ['hosting'], ...extra });
    expect(created.status).toBe(201);
    await dispatcher().runOnce();
    expect(await status(created.body.subscription.id)).toBe('confirmed');
    return { id: created.body.subscription.id as string, secret: created.body.signing_secret as string, manage: created.body.manage_url as string };
  };

  /** A window 24 h after the clock's now, on hosting. */
  const announce = () => {
    const start = new Date(t.clock.now().getTime() + 24 * 3_600_000);
    return t.request('/api/admin/maintenances', {
      method: 'POST',
      json: { title: 'Migración de servidores', message: 'Hardware nuevo.', starts_at: start.toISOString(), ends_at: new Date(start.getTime() + 7_200_000).toISOString(), component_ids: ['hosting'] },
    });
  };

  it('answers 201 with the secret once, verifies a webhook by its 2xx answer, and signs payloads per Standard Webhooks', async () => {
    // The receiver checks the signature's timestamp against its own clock.
    t.clock.set(new Date());
    const created = await subscribe({ channel: 'webhook', url: receiver.url('/hook'), components: ['hosting'], locale: 'en' });
    expect(created.status).toBe(201);
    expect(created.body.signing_secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(created.body.subscription).toMatchObject({ channel: 'webhook', status: 'pending', components: ['hosting'] });
    expect(JSON.stringify(created.body.subscription)).not.toContain('whsec_');
    await dispatcher().runOnce();
    const verification = receiver.received[0]!;
    const hook = new Webhook(created.body.signing_secret);
    expect(hook.verify(verification.body, verification.headers as Record<string, string>)).toMatchObject({ type: 'subscription.verification' });
    expect(await status(created.body.subscription.id)).toBe('confirmed');

    expect((await announce()).status).toBe(201);
    await dispatcher().runOnce();
    const delivered = receiver.received[1]!;
    const payload = hook.verify(delivered.body, delivered.headers as Record<string, string>) as any;
    expect(payload).toMatchObject({ type: 'maintenance.announcement', data: { title: 'Migración de servidores', locale: 'en', subscription_id: created.body.subscription.id } });
    expect(payload.data.starts_at).toBe(new Date(t.clock.now().getTime() + 24 * 3_600_000).toISOString());
    expect(() => hook.verify(delivered.body.replace('Migración', 'Migracion'), delivered.headers as Record<string, string>)).toThrow();
  });

  it('repeats a delivery after a 500 and after a timeout with the same webhook-id', async () => {
    await verifiedWebhook();
    answer = (_r, n) => (n === 2 ? { status: 500 } : n === 3 ? 'hang' : { status: 200 });
    await announce();
    const d = dispatcher({ timeoutMs: 300 });
    await d.runOnce();
    t.clock.advance(1_000);
    await d.runOnce();
    t.clock.advance(1_000);
    await d.runOnce();
    const attempts = receiver.received.slice(1);
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((a) => a.headers['webhook-id'])).size).toBe(1);
    const [row] = (await t.database.db.select().from(outbox).where(eq(outbox.kind, 'maintenance.announcement')));
    expect(row).toMatchObject({ state: 'sent', attempts: 3 });
  });

  it('honours Retry-After, and a 410 Gone disables the subscription and alerts the admins', async () => {
    const { id } = await verifiedWebhook();
    answer = (_r, n) => (n === 2 ? { status: 429, headers: { 'retry-after': '120' } } : { status: 410 });
    await announce();
    await dispatcher().runOnce();
    const [waiting] = (await rowsOf(id)).filter((r) => r.kind === 'maintenance.announcement');
    expect(waiting!.nextAttemptAt.getTime() - t.clock.now().getTime()).toBe(120_000);
    t.clock.advance(119_000);
    await dispatcher().runOnce();
    expect(receiver.received).toHaveLength(2);
    t.clock.advance(1_000);
    await dispatcher().runOnce();
    expect(receiver.received).toHaveLength(3);
    expect(await status(id)).toBe('disabled');
    const alerts = await t.database.db.select().from(outbox).where(eq(outbox.kind, 'admin.channel_disabled'));
    expect(alerts.length).toBe(t.ctx.config.admins.length);
    expect(alerts[0]?.notice).toMatchObject({ subscriptionId: id, host: `127.0.0.1:${receiver.port}` });
  });

  it('does not follow a redirect to another host', async () => {
    const other = await webhookReceiver();
    try {
      await verifiedWebhook();
      answer = () => ({ status: 307, headers: { location: other.url('/elsewhere') } });
      await announce();
      await dispatcher().runOnce();
      expect(other.received).toHaveLength(0);
      const [row] = await t.database.db.select().from(outbox).where(eq(outbox.kind, 'maintenance.announcement'));
      expect(row).toMatchObject({ state: 'pending' });
      expect(row!.lastError).toMatch(/HTTP 307/);
    } finally {
      await other.close();
    }
  });

  it('refuses private addresses unless allowed, by address and by a name that resolves to one', async () => {
    const literal = await subscribe({ channel: 'webhook', url: receiver.url('/hook') });
    const named = await subscribe({ channel: 'webhook', url: `http://localhost:${receiver.port}/hook` });
    await dispatcher({ egress: egressPolicy({}) }).runOnce();
    expect(receiver.received).toHaveLength(0);
    for (const id of [literal.body.subscription.id, named.body.subscription.id]) {
      const [row] = await rowsOf(id);
      expect(row).toMatchObject({ state: 'failed' });
      expect(row!.lastError).toMatch(/not a public address/);
    }
    expect(await dispatcher({ egress: egressPolicy({ allow: '127.0.0.0/8' }) }).runOnce()).toMatchObject({ sent: 0 });
  });

  it('a chat subscription is confirmed through the link its verification message carries', async () => {
    const created = await subscribe({ channel: 'slack', url: receiver.url('/services/T000/B000/XXXX') });
    expect(created.status).toBe(201);
    expect(created.body.signing_secret).toBeUndefined();
    await dispatcher().runOnce();
    const message = JSON.parse(receiver.received[0]!.body) as { blocks: { type: string; elements?: { url?: string }[] }[] };
    const link = message.blocks.find((b) => b.type === 'actions')!.elements![0]!.url!;
    expect(link).toMatch(/\/api\/subscriptions\/channels\/confirm\?token=/);
    expect(await status(created.body.subscription.id)).toBe('pending');
    expect((await t.request(pathOf(link))).status).toBe(200);
    expect(await status(created.body.subscription.id)).toBe('confirmed');
  });

  it("opens the confirmation page in the subscription's language, not the browser's", async () => {
    await t.close();
    t = await testApp({ now: '2026-11-20T12:00:00Z', config: parseConfigText(TEST_CONFIG_YAML.replace('locales: [es, en]', 'locales: [es, en, pt-BR]'), 'test.config.yaml') });
    for (const [channel, locale] of [
      ['slack', 'es', 'en-US,en;q=0.9'],
      ['teams', 'en', 'es-CO,es;q=0.9'],
      ['discord', 'pt-BR', 'en-GB,en;q=0.8'],
    ] as const) {
      const created = await subscribe({ channel, url: receiver.url(`/${channel}/${locale}`), locale });
      expect(created.status, `${channel} ${locale}`).toBe(201);
    }
    await dispatcher().runOnce();
    for (const [channel, locale, browser] of [
      ['slack', 'es', 'en-US,en;q=0.9'],
      ['teams', 'en', 'es-CO,es;q=0.9'],
      ['discord', 'pt-BR', 'en-GB,en;q=0.8'],
    ] as const) {
      const verification = receiver.received.find((r) => r.path === `/${channel}/${locale}`)!;
      const link = /https?:\/\/[^"\s)>|]*\/api\/subscriptions\/channels\/confirm\?token=[A-Za-z0-9._~%-]+/.exec(verification.body)![0];
      const first = await t.request(pathOf(link), { headers: { 'accept-language': browser } });
      expect(first.status).toBe(200);
      const page = await first.text();
      expect(page).toContain(`<html lang="${locale}">`);
      expect(page).toContain(workerStrings(locale).pages.confirmedTitle);
      // Following it again says so, in the same language.
      const again = await (await t.request(pathOf(link), { headers: { 'accept-language': browser } })).text();
      expect(again).toContain(`<html lang="${locale}">`);
      expect(again).toContain(workerStrings(locale).pages.alreadyConfirmedTitle);
    }
  });

  it('pauses, resumes and removes a subscription through its manage link', async () => {
    const { id, manage } = await verifiedWebhook();
    const path = pathOf(manage);
    const paused = await t.request(path, { method: 'POST', json: { paused: true } });
    expect(((await paused.json()) as any).subscription.status).toBe('paused');
    await announce();
    expect(await dispatcher().runOnce()).toMatchObject({ sent: 0 });
    await t.request(path, { method: 'POST', json: { paused: false } });
    expect(await status(id)).toBe('confirmed');
    expect((await t.request(path.replace(/token=[^&]+/, 'token=manage.x.y'))).status).toBe(400);
    expect((await t.request(path, { method: 'DELETE' })).status).toBe(200);
    expect(await status(id)).toBeUndefined();
    expect(await rowsOf(id)).toHaveLength(0);
    const gone = await t.request(path);
    expect(gone.status).toBe(404);
    expect(((await gone.json()) as any).error.code).toBe('not_found');
  });

  it('applies components, severity and incident choices to webhook subscribers as to e-mail ones', async () => {
    const hosting = await verifiedWebhook({ incident_notices: true, min_severity: 3, locale: 'en' }, '/a');
    const correo = await verifiedWebhook({ components: ['correo'], incident_notices: true, min_severity: 4 }, '/b');
    const critical = await verifiedWebhook({ incident_notices: true, min_severity: 1 }, '/c');
    const noIncidents = await verifiedWebhook({}, '/d');
    const opened = await t.request('/api/admin/incidents', { method: 'POST', json: { title: 'Lentitud', severity: 3, message: 'Investigando.', components: ['hosting'] } });
    expect(opened.status).toBe(201);
    const rows = await t.database.db.select().from(outbox).where(eq(outbox.kind, 'incident.opened'));
    expect(rows.map((r) => r.subscriberId)).toEqual([hosting.id]);
    expect(rows[0]).toMatchObject({ channel: 'webhook', locale: 'en', target: receiver.url('/a') });
    void correo;
    void critical;
    void noIncidents;
  });

  it('refuses a bad channel or URL with the API error shape', async () => {
    const bad = await subscribe({ channel: 'fax', url: receiver.url() });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_request');
    const noUrl = await subscribe({ channel: 'webhook', url: 'ftp://x.example/' });
    expect(noUrl.status).toBe(400);
    expect(noUrl.body.error.message).toMatch(/url/);
  });
});
