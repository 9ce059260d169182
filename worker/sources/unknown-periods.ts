/**
 * Writes the record of when sources could not be read (`source_unknown_periods`), in the same transaction as the
 * change of the source's row it follows: a poll's state, a pause or a resume (see `unknownPeriodStep` in
 * worker/upstream/poll-state.ts). The uptime bars read it through worker/upstream/unknown-periods.ts.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { sourceUnknownPeriods } from '../../db/schema/index.ts';
import { newId } from '../lib/ids.ts';
import type { UnknownPeriodStep } from '../upstream/poll-state.ts';

/** Opens the source's period (unless one is open: the partial unique index keeps one) or closes it. */
export async function applyUnknownPeriodStep(tx: DbOrTx, sourceId: string, step: UnknownPeriodStep): Promise<void> {
  if (!step) return;
  if ('open' in step) {
    await tx.insert(sourceUnknownPeriods).values({ id: newId(), sourceId, startedAt: step.open }).onConflictDoNothing();
  } else {
    await closeUnknownPeriods(tx, [{ sourceId, at: step.close }]);
  }
}

/** Closes the open period of each source, at its own time (several sources read again at once). */
export async function closeUnknownPeriods(tx: DbOrTx, closes: readonly { sourceId: string; at: Date }[]): Promise<void> {
  for (const { sourceId, at } of closes) {
    await tx
      .update(sourceUnknownPeriods)
      .set({ endedAt: sql`max(${sourceUnknownPeriods.startedAt}, ${at.getTime()})` })
      .where(and(eq(sourceUnknownPeriods.sourceId, sourceId), isNull(sourceUnknownPeriods.endedAt)));
  }
}

/** Forgets a removed source's periods: the components it fed no longer depend on it. */
export async function deleteUnknownPeriods(tx: DbOrTx, sourceId: string): Promise<void> {
  await tx.delete(sourceUnknownPeriods).where(eq(sourceUnknownPeriods.sourceId, sourceId));
}
