import { inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { outbox } from '../../db/schema/index.ts';

/** A window's messages by channel, then by outbox state: `{ email: { sent: 120, failed: 2 }, webhook: { pending: 3 } }`. */
export type DeliveryFigures = Record<string, Record<string, number>>;

/**
 * How every message about each window has fared so far, counted in the database (one grouped read over the outbox's
 * window index), so a window announced to 100,000 people is counted whole.
 */
export async function deliveryFigures(db: DbOrTx, maintenanceIds: readonly string[]): Promise<Map<string, DeliveryFigures>> {
  const figures = new Map<string, DeliveryFigures>();
  if (!maintenanceIds.length) return figures;
  const rows = await db
    .select({ maintenanceId: outbox.maintenanceId, channel: outbox.channel, state: outbox.state, n: sql<number>`count(*)` })
    .from(outbox)
    .where(inArray(outbox.maintenanceId, [...maintenanceIds]))
    .groupBy(outbox.maintenanceId, outbox.channel, outbox.state);
  for (const row of rows) {
    const window = figures.get(row.maintenanceId!) ?? {};
    (window[row.channel] ??= {})[row.state] = Number(row.n);
    figures.set(row.maintenanceId!, window);
  }
  return figures;
}
