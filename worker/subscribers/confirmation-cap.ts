import { and, desc, eq, gt } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { outbox } from '../../db/schema/index.ts';
import { RateLimitedError } from '../core/errors.ts';

export const CONFIRMATION_CAP_WINDOW_MS = 3_600_000;

/**
 * The global cap on subscription-confirmation mails: at most `perHour` queued in any hour, whoever asked. A flood
 * from many addresses (or one client behind forged headers) would otherwise spend the provider's quota, and a
 * provider refusing for quota pauses every notice, maintenance announcements included. Counted from the outbox
 * itself, so every process sharing the database holds the same line and a restart forgets nothing.
 * Throws RateLimitedError, saying when the cap frees a place, once the hour is full.
 */
export async function assertConfirmationMailAllowed(db: DbOrTx, kind: string, perHour: number, now: Date): Promise<void> {
  // The perHour-th newest confirmation of the last hour: while it is inside the window, the hour is full.
  const [full] = await db
    .select({ createdAt: outbox.createdAt })
    .from(outbox)
    .where(and(eq(outbox.kind, kind as typeof outbox.$inferSelect.kind), gt(outbox.createdAt, new Date(now.getTime() - CONFIRMATION_CAP_WINDOW_MS))))
    .orderBy(desc(outbox.createdAt))
    .limit(1)
    .offset(perHour - 1);
  if (!full) return;
  const retryAfterMs = full.createdAt.getTime() + CONFIRMATION_CAP_WINDOW_MS - now.getTime();
  throw new RateLimitedError(
    'confirmations_paused',
    `too many subscription requests right now; try again in ${Math.max(1, Math.ceil(retryAfterMs / 60_000))} minutes`,
    retryAfterMs,
  );
}
