/**
 * The record of when sources could not be read (`source_unknown_periods`), written in the same transaction as the
 * poll state it follows (see `unknownPeriodStep` in poll-state.ts), and read by the uptime bars.
 */
import { and, asc, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { componentSources, sourceUnknownPeriods } from '../../db/schema/index.ts';
import { newId } from '../lib/ids.ts';
import type { UnknownPeriodStep } from './poll-state.ts';

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

/** A period during which a component's provider could not be read (for the uptime bars). */
export interface ComponentUnknownPeriod {
  componentIds: string[];
  startsAt: Date;
  /** Null while it lasts. */
  endsAt: Date | null;
}

/**
 * The periods that overlap `[from, to)`, each with the components its source feeds now (not retired ones: the caller
 * ignores unknown ids). A paused source's periods are closed when it was paused, so they end there.
 */
export async function loadUnknownPeriods(db: DbOrTx, from: Date, to: Date): Promise<ComponentUnknownPeriod[]> {
  const periods = await db
    .select()
    .from(sourceUnknownPeriods)
    .where(and(lt(sourceUnknownPeriods.startedAt, to), or(isNull(sourceUnknownPeriods.endedAt), gt(sourceUnknownPeriods.endedAt, from))))
    .orderBy(asc(sourceUnknownPeriods.startedAt), asc(sourceUnknownPeriods.id));
  if (!periods.length) return [];
  const sourceIds = [...new Set(periods.map((p) => p.sourceId))];
  const links = await db.select().from(componentSources).where(inArray(componentSources.sourceId, sourceIds));
  const fed = new Map<string, string[]>();
  for (const link of links) fed.set(link.sourceId, [...(fed.get(link.sourceId) ?? []), link.componentId]);
  return periods
    .filter((p) => fed.has(p.sourceId))
    .map((p) => ({ componentIds: fed.get(p.sourceId)!, startsAt: p.startedAt, endsAt: p.endedAt }));
}
