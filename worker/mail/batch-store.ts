/**
 * Every state change of the outbox and its batches, each one a single statement or transaction that
 * checks it still holds what it changes (state and lease owner), so two workers on one database never
 * both act on the same message, and a worker that lost its lease changes nothing.
 *
 * Leases: a worker claims rows, and holds a batch, only until `lease_expires_at`. A worker that dies
 * (kill -9, power loss) simply stops renewing: once the lease has passed, another worker takes the
 * rows or the batch over. Taking over a batch repeats its stored request under its stored idempotency
 * key, so a batch the provider had already accepted is answered again, not sent again.
 */
import { and, asc, eq, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { SQLiteUpdateSetSource } from 'drizzle-orm/sqlite-core';
import type { DbOrTx } from '../../db/client.ts';
import { maintenances, outbox, outboxBatches, subscribers } from '../../db/schema/index.ts';
import type { OutboxState } from '../core/vocabulary.ts';
import { newId } from '../lib/ids.ts';
import type { OutboxBatchRow, OutboxRow, OutgoingEmail } from './types.ts';

export interface Lease {
  owner: string;
  now: Date;
  leaseMs: number;
}

const until = (lease: Lease) => new Date(lease.now.getTime() + lease.leaseMs);

/**
 * `state = …` written as `+state = …`: the unary plus keeps SQLite from picking the (state, due) index
 * where a primary key or batch lookup is far narrower — otherwise it may walk every queued row.
 */
const rowStateIs = (state: OutboxState) => sql`+${outbox.state} = ${state}`;

/** Claims that outlived their lease go back to the queue (their worker died between claim and batch). */
export async function releaseExpiredClaims(db: DbOrTx, now: Date): Promise<number> {
  const released = await db
    .update(outbox)
    .set({ state: 'pending', leaseOwner: null, leaseExpiresAt: null })
    .where(and(eq(outbox.state, 'claimed'), lte(outbox.leaseExpiresAt, now)))
    .returning({ id: outbox.id });
  return released.length;
}

/**
 * On shutdown: the e-mail rows `owner` claimed but has not put in a batch go back to the queue at once, so another
 * worker need not wait out the lease. Batches already recorded keep theirs (repeating one is what its key is for).
 */
export async function releaseClaimsOf(db: DbOrTx, owner: string): Promise<number> {
  const released = await db
    .update(outbox)
    .set({ state: 'pending', leaseOwner: null, leaseExpiresAt: null })
    .where(and(eq(outbox.state, 'claimed'), eq(outbox.leaseOwner, owner), eq(outbox.channel, 'email')))
    .returning({ id: outbox.id });
  return released.length;
}

/**
 * Claims up to `limit` due messages for `lease.owner` in one UPDATE … WHERE id IN (SELECT …): SQLite
 * runs the statement under the write lock, so two workers never claim the same row. A message marked
 * solo is claimed alone.
 */
export async function claimDueMessages(db: DbOrTx, lease: Lease, limit: number): Promise<OutboxRow[]> {
  // Literal `solo = 1` / `solo = 0` so the planner can use the partial index.
  // E-mail rows only: rows of the HTTP channels are claimed by their own dispatcher (worker/delivery/http/).
  const email = eq(outbox.channel, 'email');
  const solo = await claimWhere(db, lease, and(eq(outbox.state, 'pending'), sql`solo = 1`, lte(outbox.nextAttemptAt, lease.now), email)!, 1);
  if (solo.length) return solo;
  return claimWhere(db, lease, and(eq(outbox.state, 'pending'), sql`solo = 0`, lte(outbox.nextAttemptAt, lease.now), email)!, limit);
}

async function claimWhere(db: DbOrTx, lease: Lease, where: SQL, limit: number): Promise<OutboxRow[]> {
  const due = db.select({ id: outbox.id }).from(outbox).where(where).orderBy(asc(outbox.nextAttemptAt)).limit(limit);
  // One statement, so the subquery's rows are still pending when they are updated; the outer WHERE
  // names only ids so SQLite walks the primary key, not the whole pending queue.
  return db
    .update(outbox)
    .set({ state: 'claimed', leaseOwner: lease.owner, leaseExpiresAt: until(lease) })
    .where(inArray(outbox.id, due))
    .returning();
}

/**
 * Of claimed rows addressed to subscribers, the ids whose subscriber is gone or no longer confirmed: their mail must
 * not go out (someone who unsubscribed after a notice was queued). A confirmation mail is for a pending subscriber.
 */
export async function rowsForLapsedSubscribers(db: DbOrTx, rows: readonly OutboxRow[]): Promise<Map<string, string>> {
  const ids = [...new Set(rows.map((r) => r.subscriberId).filter((id): id is string => Boolean(id)))];
  const lapsed = new Map<string, string>();
  if (!ids.length) return lapsed;
  const found = await db.select({ id: subscribers.id, status: subscribers.status }).from(subscribers).where(inArray(subscribers.id, ids));
  const status = new Map(found.map((f) => [f.id, f.status]));
  for (const row of rows) {
    if (!row.subscriberId) continue;
    const current = status.get(row.subscriberId);
    const allowed = row.kind === 'subscription.confirm' ? current === 'pending' || current === 'confirmed' : current === 'confirmed';
    if (!allowed) lapsed.set(row.id, current ? `subscriber is ${current}` : 'subscriber was deleted');
  }
  return lapsed;
}

/**
 * Of claimed rows, the ids of notices with a deadline whose window has started or was called off: telling of it now
 * would only confuse, so they are not sent (the notice guarantee counts them late).
 */
export async function mootClaimedRows(db: DbOrTx, rows: readonly OutboxRow[], now: Date): Promise<Set<string>> {
  const ids = rows.filter((r) => r.maintenanceId && (DEADLINE_KINDS as readonly string[]).includes(r.kind)).map((r) => r.maintenanceId!);
  if (!ids.length) return new Set();
  const windows = await db.select({ id: maintenances.id, status: maintenances.status, startsAt: maintenances.startsAt }).from(maintenances).where(inArray(maintenances.id, [...new Set(ids)]));
  // As in `deadlineMembers`: only a window that exists and is no longer ahead makes its notice moot.
  const over = new Set(windows.filter((w) => !(w.status === 'scheduled' && w.startsAt.getTime() > now.getTime())).map((w) => w.id));
  return new Set(rows.filter((r) => r.maintenanceId && (DEADLINE_KINDS as readonly string[]).includes(r.kind) && over.has(r.maintenanceId)).map((r) => r.id));
}

/** Claimed rows that will not be sent, with the reason. */
export async function cancelClaimed(tx: DbOrTx, id: string, owner: string, reason: string): Promise<void> {
  await tx
    .update(outbox)
    .set({ state: 'cancelled', lastError: `not sent: ${reason}`, leaseExpiresAt: null })
    .where(and(eq(outbox.id, id), rowStateIs('claimed'), eq(outbox.leaseOwner, owner)));
}

/** Thrown when rows this worker claimed were taken back before it could batch them. */
export class LostClaimError extends Error {}

/**
 * Records a batch — membership in order, idempotency key, exact request body — and moves its rows to
 * `sending`, in one transaction, BEFORE the provider is called. Whatever happens next (timeout, crash),
 * the batch can be repeated identically.
 */
export async function createBatch(db: DbOrTx, lease: Lease, members: { id: string; email: OutgoingEmail }[]): Promise<OutboxBatchRow> {
  const id = newId();
  const ids = members.map((m) => m.id);
  return db.transaction(async (tx) => {
    const [batch] = await tx
      .insert(outboxBatches)
      .values({
        id,
        idempotencyKey: `vigia-batch/${id}`,
        state: 'sending',
        attempts: 0,
        nextAttemptAt: lease.now,
        leaseOwner: lease.owner,
        leaseExpiresAt: until(lease),
        memberCount: members.length,
        payload: { messageIds: ids, emails: members.map((m) => ({ ...m.email })) },
        createdAt: lease.now,
        updatedAt: lease.now,
      })
      .returning();
    const moved = await tx
      .update(outbox)
      .set({ state: 'sending', batchId: id, leaseExpiresAt: null })
      .where(and(inArray(outbox.id, ids), rowStateIs('claimed'), eq(outbox.leaseOwner, lease.owner)))
      .returning({ id: outbox.id });
    if (moved.length !== ids.length) throw new LostClaimError(`${ids.length - moved.length} of ${ids.length} claimed messages were taken back before batching`);
    return batch!;
  });
}

/** Takes the oldest due batch whose lease is free or expired (a retry, or a dead worker's batch). */
export async function takeDueBatch(db: DbOrTx, lease: Lease): Promise<OutboxBatchRow | null> {
  const due = db
    .select({ id: outboxBatches.id })
    .from(outboxBatches)
    .where(
      and(
        inArray(outboxBatches.state, ['pending', 'sending']),
        lte(outboxBatches.nextAttemptAt, lease.now),
        or(isNull(outboxBatches.leaseExpiresAt), lte(outboxBatches.leaseExpiresAt, lease.now)),
      ),
    )
    .orderBy(asc(outboxBatches.nextAttemptAt))
    .limit(1);
  const [batch] = await db
    .update(outboxBatches)
    .set({ state: 'sending', leaseOwner: lease.owner, leaseExpiresAt: until(lease), updatedAt: lease.now })
    .where(inArray(outboxBatches.id, due))
    .returning();
  return batch ?? null;
}

/** Extends a held batch's lease (after a long wait for the pacing); false if it was taken over meanwhile. */
export async function renewBatchLease(db: DbOrTx, batchId: string, lease: Lease): Promise<boolean> {
  const held = await db
    .update(outboxBatches)
    .set({ leaseExpiresAt: until(lease), updatedAt: lease.now })
    .where(and(eq(outboxBatches.id, batchId), eq(outboxBatches.leaseOwner, lease.owner), eq(outboxBatches.state, 'sending')))
    .returning({ id: outboxBatches.id });
  return held.length > 0;
}

/** The batch row, if `owner` still holds it. All settle operations go through this check. */
async function holdBatch(tx: DbOrTx, batchId: string, owner: string, set: SQLiteUpdateSetSource<typeof outboxBatches>): Promise<OutboxBatchRow | null> {
  const [row] = await tx
    .update(outboxBatches)
    .set(set)
    .where(and(eq(outboxBatches.id, batchId), eq(outboxBatches.leaseOwner, owner), eq(outboxBatches.state, 'sending')))
    .returning();
  return row ?? null;
}

const caseById = (pairs: [string, string | null][]) =>
  sql`case ${outbox.id} ${sql.join(
    pairs.map(([id, value]) => sql`when ${id} then ${value}`),
    sql` `,
  )} end`;

export type MessageOutcome = { id: string; ok: true; providerId: string | null } | { id: string; ok: false; error: string };

/**
 * The provider accepted the batch: accepted members become `sent` with their provider ids and the time
 * we learned it; members it refused become `failed` with its reason. Returns false (and changes nothing)
 * if the lease was lost meanwhile — the worker that holds it now will get the same answer.
 */
export async function settleAccepted(tx: DbOrTx, batch: OutboxBatchRow, owner: string, now: Date, outcomes: MessageOutcome[], response: Record<string, unknown>): Promise<boolean> {
  const refused = outcomes.filter((o): o is Extract<MessageOutcome, { ok: false }> => !o.ok);
  const held = await holdBatch(tx, batch.id, owner, {
    state: 'sent',
    sentAt: now,
    attempts: sql`${outboxBatches.attempts} + 1`,
    leaseExpiresAt: null,
    payload: null,
    providerResponse: response,
    lastError: refused.length ? `${refused.length} message(s) refused by the provider` : null,
    updatedAt: now,
  });
  if (!held) return false;
  const accepted = outcomes.filter((o): o is Extract<MessageOutcome, { ok: true }> => o.ok);
  const memberOf = and(eq(outbox.batchId, batch.id), rowStateIs('sending'));
  if (accepted.length) {
    await tx
      .update(outbox)
      .set({ state: 'sent', sentAt: now, attempts: held.attempts, lastError: null, providerId: caseById(accepted.map((o) => [o.id, o.providerId])) })
      .where(and(memberOf, inArray(outbox.id, accepted.map((o) => o.id))));
  }
  if (refused.length) {
    await tx
      .update(outbox)
      .set({ state: 'failed', attempts: held.attempts, lastError: caseById(refused.map((o) => [o.id, `refused by the provider: ${o.error}`])) })
      .where(and(memberOf, inArray(outbox.id, refused.map((o) => o.id))));
  }
  return true;
}

/** Releases the batch to be repeated, same key and body, at `nextAttemptAt`. */
export async function retryBatchLater(tx: DbOrTx, batch: OutboxBatchRow, owner: string, now: Date, nextAttemptAt: Date, error: string, countAttempt: boolean): Promise<boolean> {
  const held = await holdBatch(tx, batch.id, owner, {
    state: 'pending',
    nextAttemptAt,
    leaseExpiresAt: null,
    lastError: error,
    updatedAt: now,
    ...(countAttempt ? { attempts: sql`${outboxBatches.attempts} + 1` } : {}),
  });
  if (!held) return false;
  await tx.update(outbox).set({ lastError: error }).where(and(eq(outbox.batchId, batch.id), rowStateIs('sending')));
  return true;
}

/** The notices that tell of a window before it starts: worth sending until the window starts or is called off. */
const DEADLINE_KINDS = ['maintenance.announcement', 'maintenance.reminder', 'maintenance.rescheduled'] as const;

/**
 * How many of a batch's members are notices with a deadline: `live` ones, whose window is still scheduled and ahead
 * (telling the subscriber still matters, however late), and `moot` ones, whose window has started or was cancelled.
 */
export async function deadlineMembers(db: DbOrTx, batchId: string, now: Date): Promise<{ live: number; moot: number }> {
  const [row] = await db
    .select({
      live: sql<number>`coalesce(sum(case when ${maintenances.status} = 'scheduled' and ${maintenances.startsAt} > ${now.getTime()} then 1 else 0 end), 0)`,
      all: sql<number>`count(*)`,
    })
    .from(outbox)
    .innerJoin(maintenances, eq(maintenances.id, outbox.maintenanceId))
    .where(and(eq(outbox.batchId, batchId), rowStateIs('sending'), inArray(outbox.kind, [...DEADLINE_KINDS])));
  const live = Number(row?.live ?? 0);
  return { live, moot: Number(row?.all ?? 0) - live };
}

/** Gives the batch up: every member becomes `failed` with `error`. */
export async function failBatch(tx: DbOrTx, batch: OutboxBatchRow, owner: string, now: Date, error: string, countAttempt: boolean): Promise<boolean> {
  const held = await holdBatch(tx, batch.id, owner, {
    state: 'failed',
    leaseExpiresAt: null,
    payload: null,
    lastError: error,
    updatedAt: now,
    ...(countAttempt ? { attempts: sql`${outboxBatches.attempts} + 1` } : {}),
  });
  if (!held) return false;
  await tx
    .update(outbox)
    .set({ state: 'failed', lastError: error, attempts: held.attempts })
    .where(and(eq(outbox.batchId, batch.id), rowStateIs('sending')));
  return true;
}

/**
 * The provider refused the whole batch as invalid (so it created none of it). Its members go back to
 * the queue marked solo, each to be sent in a batch of its own: the bad one is then refused alone and
 * the others go out. Costs one call per member, only in this rare case.
 */
export async function splitBatch(tx: DbOrTx, batch: OutboxBatchRow, owner: string, now: Date, error: string): Promise<boolean> {
  const held = await holdBatch(tx, batch.id, owner, { state: 'split', leaseExpiresAt: null, payload: null, lastError: error, updatedAt: now, attempts: sql`${outboxBatches.attempts} + 1` });
  if (!held) return false;
  await tx
    .update(outbox)
    .set({ state: 'pending', solo: true, nextAttemptAt: now, leaseOwner: null, leaseExpiresAt: null, lastError: error })
    .where(and(eq(outbox.batchId, batch.id), rowStateIs('sending')));
  return true;
}

/** A claimed message that cannot be sent as it is (bad address, or a template that keeps failing): failed, without calling the provider. */
export async function failClaimed(tx: DbOrTx, id: string, owner: string, error: string, attempts?: number): Promise<void> {
  await tx
    .update(outbox)
    .set({ state: 'failed', lastError: error, leaseExpiresAt: null, ...(attempts === undefined ? {} : { attempts }) })
    .where(and(eq(outbox.id, id), rowStateIs('claimed'), eq(outbox.leaseOwner, owner)));
}

/** A claimed message whose rendering failed: back to the queue for later (a template fix may come with a deploy). */
export async function postponeClaimed(tx: DbOrTx, id: string, owner: string, nextAttemptAt: Date, error: string): Promise<void> {
  await tx
    .update(outbox)
    .set({ state: 'pending', attempts: sql`${outbox.attempts} + 1`, nextAttemptAt, leaseOwner: null, leaseExpiresAt: null, lastError: error })
    .where(and(eq(outbox.id, id), rowStateIs('claimed'), eq(outbox.leaseOwner, owner)));
}

/** When the next piece of work becomes due (null: nothing left to do). */
export async function nextWorkAt(db: DbOrTx): Promise<Date | null> {
  const row = await db.get<{ pending: number | null; claimed: number | null; batches: number | null }>(sql`
    select
      (select min(next_attempt_at) from outbox where state = 'pending' and channel = 'email') as pending,
      (select min(lease_expires_at) from outbox where state = 'claimed' and channel = 'email') as claimed,
      (select min(max(next_attempt_at, coalesce(lease_expires_at, 0))) from outbox_batches where state in ('pending', 'sending')) as batches`);
  const times = [row?.pending, row?.claimed, row?.batches].filter((t): t is number => typeof t === 'number');
  return times.length ? new Date(Math.min(...times)) : null;
}
