import { and, inArray, isNull, lte } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { maintenances } from '../../db/schema/index.ts';
import { OPEN_MAINTENANCE_STATUSES } from '../core/vocabulary.ts';
import { beginWindow, finishWindow } from './service.ts';

/**
 * Moves our own windows along by themselves: scheduled → in_progress at their start,
 * in_progress/verifying → completed at their end, queueing the "started" and "completed" notices
 * in the same transaction. Returns the ids that changed. A window whose whole span passed while the
 * worker was down goes straight to completed. Upstream windows follow their provider's page instead.
 */
export async function advanceMaintenanceWindows(db: Database, now: Date): Promise<string[]> {
  return db.transaction(async (tx) => {
    const changed: string[] = [];
    const own = and(isNull(maintenances.sourceId), isNull(maintenances.upstreamId));
    const ending = await tx
      .select()
      .from(maintenances)
      .where(and(inArray(maintenances.status, [...OPEN_MAINTENANCE_STATUSES]), lte(maintenances.endsAt, now), own));
    for (const window of ending) {
      await finishWindow(tx, window, now);
      changed.push(window.id);
    }
    const starting = await tx
      .select()
      .from(maintenances)
      .where(and(inArray(maintenances.status, ['scheduled']), lte(maintenances.startsAt, now), own));
    for (const window of starting) {
      await beginWindow(tx, window, now);
      changed.push(window.id);
    }
    return changed;
  });
}
