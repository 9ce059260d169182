import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileDatabase } from '../helpers/db.ts';
import { startFakeResend, type FakeResendServer } from '../fakes/resend-server.ts';
import { spawnWorker, summaryOf, type WorkerProcess } from './processes.ts';
import { batchRows, outboxRows, queueNotices, recipientOf } from './support.ts';

const MESSAGES = 4_000;

describe('two worker processes on one database', () => {
  let fake: FakeResendServer;
  let database: Awaited<ReturnType<typeof fileDatabase>>;
  const workers: WorkerProcess[] = [];

  beforeEach(async () => {
    // The provider allows 30 calls a second and each worker paces itself at 20, so together they may
    // outrun it; a tenth of the calls fail (500, dropped before or after acceptance).
    fake = await startFakeResend({ latencyMs: 10, rateLimitPerSecond: 30, failureRatio: 0.1, seed: 3 });
    // And the first calls surely meet a 429.
    fake.queueFaults(...Array.from({ length: 3 }, () => ({ kind: 'status' as const, status: 429, name: 'rate_limit_exceeded', message: 'Too many requests.', headers: { 'retry-after': '1' } })));
    database = await fileDatabase();
  });
  afterEach(async () => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    workers.length = 0;
    await fake.close();
    database.cleanup();
  });

  it('dispatch the same queue together: every message once, none lost', async () => {
    await queueNotices(database.db, MESSAGES);
    const env = { DATABASE_URL: database.url, RESEND_API_KEY: fake.apiKey, RESEND_BASE_URL: fake.url, WORKER_RATE: '20', WORKER_LEASE_MS: '3000', WORKER_TIMEOUT_MS: '1000' };
    workers.push(spawnWorker({ ...env, WORKER_OWNER: 'left' }), spawnWorker({ ...env, WORKER_OWNER: 'right' }));
    const codes = await Promise.all(workers.map((w) => w.exited));
    expect(codes, workers.map((w) => w.output()).join('\n')).toEqual([0, 0]);

    const summaries = workers.map(summaryOf);
    expect(summaries.map((s) => s?.owner)).toEqual(['left', 'right']);
    expect(summaries.reduce((n, s) => n + (s?.sent ?? 0), 0)).toBe(MESSAGES);
    // Both really worked the queue.
    const owners = new Set((await batchRows(database.db)).map((b) => b.leaseOwner));
    expect(owners).toEqual(new Set(['left', 'right']));

    expect(fake.deliveries).toHaveLength(MESSAGES);
    expect(fake.duplicates('recipient')).toEqual([]);
    const counts = fake.countsByRecipient();
    for (let i = 0; i < MESSAGES; i++) expect(counts.get(recipientOf(i))).toBe(1);
    expect(fake.requests.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(3);

    const rows = await outboxRows(database.db);
    expect(rows.every((r) => r.state === 'sent')).toBe(true);
    expect(new Set(rows.map((r) => r.providerId))).toEqual(new Set(fake.deliveries.map((d) => d.id)));
    // Two child processes start and drain the queue: more than the default on a busy 2-core machine.
  }, 60_000);
});
