import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../worker/config/load.ts';
import type { Locale } from '../../worker/core/vocabulary.ts';
import { workerStrings } from '../../worker/i18n/index.ts';
import { localTime } from '../../worker/mail/templates/time.ts';
import { webhookReceiver, type Received } from '../fakes/webhook-receiver.ts';
import { readChatMessage, type ChatChannel } from '../helpers/chat-messages.ts';
import { TEST_CONFIG_YAML } from '../helpers/config.ts';
import { startTempVigia, type TempVigia } from '../helpers/server.ts';

const TOKEN = 'e2e-chat-channels-admin-token';

/** Each service with a reader in another language and zone. */
const READERS: { channel: ChatChannel; locale: Locale; timeZone: string }[] = [
  { channel: 'slack', locale: 'en', timeZone: 'Europe/Madrid' },
  { channel: 'teams', locale: 'pt-BR', timeZone: 'America/Sao_Paulo' },
  { channel: 'discord', locale: 'es', timeZone: 'America/Mexico_City' },
  { channel: 'google_chat', locale: 'en', timeZone: 'Asia/Tokyo' },
];

/**
 * Chat subscriptions through the running server and its delivery job, to real receivers on 127.0.0.1: subscribed
 * through the public API, verified through the link their first message carries, then told of an incident and a
 * window, each in its service's documented body and in the subscriber's language and zone; a paused one gets nothing.
 */
describe('chat channels, end to end', () => {
  let started: TempVigia;
  let receiver: Awaited<ReturnType<typeof webhookReceiver>>;
  const config = parseConfigText(TEST_CONFIG_YAML.replace('locales: [es, en]', 'locales: [es, en, pt-BR]'), 'chat.config.yaml');

  beforeAll(async () => {
    receiver = await webhookReceiver();
    started = await startTempVigia({
      config,
      env: { VIGIA_BUILD_SITE: '0', VIGIA_JOBS: '1', ADMIN_TOKEN: TOKEN, VIGIA_ALLOW_PRIVATE_NETWORKS: '1' },
    });
    await started.vigia.upstream?.stop();
  }, 60_000);
  afterAll(async () => {
    await started?.close();
    await receiver?.close();
  });

  const call = async (method: string, path: string, body?: unknown, admin = false) => {
    const response = await fetch(`${started.vigia.url}${path}`, {
      method,
      headers: { ...(admin ? { authorization: `Bearer ${TOKEN}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json().catch(() => null)) as any };
  };
  /** A link a message carries, opened on the running server (links carry the public address). */
  const open = (url: string) => {
    const link = new URL(url);
    return fetch(`${started.vigia.url}${link.pathname}${link.search}`);
  };
  const dispatch = () => started.vigia.jobs.find((j) => j.name === 'http-dispatch')!.runNow();
  const at = (path: string) => receiver.received.filter((r) => r.path === path);
  /** Runs the delivery job until `condition` holds. */
  const until = async <T>(condition: () => T | undefined | false | Promise<T | undefined | false>, what: string): Promise<T> => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      await dispatch();
      const value = await condition();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it.each(READERS)('$channel: verified through its message, then told of an incident and a window in $locale', async ({ channel, locale, timeZone }) => {
    const words = workerStrings(locale).mail;
    const active = `/${channel}/active`;
    const paused = `/${channel}/paused`;
    const subscribe = (path: string) =>
      call('POST', '/api/subscriptions', { channel, url: receiver.url(path), components: ['hosting'], locale, timezone: timeZone, incident_notices: true, min_severity: 2 });
    const subscriptions = [await subscribe(active), await subscribe(paused)];
    for (const s of subscriptions) expect(s.status).toBe(201);

    // The verification message: the channel's format, the reader's words, the confirm link as its button.
    const [verification] = await until(() => at(active).length > 0 && at(paused).length > 0 && at(active), 'the verification messages');
    const confirmation = readChatMessage(channel, verification!.body);
    expect(confirmation.title).toBe(words.subscription.heading);
    const confirm = confirmation.buttons.find((b) => b.label === words.subscription.confirm);
    expect(confirm?.url).toMatch(/^https:\/\/status\.prueba\.example\/api\/subscriptions\/channels\/confirm\?token=/);
    const otherConfirm = readChatMessage(channel, at(paused)[0]!.body).buttons[0]!.url;
    for (const link of [confirm!.url, otherConfirm]) expect((await open(link)).status).toBe(200);
    for (const s of subscriptions) expect((await open(s.body.manage_url).then((r) => r.json()) as any).subscription.status).toBe('confirmed');

    const pausedManage = new URL(subscriptions[1]!.body.manage_url);
    expect((await call('POST', `${pausedManage.pathname}${pausedManage.search}`, { paused: true })).body.subscription.status).toBe('paused');

    const incidentTitle = `Caída del hosting (${channel})`;
    const opened = await call('POST', '/api/admin/incidents', { title: incidentTitle, severity: 2, message: 'Investigamos demoras.', components: ['hosting'] }, true);
    expect(opened.status).toBe(201);
    const windowTitle = `Migración de servidores (${channel})`;
    const startsAt = new Date(Math.ceil((Date.now() + 24 * 3_600_000) / 3_600_000) * 3_600_000).toISOString();
    const endsAt = new Date(Date.parse(startsAt) + 7_200_000).toISOString();
    const scheduled = await call('POST', '/api/admin/maintenances', { title: windowTitle, message: 'Hardware nuevo.', starts_at: startsAt, ends_at: endsAt, component_ids: ['hosting'] }, true);
    expect(scheduled.status).toBe(201);

    const titled = (title: string) => (r: Received) => readChatMessage(channel, r.body).title === title;
    const incidentMessage = await until(() => at(active).find(titled(words.incident.opened.heading(incidentTitle))), 'the incident message');
    const incident = readChatMessage(channel, incidentMessage.body);
    expect(incident.text).toContain('Investigamos demoras.');
    expect(incident.buttons[0]).toEqual({ label: words.viewOnPage, url: expect.stringContaining(`/incidents/${opened.body.incident.id}/`) });
    expect(incident.buttons.find((b) => b.label === words.managePreferences)?.url).toBe(subscriptions[0]!.body.manage_url);

    const windowMessage = await until(() => at(active).find(titled(words.maintenance.announcement.heading(windowTitle))), 'the maintenance announcement');
    const announcement = readChatMessage(channel, windowMessage.body);
    // Times in the subscriber's zone and language.
    expect(announcement.text).toContain(localTime(startsAt, locale, timeZone));
    expect(announcement.buttons.map((b) => b.label)).toEqual(expect.arrayContaining([words.viewOnPage, words.maintenance.addToCalendar, words.managePreferences]));

    // A paused subscription is not among the recipients (its notices are queued with the event, before the active
    // one's arrived), and its receiver heard only the verification.
    const outbox = (await call('GET', `/api/admin/outbox?channel=${channel}&limit=500`, undefined, true)).body.outbox as { target: string; state: string; kind: string }[];
    expect(outbox.filter((r) => r.target === receiver.url(active) && r.kind !== 'subscription.confirm').map((r) => r.state)).toEqual(['sent', 'sent']);
    expect(outbox.filter((r) => r.target === receiver.url(paused) && r.state !== 'cancelled').map((r) => r.kind)).toEqual(['subscription.confirm']);
    expect(at(paused)).toHaveLength(1);
  });
});
