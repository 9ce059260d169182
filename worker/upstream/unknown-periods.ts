/**
 * Reads the record of when sources could not be read (`source_unknown_periods`) for the uptime bars. The sources
 * service writes it, with the poll state it follows (worker/sources/unknown-periods.ts).
 */
import { and, asc, gt, inArray, isNull, lt, or } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { componentSources, sourceUnknownPeriods } from '../../db/schema/index.ts';

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
