import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileDatabase } from '../helpers/db.ts';
import { startFakeResend, type FakeResendServer } from '../fakes/resend-server.ts';
import { spawnWorker, summaryOf, waitFor, type WorkerProcess } from './processes.ts';
import { batchRows, outboxRows, queueNotices, recipientOf } from './support.ts';

const MESSAGES = 3_000;

describe('a worker killed with SIGKILL in the middle of a large send', () => {
  let fake: FakeResendServer;
  let database: Awaited<ReturnType<typeof fileDatabase>>;
  const workers: WorkerProcess[] = [];

  beforeEach(async () => {
    fake = await startFakeResend({ latencyMs: 5 });
    database = await fileDatabase();
  });
  afterEach(async () => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    workers.length = 0;
    await fake.close();
    database.cleanup();
  });

  it('loses nothing and sends nothing twice: the next worker repeats the dead one’s batch under the same key', async () => {
    await queueNotices(database.db, MESSAGES);
    const env = { DATABASE_URL: database.url, RESEND_API_KEY: fake.apiKey, RESEND_BASE_URL: fake.url, WORKER_RATE: '40', WORKER_LEASE_MS: '1500', WORKER_TIMEOUT_MS: '1000' };

    const first = spawnWorker({ ...env, WORKER_OWNER: 'first' });
    workers.push(first);
    // Once a third of the mail is out, the next call is accepted by the provider and its answer held back…
    await waitFor(() => fake.deliveries.length >= MESSAGES / 3, 20_000, 'the first worker to send a third of the mail');
    fake.queueFaults({ kind: 'delay', ms: 10_000, phase: 'after' });
    const before = fake.requests.length;
    await waitFor(() => fake.requests.length > before && fake.requests.at(-1)!.outcome === 'accepted', 5_000, 'the held-back call');
    const inFlight = fake.requests.at(-1)!;
    // …and the worker dies right then, knowing nothing of the acceptance.
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    expect(first.child.signalCode).toBe('SIGKILL');

    const stranded = (await batchRows(database.db)).find((b) => b.idempotencyKey === inFlight.idempotencyKey);
    expect(stranded).toMatchObject({ state: 'sending', leaseOwner: 'first' });
    const deliveredBefore = fake.deliveries.length;
    expect(deliveredBefore).toBeLessThan(MESSAGES);

    const second = spawnWorker({ ...env, WORKER_OWNER: 'second' });
    workers.push(second);
    expect(await second.exited).toBe(0);
    expect(summaryOf(second)).toMatchObject({ owner: 'second' });

    // Every recipient got the message exactly once.
    expect(fake.deliveries).toHaveLength(MESSAGES);
    expect(fake.duplicates('recipient')).toEqual([]);
    expect(fake.duplicates('ref')).toEqual([]);
    const counts = fake.countsByRecipient();
    for (let i = 0; i < MESSAGES; i++) expect(counts.get(recipientOf(i))).toBe(1);

    // The dead worker's batch was repeated with its key and answered from the provider's memory.
    const sameKey = fake.requests.filter((r) => r.idempotencyKey === inFlight.idempotencyKey);
    expect(sameKey.map((r) => r.outcome)).toEqual(['accepted', 'replayed']);
    expect((await batchRows(database.db)).find((b) => b.id === stranded!.id)).toMatchObject({ state: 'sent', leaseOwner: 'second' });

    const rows = await outboxRows(database.db);
    expect(rows.every((r) => r.state === 'sent')).toBe(true);
    expect(new Set(rows.map((r) => r.providerId))).toEqual(new Set(fake.deliveries.map((d) => d.id)));
    // Worker processes start, die and start again: more than the default on a busy 2-core machine.
  }, 60_000);
});
