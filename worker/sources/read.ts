/**
 * What the admin API shows of sources: each row with its poll state, the components it feeds (in page order) and
 * how many of its incidents are still open.
 */
import { and, asc, count, eq, inArray, notInArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { components, componentSources, incidents, sources } from '../../db/schema/index.ts';
import { CLOSED_INCIDENT_STATUSES } from '../core/vocabulary.ts';

export type SourceRow = typeof sources.$inferSelect;

export interface SourceDetails {
  row: SourceRow;
  /** The components it feeds, in page order. */
  componentIds: string[];
  openIncidents: number;
}

/** Every source, or those named, by id. */
export async function loadSourceDetails(db: DbOrTx, ids?: string[]): Promise<SourceDetails[]> {
  const rows = await db.select().from(sources).where(ids ? inArray(sources.id, ids) : undefined).orderBy(asc(sources.id));
  if (rows.length === 0) return [];
  const rowIds = rows.map((r) => r.id);
  const [links, open] = await Promise.all([
    db
      .select({ sourceId: componentSources.sourceId, componentId: componentSources.componentId })
      .from(componentSources)
      .innerJoin(components, eq(components.id, componentSources.componentId))
      .where(inArray(componentSources.sourceId, rowIds))
      .orderBy(asc(components.position)),
    db
      .select({ sourceId: incidents.sourceId, open: count() })
      .from(incidents)
      .where(and(inArray(incidents.sourceId, rowIds), notInArray(incidents.status, [...CLOSED_INCIDENT_STATUSES])))
      .groupBy(incidents.sourceId),
  ]);
  return rows.map((row) => ({
    row,
    componentIds: links.filter((l) => l.sourceId === row.id).map((l) => l.componentId),
    openIncidents: open.find((o) => o.sourceId === row.id)?.open ?? 0,
  }));
}

/** One source's row, or undefined. */
export async function loadSourceRow(db: DbOrTx, id: string): Promise<SourceRow | undefined> {
  return (await db.select().from(sources).where(eq(sources.id, id)).limit(1))[0];
}
