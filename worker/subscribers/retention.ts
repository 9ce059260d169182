import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { subscribers } from '../../db/schema/index.ts';
import { forgetMailOfSubscribers } from '../mail/outbox.ts';
import { deleteSubscribers } from './store.ts';

/**
 * How long an address that never confirmed is kept: long enough for the per-address mail limit to
 * mean something, short enough not to hoard addresses someone else may have typed.
 */
export const UNCONFIRMED_RETENTION_MS = 30 * 24 * 3_600_000;

/** Deletes subscribers still pending well after their last confirmation link expired, with their mail. Returns how many. */
export async function purgeUnconfirmed(db: DbOrTx, now: Date): Promise<number> {
  const before = new Date(now.getTime() - UNCONFIRMED_RETENTION_MS);
  const stale = await db
    .select({ id: subscribers.id })
    .from(subscribers)
    .where(
      and(
        eq(subscribers.status, 'pending'),
        or(lt(subscribers.confirmExpiresAt, before), and(isNull(subscribers.confirmExpiresAt), lt(subscribers.createdAt, before))),
      ),
    );
  for (let i = 0; i < stale.length; i += 500) {
    const ids = stale.slice(i, i + 500).map((s) => s.id);
    await forgetMailOfSubscribers(db, ids);
    await deleteSubscribers(db, ids);
  }
  return stale.length;
}
