/**
 * Stopping all sending when the provider says no more can go out for now (quota) or that it does not
 * accept our key. The pause lives in `worker_state` so every worker process sees it; it lifts by
 * itself at `until` (a daily quota resets at midnight UTC) or when an admin resumes sending.
 */
import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { workerState } from '../../db/schema/index.ts';

export const PAUSE_KEY = 'mail.paused';
export const LAST_DISPATCH_KEY = 'mail.last_dispatch_at';

export interface MailPause {
  reason: 'quota' | 'provider_refused';
  /** The provider's error name, e.g. `daily_quota_exceeded`. */
  code: string;
  message: string;
  pausedAt: string;
  /** ISO instant at which sending resumes by itself; null: only an admin resumes it. */
  until: string | null;
}

export async function readPause(db: DbOrTx): Promise<MailPause | null> {
  const [row] = await db.select().from(workerState).where(eq(workerState.key, PAUSE_KEY));
  if (!row) return null;
  try {
    return JSON.parse(row.value) as MailPause;
  } catch {
    return { reason: 'provider_refused', code: 'unreadable', message: row.value, pausedAt: row.updatedAt.toISOString(), until: null };
  }
}

/** Sets the pause unless one is already set; true when this call set it (and so should alert). */
export async function startPause(tx: DbOrTx, pause: MailPause, now: Date): Promise<boolean> {
  const inserted = await tx
    .insert(workerState)
    .values({ key: PAUSE_KEY, value: JSON.stringify(pause), updatedAt: now })
    .onConflictDoNothing({ target: workerState.key })
    .returning({ key: workerState.key });
  return inserted.length > 0;
}

/** Lifts the pause; returns what it was (null: sending was not paused). */
export async function endPause(db: DbOrTx): Promise<MailPause | null> {
  const [row] = await db.delete(workerState).where(eq(workerState.key, PAUSE_KEY)).returning();
  if (!row) return null;
  try {
    return JSON.parse(row.value) as MailPause;
  } catch {
    return null;
  }
}

/** The next midnight UTC after `now`, when Resend's daily quota resets (plus a minute of margin). */
export function nextUtcMidnight(now: Date): Date {
  const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, 0, 1);
  return new Date(next);
}

export async function recordDispatch(db: DbOrTx, now: Date): Promise<void> {
  await db
    .insert(workerState)
    .values({ key: LAST_DISPATCH_KEY, value: now.toISOString(), updatedAt: now })
    .onConflictDoUpdate({ target: workerState.key, set: { value: sql`excluded.value`, updatedAt: sql`excluded.updated_at` } });
}
