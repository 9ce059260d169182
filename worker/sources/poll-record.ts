/**
 * What polls write on their source: the poll state (worker/upstream/poll-state.ts decides it), the last warnings and
 * unknown words, and the unknown period that follows from the state, in the poller's transaction. The poller decides;
 * this is where the `sources` row is written.
 */
import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { sources } from '../../db/schema/index.ts';
import { unknownPeriodStep, type PollStatePatch, type UnknownFacts } from '../upstream/poll-state.ts';
import { applyUnknownPeriodStep, closeUnknownPeriods } from './unknown-periods.ts';

/** A poll's new state, with what a successful poll also learned. */
export type PollStateWrite = PollStatePatch & { unknownWords?: string[]; lastWarnings?: string[] };

/** Writes a poll's state on the source read as `before` in the same transaction, and opens or closes its unknown period. */
export async function writePollState(tx: DbOrTx, before: UnknownFacts & { id: string }, write: PollStateWrite, now: Date): Promise<void> {
  await tx.update(sources).set(write).where(eq(sources.id, before.id));
  await applyUnknownPeriodStep(tx, before.id, unknownPeriodStep(before, { ...before, ...write }, now));
}

/** An unchanged poll: the source as read when its poll was picked, and the poll. */
export interface UnchangedPollWrite {
  row: { id: string; state: string; reportedState: string };
  latencyMs: number;
  now: Date;
}

const BATCH = 100;

/**
 * Writes unchanged polls in one statement per batch, reading nothing: the last snapshot is still current, so the
 * state goes back to it (a source shown unknown after failures recovers on a 304), failures reset, next poll one
 * interval after the poll began. Values come from each row itself, so a row read a while ago cannot write stale ones.
 */
export async function writeUnchangedPolls(db: DbOrTx, polls: readonly UnchangedPollWrite[]): Promise<void> {
  // A source shown unknown that answers again ends its unknown period. Closed first: were the update below lost, the
  // next failed poll would open a new period, where the other order would leave one open over good polls.
  const recovered = polls.filter(({ row }) => row.state === 'unknown' && row.reportedState !== 'unknown');
  if (recovered.length) await closeUnknownPeriods(db, recovered.map(({ row, now }) => ({ sourceId: row.id, at: now })));
  for (let i = 0; i < polls.length; i += BATCH) {
    const values = sql.join(
      polls.slice(i, i + BATCH).map(({ row, latencyMs, now }) => sql`(${row.id}, ${now.getTime()}, ${latencyMs})`),
      sql`, `,
    );
    // SQLite names VALUES columns column1, column2…: id, poll start, latency.
    await db.run(sql`
      update ${sources} set
        state = reported_state,
        state_since = case when state = reported_state then state_since else polled.column2 end,
        consecutive_failures = 0,
        failing_since = null,
        last_polled_at = polled.column2,
        last_success_at = polled.column2,
        last_error = null,
        next_poll_at = polled.column2 + max(interval_seconds, 1) * 1000,
        last_latency_ms = polled.column3
      from (values ${values}) as polled
      where ${sources.id} = polled.column1`);
  }
}
