import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/client.ts';
import { maintenances, outbox, subscribers, workerState } from '../../db/schema/index.ts';
import { queueNotice } from '../../worker/mail/outbox.ts';
import { createMailDispatcher, type DispatcherOptions } from '../../worker/mail/dispatcher.ts';
import { readPause } from '../../worker/mail/pause.ts';
import { resendTransport, transportFromEnv, type MailTransport } from '../../worker/mail/transport.ts';
import type { MailRenderer } from '../../worker/mail/types.ts';
import { memoryDatabase } from '../helpers/db.ts';
import { startFakeResend, type FakeResendServer } from '../fakes/resend-server.ts';
import { announcement, batchRows, emailOnly, mailContext, outboxRows, plainRenderer, queueNotices, recipientOf, sleep } from './support.ts';

describe('mail dispatcher against the fake Resend API', () => {
  let fake: FakeResendServer;
  let database: DatabaseHandle;

  beforeEach(async () => {
    fake = await startFakeResend();
    database = await memoryDatabase();
  });
  afterEach(async () => {
    await fake.close();
    database.close();
  });

  /** A dispatcher with the e-mail channel alone: the plain renderer and the fake provider unless told otherwise. */
  const dispatcher = (
    { renderer = plainRenderer, transport, ...options }: Partial<Omit<DispatcherOptions, 'channels'>> & { renderer?: MailRenderer; transport?: MailTransport } = {},
    ctxOptions: Parameters<typeof mailContext>[1] = {},
  ) => {
    const ctx = mailContext(database, ctxOptions);
    return createMailDispatcher(ctx, {
      channels: emailOnly(renderer, transport ?? resendTransport({ apiKey: fake.apiKey, baseUrl: fake.url })),
      ratePerSecond: 100,
      backoff: { baseMs: 20, maxMs: 200 },
      requestTimeoutMs: 2_000,
      leaseMs: 5_000,
      ...options,
    });
  };

  it('sends 250 messages in 3 batch calls, each message once, and records provider ids and sent_at', async () => {
    await queueNotices(database.db, 250);
    const before = Date.now();
    const summary = await dispatcher().drain({ timeoutMs: 10_000 });

    expect(summary).toMatchObject({ sent: 250, failed: 0, batches: 3 });
    const calls = fake.requests.filter((r) => r.path === '/emails/batch');
    expect(calls.map((c) => c.emails).sort((a, b) => a - b)).toEqual([50, 100, 100]);
    expect(new Set(calls.map((c) => c.idempotencyKey)).size).toBe(3);
    expect(fake.deliveries).toHaveLength(250);
    expect(fake.duplicates()).toEqual([]);

    const rows = await outboxRows(database.db);
    const byRef = new Map(fake.deliveries.map((d) => [d.ref, d]));
    for (const row of rows) {
      expect(row.state).toBe('sent');
      expect(row.providerId).toBe(byRef.get(row.id)?.id);
      expect(row.sentAt!.getTime()).toBeGreaterThanOrEqual(before);
    }
    const delivered = byRef.get(rows[0]!.id)!;
    expect(delivered.headers).toMatchObject({ 'List-Unsubscribe': `<https://status.prueba.example/u/${rows[0]!.id}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
    expect(delivered.from).toBe('Vigía <status@prueba.example>');

    const batches = await batchRows(database.db);
    expect(batches.map((b) => b.state)).toEqual(['sent', 'sent', 'sent']);
    expect(batches.every((b) => b.payload === null && b.sentAt !== null)).toBe(true);

    const [last] = await database.db.select().from(workerState).where(eq(workerState.key, 'mail.last_dispatch_at'));
    expect(new Date(last!.value).getTime()).toBeGreaterThanOrEqual(before);
  });

  it('waits for messages queued for later', async () => {
    const now = new Date();
    await queueNotices(database.db, 1);
    await database.db.update(outbox).set({ nextAttemptAt: new Date(now.getTime() + 60_000) });
    expect(await dispatcher().runOnce()).toMatchObject({ batches: 0, sent: 0 });
    expect(fake.requests).toHaveLength(0);
  });

  it('repeats a batch whose answer was lost with the same key, and the provider does not send it twice', async () => {
    await queueNotices(database.db, 30);
    fake.queueFaults({ kind: 'drop-after' });
    const summary = await dispatcher().drain({ timeoutMs: 10_000 });

    expect(summary.sent).toBe(30);
    expect(fake.requests.map((r) => r.outcome)).toEqual(['dropped-after(accepted)', 'replayed']);
    expect(fake.requests[0]!.idempotencyKey).toBe(fake.requests[1]!.idempotencyKey);
    expect(fake.deliveries).toHaveLength(30);
    const rows = await outboxRows(database.db);
    expect(new Set(rows.map((r) => r.providerId))).toEqual(new Set(fake.deliveries.map((d) => d.id)));
    const [batch] = await batchRows(database.db);
    expect(batch).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('honours Retry-After on 429: the next attempt is not before it', async () => {
    await queueNotices(database.db, 5);
    fake.queueFaults({ kind: 'status', status: 429, name: 'rate_limit_exceeded', message: 'Too many requests.', headers: { 'retry-after': '1' } });
    await dispatcher().drain({ timeoutMs: 10_000 });

    const [limited, next] = fake.requests;
    expect(limited!.status).toBe(429);
    expect(next!.outcome).toBe('accepted');
    expect(next!.at - limited!.answeredAt!).toBeGreaterThanOrEqual(1_000);
    expect(fake.deliveries).toHaveLength(5);
    const [batch] = await batchRows(database.db);
    // A 429 is not a failed attempt.
    expect(batch).toMatchObject({ state: 'sent', attempts: 1 });
  });

  it('delivers everything exactly once when 30% of provider calls fail (500, dropped before, dropped after)', async () => {
    fake.configure({ failureRatio: 0.3, seed: 42 });
    await queueNotices(database.db, 1_000);
    const summary = await dispatcher({ batchSize: 20, maxAttempts: 30 }).drain({ timeoutMs: 20_000 });

    expect(summary.sent).toBe(1_000);
    const outcomes = fake.requests.map((r) => r.outcome);
    expect(outcomes.filter((o) => o !== 'accepted' && o !== 'replayed').length).toBeGreaterThan(5);
    expect(outcomes).toContain('replayed');
    expect(fake.deliveries).toHaveLength(1_000);
    expect(fake.duplicates()).toEqual([]);
    const counts = fake.countsByRecipient();
    for (let i = 0; i < 1_000; i++) expect(counts.get(recipientOf(i))).toBe(1);
    expect((await outboxRows(database.db)).every((r) => r.state === 'sent')).toBe(true);
  });

  it('fails only the message with an address the provider refuses; the rest of its batch is sent', async () => {
    await queueNotices(database.db, 10, { recipients: (i) => (i === 3 ? 'buzon@sin-dominio' : i === 6 ? 'refused@cliente.example' : recipientOf(i)) });
    fake.rejectRecipients('refused@cliente.example');
    const summary = await dispatcher().drain({ timeoutMs: 10_000 });

    expect(summary).toMatchObject({ sent: 8, failed: 2 });
    expect(fake.requests).toHaveLength(1);
    const rows = await outboxRows(database.db);
    const failed = rows.filter((r) => r.state === 'failed');
    expect(failed.map((r) => r.target).sort()).toEqual(['buzon@sin-dominio', 'refused@cliente.example']);
    for (const row of failed) expect(row.lastError).toMatch(/refused by the provider: Invalid `to` field/);
    expect(rows.filter((r) => r.state === 'sent')).toHaveLength(8);
    expect(fake.deliveries).toHaveLength(8);
  });

  it('fails a malformed address locally without calling the provider for it', async () => {
    await queueNotices(database.db, 3, { recipients: (i) => (i === 1 ? 'ana@cliente.example\r\nBcc: x@y.example' : recipientOf(i)) });
    await dispatcher().drain({ timeoutMs: 10_000 });
    const rows = await outboxRows(database.db);
    expect(rows.find((r) => r.target.startsWith('ana'))).toMatchObject({ state: 'failed', lastError: expect.stringContaining('invalid recipient') });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.emails).toBe(2);
  });

  it('does not send a window\'s announcement once the window has begun: it is recorded as moot without a call', async () => {
    const now = new Date();
    const hour = 3_600_000;
    await database.db.insert(maintenances).values([
      { id: 'm-begun', title: 'Ya empezó', status: 'scheduled', startsAt: new Date(now.getTime() - hour), endsAt: new Date(now.getTime() + hour), createdAt: now, updatedAt: now },
      { id: 'm-ahead', title: 'Más adelante', status: 'scheduled', startsAt: new Date(now.getTime() + 9 * hour), endsAt: new Date(now.getTime() + 10 * hour), createdAt: now, updatedAt: now },
    ]);
    await queueNotices(database.db, 3, { maintenanceId: 'm-begun', now, recipients: (i) => `empezada${i}@cliente.example` });
    await queueNotices(database.db, 2, { maintenanceId: 'm-ahead', now, recipients: (i) => `adelante${i}@cliente.example` });
    await dispatcher().drain({ timeoutMs: 10_000 });
    const rows = await outboxRows(database.db);
    const begun = rows.filter((r) => r.maintenanceId === 'm-begun');
    expect(begun).toHaveLength(3);
    for (const row of begun) expect(row).toMatchObject({ state: 'failed', lastError: expect.stringMatching(/^moot: its window started/) });
    expect(rows.filter((r) => r.maintenanceId === 'm-ahead').map((r) => r.state)).toEqual(['sent', 'sent']);
    expect(fake.deliveries.flatMap((d) => d.to).sort()).toEqual(['adelante0@cliente.example', 'adelante1@cliente.example']);
  });

  it('does not send queued mail to someone who unsubscribed or was deleted since; a confirmation still goes to a pending subscriber', async () => {
    const now = new Date();
    const people = [
      { id: 's-ok', email: 'sigue@cliente.example', status: 'confirmed' as const },
      { id: 's-gone', email: 'se-fue@cliente.example', status: 'unsubscribed' as const },
      { id: 's-new', email: 'nuevo@cliente.example', status: 'pending' as const },
    ];
    await database.db.insert(subscribers).values(people.map((p) => ({ ...p, timezone: 'America/Bogota', createdAt: now, updatedAt: now })));
    const to = (idempotencyKey: string, target: string, subscriberId: string) => ({ channel: 'email' as const, idempotencyKey, target, subscriberId, locale: 'es' as const });
    await database.db.transaction(async (tx) => {
      await queueNotice(tx, announcement('m1'), [
        to('a', 'sigue@cliente.example', 's-ok'),
        to('b', 'se-fue@cliente.example', 's-gone'),
        to('c', 'nuevo@cliente.example', 's-new'),
        to('d', 'borrado@cliente.example', 's-deleted'),
      ], now);
      await queueNotice(tx, { kind: 'subscription.confirm', confirmUrl: 'https://status.prueba.example/api/subscriptions/confirm?token=t', expiresAt: '2026-11-22T15:00:00.000Z' }, [
        to('e', 'nuevo@cliente.example', 's-new'),
      ], now);
    });
    await dispatcher().drain({ timeoutMs: 10_000 });
    const rows = await outboxRows(database.db);
    const state = (key: string) => rows.find((r) => r.idempotencyKey === key);
    expect(state('a')).toMatchObject({ state: 'sent' });
    expect(state('b')).toMatchObject({ state: 'cancelled', lastError: 'not sent: subscriber is unsubscribed' });
    expect(state('c')).toMatchObject({ state: 'cancelled', lastError: 'not sent: subscriber is pending' });
    expect(state('d')).toMatchObject({ state: 'cancelled', lastError: 'not sent: subscriber was deleted' });
    expect(state('e')).toMatchObject({ state: 'sent' });
    expect(fake.deliveries.flatMap((d) => d.to).sort()).toEqual(['nuevo@cliente.example', 'sigue@cliente.example']);
  });

  it('splits a batch the provider refuses as a whole and sends its messages one by one', async () => {
    await queueNotices(database.db, 4);
    fake.queueFaults({ kind: 'status', status: 422, name: 'validation_error', message: 'Invalid batch.' });
    const summary = await dispatcher().drain({ timeoutMs: 10_000 });
    expect(summary.sent).toBe(4);
    expect(fake.requests.map((r) => r.emails)).toEqual([4, 1, 1, 1, 1]);
    expect((await batchRows(database.db)).map((b) => b.state).sort()).toEqual(['sent', 'sent', 'sent', 'sent', 'split']);
    expect(fake.duplicates()).toEqual([]);
  });

  it('pauses on a quota error, alerts the admins once, and resumes where it stopped', async () => {
    await queueNotices(database.db, 150);
    fake.configure({ dailyQuota: 100 });
    const first = await dispatcher({ concurrency: 1 }).drain({ timeoutMs: 10_000 });

    expect(first).toMatchObject({ sent: 100, paused: true });
    const pause = await readPause(database.db);
    expect(pause).toMatchObject({ reason: 'quota', code: 'daily_quota_exceeded' });
    expect(new Date(pause!.until!).getUTCHours()).toBe(0);
    const alerts = (await outboxRows(database.db)).filter((r) => r.kind === 'admin.mail_paused');
    expect(alerts).toEqual([expect.objectContaining({ target: 'ops@prueba.example', state: 'pending', notice: expect.objectContaining({ code: 'daily_quota_exceeded' }) })]);
    // While paused nothing is called.
    const calls = fake.requests.length;
    expect(await dispatcher().runOnce()).toMatchObject({ paused: true, batches: 0 });
    expect(fake.requests).toHaveLength(calls);

    // The quota is back and an admin resumes: the same stored batch goes out, then the alert.
    fake.configure({ dailyQuota: undefined });
    await database.db.delete(workerState).where(eq(workerState.key, 'mail.paused'));
    const second = await dispatcher().drain({ timeoutMs: 10_000 });
    expect(second.sent).toBe(51);
    expect(fake.deliveries).toHaveLength(151);
    expect(fake.duplicates()).toEqual([]);
    expect((await batchRows(database.db)).filter((b) => b.state === 'sent')).toHaveLength(3);
  });

  it('lifts a daily-quota pause by itself once its time has come', async () => {
    let clock = new Date('2026-11-20T23:50:00Z');
    await queueNotices(database.db, 2, { now: clock });
    fake.queueFaults({ kind: 'status', status: 429, name: 'daily_quota_exceeded', message: 'You have reached your daily email sending quota.' });
    const d = dispatcher({}, { now: () => clock });
    expect(await d.runOnce()).toMatchObject({ paused: true, sent: 0 });
    clock = new Date('2026-11-21T00:02:00Z');
    // The two notices, then the alert about the pause.
    expect(await d.runOnce()).toMatchObject({ paused: false, sent: 3 });
    expect(await readPause(database.db)).toBeNull();
    expect(fake.deliveries.map((x) => x.to[0]).sort()).toEqual(['ops@prueba.example', recipientOf(0), recipientOf(1)]);
  });

  it('pauses on a refused API key', async () => {
    await queueNotices(database.db, 2);
    const d = dispatcher({ transport: resendTransport({ apiKey: 're_revoked', baseUrl: fake.url }) });
    expect(await d.drain({ timeoutMs: 5_000 })).toMatchObject({ paused: true, sent: 0 });
    expect(await readPause(database.db)).toMatchObject({ reason: 'provider_refused', code: 'invalid_api_key', until: null });
    expect((await outboxRows(database.db)).filter((r) => r.kind === 'admin.mail_paused')).toHaveLength(1);
  });

  it('a worker takes over a batch whose holder died mid-call, once the lease has expired, with the same key', async () => {
    await queueNotices(database.db, 20);
    // worker-a's call reaches the provider and is accepted, then worker-a freezes for good.
    const real = resendTransport({ apiKey: fake.apiKey, baseUrl: fake.url });
    const dying: MailTransport = {
      name: 'dying',
      rateLimited: true,
      sendBatch: async (request) => {
        await real.sendBatch(request);
        return new Promise<never>(() => {});
      },
    };
    void dispatcher({ owner: 'worker-a', transport: dying, requestTimeoutMs: 300, leaseMs: 800 }).runOnce();
    while (fake.deliveries.length < 20) await sleep(10);
    const [held] = await batchRows(database.db);
    expect(held).toMatchObject({ state: 'sending', leaseOwner: 'worker-a' });

    // While the lease runs, another worker leaves the batch (and its rows) alone.
    const second = dispatcher({ owner: 'worker-b' });
    expect(await second.runOnce()).toMatchObject({ batches: 0 });
    expect(fake.requests).toHaveLength(1);

    await sleep(900);
    const taken = await second.drain({ timeoutMs: 5_000 });
    expect(taken).toMatchObject({ batches: 1, sent: 20 });
    expect(fake.requests.map((r) => [r.idempotencyKey, r.outcome])).toEqual([
      [held!.idempotencyKey, 'accepted'],
      [held!.idempotencyKey, 'replayed'],
    ]);
    expect(fake.deliveries).toHaveLength(20);
    expect((await batchRows(database.db))[0]).toMatchObject({ state: 'sent', leaseOwner: 'worker-b' });
    const rows = await outboxRows(database.db);
    expect(new Set(rows.map((r) => r.providerId))).toEqual(new Set(fake.deliveries.map((d) => d.id)));
  });

  it('returns claims of a worker that stopped before batching to the queue after the lease', async () => {
    await queueNotices(database.db, 5);
    const past = new Date(Date.now() - 1);
    await database.db.update(outbox).set({ state: 'claimed', leaseOwner: 'dead-worker', leaseExpiresAt: past });
    const summary = await dispatcher().drain({ timeoutMs: 5_000 });
    expect(summary.sent).toBe(5);
    expect(fake.deliveries).toHaveLength(5);
  });

  it('postpones a message whose template fails, and gives it up after maxAttempts', async () => {
    await queueNotices(database.db, 3);
    const rows = await outboxRows(database.db);
    const broken = rows[1]!.id;
    const d = dispatcher({
      maxAttempts: 3,
      renderer: (row) => {
        if (row.id === broken) throw new Error('unknown template');
        return plainRenderer(row);
      },
    });
    await d.drain({ timeoutMs: 5_000 });
    const after = await database.db.select().from(outbox).where(eq(outbox.id, broken));
    expect(after[0]).toMatchObject({ state: 'failed', attempts: 3, lastError: expect.stringContaining('render failed: unknown template') });
    expect(fake.deliveries).toHaveLength(2);
  });

  it('checks and renders each e-mail row with the e-mail module, and leaves rows of the HTTP channels to their own dispatcher', async () => {
    await queueNotices(database.db, 2);
    // A webhook row: the HTTP dispatcher's, never claimed here.
    await database.db.update(outbox).set({ channel: 'webhook' as never, target: 'https://hooks.example/x' }).where(eq(outbox.idempotencyKey, 'maintenance:m1:announcement:1'));
    const rendered: string[] = [];
    await dispatcher({
      backoff: { baseMs: 60_000, maxMs: 60_000 },
      renderer: (row) => {
        rendered.push(row.channel);
        return plainRenderer(row);
      },
    }).runOnce();
    const rows = await outboxRows(database.db);
    expect(rendered).toEqual(['email']);
    expect(rows.find((r) => r.channel === 'email')).toMatchObject({ state: 'sent' });
    expect(rows.find((r) => r.channel !== 'email')).toMatchObject({ state: 'pending', attempts: 0, lastError: null });
    expect(fake.deliveries).toHaveLength(1);
  });

  it('without RESEND_API_KEY writes each message as an .eml file and marks it sent with a dev: id', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vigia-mail-'));
    try {
      await queueNotices(database.db, 3);
      const ctx = mailContext(database);
      const d = createMailDispatcher(ctx, { channels: emailOnly(plainRenderer, transportFromEnv(ctx.env, dataDir, ctx.now)) });
      expect(await d.drain({ timeoutMs: 5_000 })).toMatchObject({ sent: 3 });
      const files = readdirSync(join(dataDir, 'mail')).sort();
      const rows = await outboxRows(database.db);
      expect(files).toEqual(rows.map((r) => `${r.id}.eml`).sort());
      for (const row of rows) expect(row).toMatchObject({ state: 'sent', providerId: `dev:${row.id}.eml` });
      const eml = readFileSync(join(dataDir, 'mail', files[0]!), 'utf8');
      expect(eml).toMatch(/^From: =\?UTF-8\?B\?/);
      expect(eml).toContain('List-Unsubscribe: <https://status.prueba.example/u/');
      expect(fake.requests).toHaveLength(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
