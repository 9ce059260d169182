import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/client.ts';
import { claimDueHttpRows, releaseHttpClaimsOf } from '../../worker/delivery/http/row-store.ts';
import { claimDueMessages, createBatch, releaseClaimsOf } from '../../worker/mail/batch-store.ts';
import { queueNotice } from '../../worker/mail/outbox.ts';
import { memoryDatabase } from '../helpers/db.ts';
import { announcement, outboxRows, queueNotices, recipientOf } from './support.ts';

/** What a stopping worker hands back: its own claims that are not yet in a batch, and nothing of anyone else's. */
describe('releasing a stopping worker’s claims', () => {
  let database: DatabaseHandle;
  const now = new Date('2026-11-20T12:00:00Z');
  const lease = (owner: string) => ({ owner, now, leaseMs: 120_000 });

  beforeEach(async () => {
    database = await memoryDatabase();
  });
  afterEach(() => database.close());

  it('returns the e-mail rows it claimed to the queue at once; batched rows and other workers’ claims stay', async () => {
    await queueNotices(database.db, 30, { now });
    const batched = await claimDueMessages(database.db, lease('stopping'), 10);
    await createBatch(database.db, lease('stopping'), batched.map((r) => ({ id: r.id, email: { from: 'a@b.example', to: r.target, subject: 's', html: '<p>t</p>', text: 't' } })));
    const held = await claimDueMessages(database.db, lease('stopping'), 10);
    const others = await claimDueMessages(database.db, lease('other'), 10);

    expect(await releaseClaimsOf(database.db, 'stopping')).toBe(10);
    const byId = new Map((await outboxRows(database.db)).map((r) => [r.id, r]));
    for (const r of held) expect(byId.get(r.id)).toMatchObject({ state: 'pending', leaseOwner: null, leaseExpiresAt: null });
    for (const r of batched) expect(byId.get(r.id)).toMatchObject({ state: 'sending' });
    for (const r of others) expect(byId.get(r.id)).toMatchObject({ state: 'claimed', leaseOwner: 'other' });
    expect(await releaseClaimsOf(database.db, 'stopping')).toBe(0);
  });

  it('returns the HTTP delivery rows it claimed, and leaves e-mail rows to the mail dispatcher', async () => {
    await queueNotice(
      database.db,
      announcement('m2'),
      Array.from({ length: 5 }, (_, i) => ({ channel: 'webhook' as const, target: `https://hooks.example/${i}`, idempotencyKey: `hook:${i}`, locale: 'es' as const })),
      now,
    );
    await queueNotices(database.db, 3, { now, recipients: recipientOf });
    const http = await claimDueHttpRows(database.db, lease('stopping:http'), 10);
    expect(http).toHaveLength(5);
    const mail = await claimDueMessages(database.db, lease('stopping:http'), 10);

    expect(await releaseHttpClaimsOf(database.db, 'stopping:http')).toBe(5);
    const byId = new Map((await outboxRows(database.db)).map((r) => [r.id, r]));
    for (const r of http) expect(byId.get(r.id)).toMatchObject({ state: 'pending', leaseOwner: null });
    for (const r of mail) expect(byId.get(r.id)).toMatchObject({ state: 'claimed' });
  });
});
