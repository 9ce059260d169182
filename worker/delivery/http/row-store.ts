/**
 * The outbox state changes of HTTP deliveries (one row, one request): claim under a lease, then sent, retried
 * later, failed or cancelled. Each change checks the row is still claimed by this worker, so a worker whose lease
 * passed to another changes nothing. A row whose worker died goes back to the queue when its lease passes
 * (`releaseExpiredClaims`) and is sent again with the same `webhook-id`.
 */
import { and, asc, eq, inArray, lte, ne, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../db/client.ts';
import { outbox } from '../../../db/schema/index.ts';
import type { OutboxRow } from '../../mail/types.ts';

export interface RowLease {
  owner: string;
  now: Date;
  leaseMs: number;
}

const claimedBy = (id: string, owner: string) => and(eq(outbox.id, id), sql`+${outbox.state} = 'claimed'`, eq(outbox.leaseOwner, owner));

/** Claims up to `limit` due rows of the HTTP channels (every channel but e-mail). */
export async function claimDueHttpRows(db: DbOrTx, lease: RowLease, limit: number): Promise<OutboxRow[]> {
  const due = db
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(eq(outbox.state, 'pending'), lte(outbox.nextAttemptAt, lease.now), ne(outbox.channel, 'email')))
    .orderBy(asc(outbox.nextAttemptAt))
    .limit(limit);
  return db
    .update(outbox)
    .set({ state: 'claimed', leaseOwner: lease.owner, leaseExpiresAt: new Date(lease.now.getTime() + lease.leaseMs) })
    .where(inArray(outbox.id, due))
    .returning();
}

/** Claims that outlived their lease go back to the queue (their worker died mid-request). */
export async function releaseExpiredHttpClaims(db: DbOrTx, now: Date): Promise<number> {
  const released = await db
    .update(outbox)
    .set({ state: 'pending', leaseOwner: null, leaseExpiresAt: null })
    .where(and(eq(outbox.state, 'claimed'), lte(outbox.leaseExpiresAt, now), ne(outbox.channel, 'email')))
    .returning({ id: outbox.id });
  return released.length;
}

/** On shutdown: the rows `owner` claimed and has not sent go back to the queue at once, not when the lease passes. */
export async function releaseHttpClaimsOf(db: DbOrTx, owner: string): Promise<number> {
  const released = await db
    .update(outbox)
    .set({ state: 'pending', leaseOwner: null, leaseExpiresAt: null })
    .where(and(eq(outbox.state, 'claimed'), eq(outbox.leaseOwner, owner), ne(outbox.channel, 'email')))
    .returning({ id: outbox.id });
  return released.length;
}

/** The receiver accepted it: `sent_at` is when its answer came, never earlier. */
export async function markDelivered(tx: DbOrTx, id: string, owner: string, now: Date, status: number): Promise<boolean> {
  const done = await tx
    .update(outbox)
    .set({ state: 'sent', sentAt: now, attempts: sql`${outbox.attempts} + 1`, providerId: `http ${status}`, lastError: null, leaseExpiresAt: null })
    .where(claimedBy(id, owner))
    .returning({ id: outbox.id });
  return done.length > 0;
}

export async function retryLater(tx: DbOrTx, id: string, owner: string, nextAttemptAt: Date, error: string): Promise<boolean> {
  const done = await tx
    .update(outbox)
    .set({ state: 'pending', attempts: sql`${outbox.attempts} + 1`, nextAttemptAt, leaseOwner: null, leaseExpiresAt: null, lastError: error.slice(0, 1000) })
    .where(claimedBy(id, owner))
    .returning({ id: outbox.id });
  return done.length > 0;
}

export async function markFailed(tx: DbOrTx, id: string, owner: string, error: string, countAttempt: boolean): Promise<boolean> {
  const done = await tx
    .update(outbox)
    .set({ state: 'failed', lastError: error.slice(0, 1000), leaseExpiresAt: null, ...(countAttempt ? { attempts: sql`${outbox.attempts} + 1` } : {}) })
    .where(claimedBy(id, owner))
    .returning({ id: outbox.id });
  return done.length > 0;
}

export async function markCancelled(tx: DbOrTx, id: string, owner: string, reason: string): Promise<void> {
  await tx.update(outbox).set({ state: 'cancelled', lastError: `not sent: ${reason}`, leaseExpiresAt: null }).where(claimedBy(id, owner));
}

/** When the next HTTP delivery becomes due (null: nothing left). */
export async function nextHttpWorkAt(db: DbOrTx): Promise<Date | null> {
  const row = await db.get<{ pending: number | null; claimed: number | null }>(sql`
    select (select min(next_attempt_at) from outbox where state = 'pending' and channel != 'email') as pending,
           (select min(lease_expires_at) from outbox where state = 'claimed' and channel != 'email') as claimed`);
  const times = [row?.pending, row?.claimed].filter((t): t is number => typeof t === 'number');
  return times.length ? new Date(Math.min(...times)) : null;
}
