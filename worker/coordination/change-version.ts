/**
 * A counter of changes to what the public sees, shared by every worker on the database (`worker_state`, key
 * `published.version`): a worker that changes something adds one; every worker reads it every second or so, and
 * one that finds it moved by someone else publishes again. Reading one row by its key costs far less than reading
 * the published state, which is why the state is read only when this moves.
 */
import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { workerState } from '../../db/schema/index.ts';

export const CHANGE_VERSION_KEY = 'published.version';

/** Adds one; returns the new value. */
export async function bumpChangeVersion(db: DbOrTx, now: Date): Promise<number> {
  const [row] = await db
    .insert(workerState)
    .values({ key: CHANGE_VERSION_KEY, value: '1', updatedAt: now })
    .onConflictDoUpdate({ target: workerState.key, set: { value: sql`cast(${workerState.value} as integer) + 1`, updatedAt: now } })
    .returning({ value: workerState.value });
  return Number(row?.value ?? 0);
}

/** The counter now (0 before any change). */
export async function readChangeVersion(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ value: workerState.value }).from(workerState).where(eq(workerState.key, CHANGE_VERSION_KEY));
  return Number(row?.value ?? 0);
}
