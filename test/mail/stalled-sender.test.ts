/**
 * A sender that stalls (a long pause, a slow network) past its lease while another worker takes its work over, and
 * then wakes up: two dispatchers on one database file (two handles, as two processes have), on one clock the test
 * moves. What holds: a batch is repeated only under its stored key and body, so the provider accepts it once whoever
 * calls and in whatever order; every settle checks the batch's lease owner, so the worker that lost it changes
 * nothing; rows whose claim ran out and were claimed again cannot be batched by their first claimant.
 */
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../db/client.ts';
import { outbox } from '../../db/schema/index.ts';
import { claimDueMessages, createBatch, LostClaimError, releaseExpiredClaims } from '../../worker/mail/batch-store.ts';
import { createMailDispatcher } from '../../worker/mail/dispatcher.ts';
import { resendTransport, type MailTransport } from '../../worker/mail/transport.ts';
import { startFakeResend, type FakeResendServer } from '../fakes/resend-server.ts';
import { testClock } from '../helpers/app.ts';
import { fileDatabase } from '../helpers/db.ts';
import { batchRows, emailOnly, mailContext, outboxRows, plainRenderer, queueNotices } from './support.ts';

const LEASE_MS = 120_000;

let fake: FakeResendServer;
let file: Awaited<ReturnType<typeof fileDatabase>>;
let other: DatabaseHandle;
let clock: ReturnType<typeof testClock>;
/** Lets the stalled sender go on. */
let wake: () => void;
let stalled: Promise<void>;

beforeEach(async () => {
  fake = await startFakeResend();
  file = await fileDatabase();
  other = openDatabase(file.url);
  clock = testClock('2026-11-20T15:00:00Z');
  stalled = new Promise((resolve) => (wake = resolve));
  await queueNotices(file.db, 20, { now: clock.now() });
});
afterEach(async () => {
  wake();
  other.close();
  file.cleanup();
  await fake.close();
});

const real = () => resendTransport({ apiKey: fake.apiKey, baseUrl: fake.url });
const dispatcher = (database: DatabaseHandle, owner: string, transport: MailTransport = real()) =>
  createMailDispatcher(mailContext(database, { now: clock.now }), {
    channels: emailOnly(plainRenderer, transport),
    owner,
    ratePerSecond: 100,
    concurrency: 1,
    leaseMs: LEASE_MS,
    requestTimeoutMs: 5_000,
  });

/** A transport that stalls after its call (`after`: the provider accepted it, the answer waits) or before it. */
function stalling(where: 'before' | 'after'): MailTransport {
  const provider = real();
  return {
    name: 'stalling',
    rateLimited: true,
    sendBatch: async (request) => {
      if (where === 'before') await stalled;
      const result = await provider.sendBatch(request);
      if (where === 'after') await stalled;
      return result;
    },
  };
}

async function expectSentOnceBy(owner: string): Promise<void> {
  expect(fake.deliveries).toHaveLength(20);
  expect(fake.duplicates('recipient')).toEqual([]);
  const [batch] = await batchRows(file.db);
  expect(batch).toMatchObject({ state: 'sent', leaseOwner: owner });
  const rows = await outboxRows(file.db);
  expect(rows.every((r) => r.state === 'sent')).toBe(true);
  expect(new Set(rows.map((r) => r.providerId))).toEqual(new Set(fake.deliveries.map((d) => d.id)));
}

describe('a sender that stalls past its batch lease and wakes up after another worker took the batch', () => {
  it('stalled after the provider accepted its call: the taker repeats it under the same key (nothing sent again), and the late answer changes nothing', async () => {
    const a = dispatcher(file, 'worker-a', stalling('after'));
    const ranA = a.runOnce();
    await vi.waitFor(() => expect(fake.deliveries).toHaveLength(20));

    // Within the lease the other worker leaves the batch alone; past it, takes it over.
    const b = dispatcher(other, 'worker-b');
    expect(await b.runOnce()).toMatchObject({ batches: 0 });
    clock.advance(LEASE_MS + 1);
    expect(await b.runOnce()).toMatchObject({ batches: 1, sent: 20 });
    const [key] = fake.requests.map((r) => r.idempotencyKey);
    expect(fake.requests.map((r) => [r.idempotencyKey, r.outcome])).toEqual([
      [key, 'accepted'],
      [key, 'replayed'],
    ]);

    wake();
    expect(await ranA).toMatchObject({ batches: 0, sent: 0 });
    await expectSentOnceBy('worker-b');
  });

  it('stalled before its call: the taker sends the batch, and the late call under the same key and body is answered without sending', async () => {
    const a = dispatcher(file, 'worker-a', stalling('before'));
    const ranA = a.runOnce();
    await vi.waitFor(async () => expect((await batchRows(file.db))[0]).toMatchObject({ state: 'sending', leaseOwner: 'worker-a' }));

    clock.advance(LEASE_MS + 1);
    expect(await dispatcher(other, 'worker-b').runOnce()).toMatchObject({ batches: 1, sent: 20 });
    expect(fake.deliveries).toHaveLength(20);

    wake();
    expect(await ranA).toMatchObject({ batches: 0, sent: 0 });
    expect(fake.requests.map((r) => r.outcome)).toEqual(['accepted', 'replayed']);
    await expectSentOnceBy('worker-b');
  });
});

describe('messages claimed by a worker that stalled before batching them', () => {
  it('go back to the queue once the claim runs out; the other worker batches them, the first one cannot', async () => {
    const leaseOf = (owner: string) => ({ owner, now: clock.now(), leaseMs: LEASE_MS });
    const claimedByA = await claimDueMessages(file.db, leaseOf('worker-a'), 100);
    expect(claimedByA).toHaveLength(20);
    const members = claimedByA.map((row) => ({ id: row.id, email: { from: 'status@prueba.example', to: row.target, subject: 's', text: 't', html: 'h' } }));
    // Still A's within the lease.
    expect(await releaseExpiredClaims(other.db, clock.now())).toBe(0);
    expect(await claimDueMessages(other.db, leaseOf('worker-b'), 100)).toEqual([]);

    clock.advance(LEASE_MS);
    expect(await releaseExpiredClaims(other.db, clock.now())).toBe(20);
    expect(await claimDueMessages(other.db, leaseOf('worker-b'), 100)).toHaveLength(20);
    await expect(createBatch(file.db, leaseOf('worker-a'), members)).rejects.toBeInstanceOf(LostClaimError);
    const batchB = await createBatch(other.db, leaseOf('worker-b'), members);

    expect(await batchRows(file.db)).toMatchObject([{ id: batchB.id, leaseOwner: 'worker-b' }]);
    const rows = await file.db.select().from(outbox).where(eq(outbox.batchId, batchB.id));
    expect(rows).toHaveLength(20);
  });
});
