import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningVigia } from '../../worker/server.ts';
import { workerStrings } from '../../worker/i18n/index.ts';
import { startFakeResend, type FakeResendServer } from '../fakes/resend-server.ts';
import { webhookReceiver } from '../fakes/webhook-receiver.ts';
import { readChatMessage } from '../helpers/chat-messages.ts';
import { testClock } from '../helpers/app.ts';
import { testConfig } from '../helpers/config.ts';
import { startMailingVigia } from '../helpers/server.ts';

const TOKEN = 'e2e-long-outage-admin-token';
const HOUR = 3_600_000;
const MINUTE = 60_000;
const SUBSCRIBERS = 40;
const T0 = '2026-11-23T12:00:00Z';

/**
 * A mail provider answering 500 to every call from the moment a window is scheduled, for hours, with the injectable
 * clock: the window's subscribers are still told, each exactly once, when it answers again — however many calls
 * failed meanwhile — and only a window that started before that records its announcement as moot. The admins hear
 * of it on their team channel (a real receiver on 127.0.0.1) while the provider is still failing.
 */
describe('a long mail provider outage', () => {
  let vigia: RunningVigia;
  let fake: FakeResendServer;
  let stop: () => Promise<void>;
  let clock: ReturnType<typeof testClock>;
  let receiver: Awaited<ReturnType<typeof webhookReceiver>>;

  const admin = async (method: string, path: string, body?: unknown, contentType = 'application/json') => {
    const response = await fetch(`${vigia.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body !== undefined ? { 'content-type': contentType } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const job = (name: string) => vigia.jobs.find((j) => j.name === name)!.runNow();
  const addresses = Array.from({ length: SUBSCRIBERS }, (_, i) => `persona${String(i).padStart(2, '0')}@cliente.example`);

  beforeEach(async () => {
    clock = testClock(T0);
    fake = await startFakeResend();
    receiver = await webhookReceiver();
    const config = testConfig(`notifications:\n  team_channels:\n    - { channel: slack, url: "${receiver.url('/team/alerts')}", locale: en, events: [admin.*] }\n`);
    ({ vigia, close: stop } = await startMailingVigia(fake, { config, now: clock.now, adminToken: TOKEN, env: { VIGIA_ALLOW_PRIVATE_NETWORKS: '1' } }));
    const csv = `email,components,locale,timezone\n${addresses.map((a) => `${a},hosting,es,America/Bogota`).join('\n')}\n`;
    expect((await admin('POST', '/api/admin/subscribers/import?consent_source=contrato', csv, 'text/csv')).body).toMatchObject({ created: SUBSCRIBERS, errors: [] });
  }, 60_000);
  afterEach(async () => {
    await stop?.();
    await fake?.close();
    await receiver?.close();
  });

  /** Schedules a window starting `startsIn` after T0 on hosting, with the provider already down. */
  const scheduleDuringOutage = async (startsIn: number) => {
    fake.configure({ failureRatio: 1, failureModes: ['500'] });
    const startsAt = new Date(Date.parse(T0) + startsIn);
    const created = await admin('POST', '/api/admin/maintenances', {
      title: 'Migración de servidores',
      starts_at: startsAt.toISOString(),
      ends_at: new Date(startsAt.getTime() + HOUR).toISOString(),
      component_ids: ['hosting'],
    });
    expect(created.status).toBe(201);
    return created.body.maintenance.id as string;
  };
  /** Moves the clock to `until` after T0 a step at a time, running the mail dispatch and the notice check at each. */
  const runUntil = async (until: number, step = 5 * MINUTE) => {
    while (clock.now().getTime() < Date.parse(T0) + until) {
      clock.advance(step);
      await job('mail-dispatch');
      await job('maintenance-notice-check');
      await job('http-dispatch');
    }
  };
  /** Calls carrying the announcement: its one batch holds every subscriber (the admins' alerts go in batches of their own). */
  const announcementCalls = () => fake.requests.filter((r) => r.path === '/emails/batch' && r.emails === SUBSCRIBERS).length;
  const toldOnce = () => {
    const counts = fake.countsByRecipient();
    return addresses.every((a) => counts.get(a) === 1) && fake.duplicates('recipient').length === 0;
  };
  const notice = async (id: string) => (await admin('GET', `/api/admin/maintenances/${id}`)).body.maintenance.notice;

  it('tells every subscriber exactly once after a three-hour outage that began when the window was scheduled', async () => {
    const id = await scheduleDuringOutage(20 * HOUR);
    await runUntil(3 * HOUR);
    expect(fake.deliveries).toHaveLength(0);
    // Far more failed calls than the twelve after which a batch used to be given up.
    expect(announcementCalls()).toBeGreaterThan(12);
    expect(await notice(id)).toMatchObject({ recipients: SUBSCRIBERS, notified: 0, status: 'pending' });
    // The team channel was told once that the provider keeps failing, from the batch's first quarter hour on.
    const alerts = receiver.received.filter((r) => r.path === '/team/alerts').map((r) => readChatMessage('slack', r.body));
    expect(alerts.map((a) => a.title)).toEqual([workerStrings('en').mail.admin.mailFailing.heading]);
    expect(alerts[0]!.text).toContain('500');

    fake.configure({ failureRatio: 0 });
    await runUntil(3 * HOUR + 30 * MINUTE);
    expect(fake.deliveries).toHaveLength(SUBSCRIBERS);
    expect(toldOnce()).toBe(true);
    // The deadline (start − 8 h) is still ahead: the promise is kept.
    expect(await notice(id)).toMatchObject({ recipients: SUBSCRIBERS, notified: SUBSCRIBERS, late_count: 0, all_ahead: true, status: 'ok' });
  }, 120_000);

  it('past the notice deadline, marks the window late 40 of 40 and still tells everyone once when the provider returns', async () => {
    const id = await scheduleDuringOutage(8 * HOUR + 30 * MINUTE);
    await runUntil(2 * HOUR);
    const late = await admin('GET', `/api/admin/maintenances/${id}`);
    expect(late.body.maintenance.late_notice_at).not.toBeNull();
    expect(late.body.maintenance.notice).toMatchObject({ recipients: SUBSCRIBERS, notified: 0, late_count: SUBSCRIBERS, status: 'late' });

    fake.configure({ failureRatio: 0 });
    await runUntil(2 * HOUR + 30 * MINUTE);
    expect(toldOnce()).toBe(true);
    expect(await notice(id)).toMatchObject({ recipients: SUBSCRIBERS, notified: SUBSCRIBERS, late_count: SUBSCRIBERS, all_ahead: false, status: 'late' });
  }, 120_000);

  it('records the announcement as moot once the window has started, and sends it no more', async () => {
    const id = await scheduleDuringOutage(8 * HOUR + 30 * MINUTE);
    // Nothing runs until ten minutes before the window: its announcement has made few calls, far from the twelve
    // after which a batch may be given up, when the window begins.
    clock.advance(8 * HOUR + 20 * MINUTE);
    await runUntil(8 * HOUR + 25 * MINUTE);
    // The announcement's batch is the first to carry every subscriber; the notice that the window has begun, which
    // the lifecycle job may queue meanwhile, is another batch with a key of its own.
    const announcementKey = fake.requests.find((r) => r.path === '/emails/batch' && r.emails === SUBSCRIBERS)?.idempotencyKey;
    expect(announcementKey).toBeTruthy();
    const announcementKeyCalls = () => fake.requests.filter((r) => r.path === '/emails/batch' && r.idempotencyKey === announcementKey).length;
    const callsBeforeStart = announcementKeyCalls();
    expect(callsBeforeStart).toBeLessThan(12);
    await runUntil(9 * HOUR, 5 * MINUTE);
    fake.configure({ failureRatio: 0 });
    await runUntil(9 * HOUR + 30 * MINUTE);
    // Once the window has begun, its announcement is given up without another call, however few attempts it had.
    expect(announcementKeyCalls()).toBe(callsBeforeStart);
    const rows = (await admin('GET', `/api/admin/outbox?maintenance_id=${id}&kind=maintenance.announcement`)).body.outbox as any[];
    expect(rows).toHaveLength(SUBSCRIBERS);
    const announcementIds = new Set(rows.map((r) => r.id as string));
    expect(fake.deliveries.filter((d) => d.ref !== null && announcementIds.has(d.ref))).toHaveLength(0);
    for (const row of rows) {
      expect(row.state).toBe('failed');
      expect(row.last_error).toMatch(/^moot: its window started or was cancelled/);
    }
    expect(await notice(id)).toMatchObject({ recipients: SUBSCRIBERS, notified: 0, late_count: SUBSCRIBERS, status: 'late' });
  }, 120_000);
});
