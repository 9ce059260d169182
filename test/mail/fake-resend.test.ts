import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Resend } from 'resend';
import { startFakeResend, type FakeResendServer } from '../fakes/resend-server.ts';

const email = (to: string, subject = 'Mantenimiento programado') => ({ from: 'Vigía <status@prueba.example>', to, subject, html: '<p>Hola</p>', text: 'Hola' });

describe('fake Resend API, through the real SDK', () => {
  let fake: FakeResendServer;
  let resend: Resend;
  beforeEach(async () => {
    fake = await startFakeResend();
    resend = new Resend(fake.apiKey, { baseUrl: fake.url });
  });
  afterEach(() => fake.close());

  it('the SDK reads RESEND_BASE_URL when it is constructed', async () => {
    const saved = process.env.RESEND_BASE_URL;
    process.env.RESEND_BASE_URL = fake.url;
    try {
      const fromEnv = new Resend(fake.apiKey);
      const { data, error } = await fromEnv.emails.send(email('ana@cliente.example'));
      expect(error).toBeNull();
      expect(data?.id).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      if (saved === undefined) delete process.env.RESEND_BASE_URL;
      else process.env.RESEND_BASE_URL = saved;
    }
    expect(fake.deliveries.map((d) => d.to)).toEqual([['ana@cliente.example']]);
  });

  it('sends a batch and answers ids in request order', async () => {
    const { data, error } = await resend.batch.send([email('a@cliente.example'), email('b@cliente.example')]);
    expect(error).toBeNull();
    expect(data?.data).toHaveLength(2);
    expect(fake.deliveries.map((d) => d.id)).toEqual(data?.data.map((d) => d.id));
  });

  it('requires the API key', async () => {
    const wrong = new Resend('re_wrong', { baseUrl: fake.url });
    const { error, data } = await wrong.emails.send(email('a@cliente.example'));
    expect(data).toBeNull();
    expect(error).toMatchObject({ statusCode: 403, name: 'invalid_api_key' });
    const none = await fetch(`${fake.url}/emails`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ statusCode: 401, name: 'missing_api_key' });
    expect(fake.deliveries).toHaveLength(0);
  });

  it('validates fields like the real API: strict batches fail whole, permissive ones per email', async () => {
    const missingSubject = await resend.emails.send({ ...email('a@cliente.example'), subject: '' });
    expect(missingSubject.error).toMatchObject({ statusCode: 422, name: 'missing_required_field', message: 'Missing `subject` field.' });

    const strict = await resend.batch.send([email('a@cliente.example'), email('not-an-address@nowhere')]);
    expect(strict.error).toMatchObject({ statusCode: 422, name: 'validation_error' });
    expect(strict.error?.message).toContain('Invalid `to` field');
    expect(fake.deliveries).toHaveLength(0);

    const permissive = await resend.batch.send([email('a@cliente.example'), email('not-an-address@nowhere'), email('c@cliente.example')], { batchValidation: 'permissive' });
    expect(permissive.error).toBeNull();
    expect(permissive.data?.data).toHaveLength(2);
    expect(permissive.data?.errors).toEqual([{ index: 1, message: expect.stringContaining('Invalid `to` field') }]);
    expect(fake.deliveries.map((d) => d.to[0])).toEqual(['a@cliente.example', 'c@cliente.example']);

    const tooMany = await resend.batch.send(Array.from({ length: 101 }, (_, i) => email(`u${i}@cliente.example`)));
    expect(tooMany.error).toMatchObject({ statusCode: 422, name: 'validation_error' });
  });

  it('honours idempotency keys: same body → same answer and no second send; other body → 409', async () => {
    const first = await resend.batch.send([email('a@cliente.example')], { idempotencyKey: 'k-1' });
    const again = await resend.batch.send([email('a@cliente.example')], { idempotencyKey: 'k-1' });
    expect(again.data).toEqual(first.data);
    expect(fake.deliveries).toHaveLength(1);
    expect(fake.requests.map((r) => r.outcome)).toEqual(['accepted', 'replayed']);

    const other = await resend.batch.send([email('b@cliente.example')], { idempotencyKey: 'k-1' });
    expect(other.error).toMatchObject({ statusCode: 409, name: 'invalid_idempotent_request' });
    expect(fake.deliveries).toHaveLength(1);
  });

  it('keeps keys for 24 hours only', async () => {
    let clock = Date.parse('2026-11-20T10:00:00Z');
    fake.configure({ now: () => clock });
    await resend.emails.send(email('a@cliente.example'), { idempotencyKey: 'k-day' });
    clock += 23 * 3_600_000;
    await resend.emails.send(email('a@cliente.example'), { idempotencyKey: 'k-day' });
    expect(fake.deliveries).toHaveLength(1);
    clock += 2 * 3_600_000;
    await resend.emails.send(email('a@cliente.example'), { idempotencyKey: 'k-day' });
    expect(fake.deliveries).toHaveLength(2);
  });

  it('answers 409 concurrent_idempotent_requests while the first call with the key is still running', async () => {
    fake.queueFaults({ kind: 'delay', ms: 150 });
    const slow = resend.emails.send(email('a@cliente.example'), { idempotencyKey: 'k-busy' });
    await new Promise((r) => setTimeout(r, 50));
    const busy = await resend.emails.send(email('a@cliente.example'), { idempotencyKey: 'k-busy' });
    expect(busy.error).toMatchObject({ statusCode: 409, name: 'concurrent_idempotent_requests' });
    expect((await slow).error).toBeNull();
    expect(fake.deliveries).toHaveLength(1);
  });

  it('limits calls per second with 429, retry-after and ratelimit headers', async () => {
    fake.configure({ rateLimitPerSecond: 3 });
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await resend.emails.send(email(`u${i}@cliente.example`)));
    expect(answers.filter((a) => a.error === null)).toHaveLength(3);
    const limited = answers[3]!;
    expect(limited.error).toMatchObject({ statusCode: 429, name: 'rate_limit_exceeded' });
    expect(limited.headers).toMatchObject({ 'retry-after': '1', 'ratelimit-limit': '3', 'ratelimit-remaining': '0' });
    expect(fake.deliveries).toHaveLength(3);
  });

  it('refuses beyond the daily quota with daily_quota_exceeded', async () => {
    fake.configure({ dailyQuota: 2 });
    expect((await resend.batch.send([email('a@cliente.example'), email('b@cliente.example')])).error).toBeNull();
    const over = await resend.batch.send([email('c@cliente.example')]);
    expect(over.error).toMatchObject({ statusCode: 429, name: 'daily_quota_exceeded' });
    expect(fake.deliveries).toHaveLength(2);
  });

  it('drops connections before or after accepting, as the SDK sees them (statusCode null)', async () => {
    fake.queueFaults({ kind: 'drop-before' }, { kind: 'drop-after' });
    const before = await resend.emails.send(email('a@cliente.example'), { idempotencyKey: 'k-a' });
    expect(before).toMatchObject({ data: null, error: { statusCode: null, name: 'application_error' }, headers: null });
    expect(fake.deliveries).toHaveLength(0);

    const after = await resend.emails.send(email('b@cliente.example'), { idempotencyKey: 'k-b' });
    expect(after.error).toMatchObject({ statusCode: null });
    expect(fake.deliveries).toHaveLength(1);
    // The answer was lost, not the send: repeating the key returns the original id.
    const retry = await resend.emails.send(email('b@cliente.example'), { idempotencyKey: 'k-b' });
    expect(retry.data?.id).toBe(fake.deliveries[0]!.id);
    expect(fake.deliveries).toHaveLength(1);
  });

  it('programs statuses, and fails a seeded share of calls', async () => {
    fake.queueFaults({ kind: 'status', status: 503, name: 'application_error', message: 'down' });
    expect((await resend.emails.send(email('a@cliente.example'))).error).toMatchObject({ statusCode: 503 });
    fake.configure({ failureRatio: 0.3, seed: 7, failureModes: ['500'] });
    let failed = 0;
    for (let i = 0; i < 100; i++) if ((await resend.emails.send(email(`r${i}@cliente.example`))).error) failed++;
    expect(failed).toBeGreaterThan(15);
    expect(failed).toBeLessThan(45);
    expect(fake.deliveries).toHaveLength(100 - failed);
  });

  it('answers slowly, and a client that gives up sees a failed call', async () => {
    fake.queueFaults({ kind: 'delay', ms: 300, phase: 'after' });
    const { error } = await resend.emails.send(email('a@cliente.example'), { signal: AbortSignal.timeout(50) });
    expect(error).toMatchObject({ statusCode: null });
    // It was processed before the slow answer: the send happened.
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.deliveries).toHaveLength(1);
  });
});
