import { and, eq, inArray, lte } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { maintenances, maintenanceUpdates } from '../../db/schema/index.ts';
import { newId } from '../lib/ids.ts';

/**
 * Moves our own windows along by themselves: scheduled → in_progress at their start,
 * in_progress/verifying → completed at their end. Returns the ids that changed.
 * Upstream windows follow their provider's page instead.
 */
export async function advanceMaintenanceWindows(db: Database, now: Date): Promise<string[]> {
  return db.transaction(async (tx) => {
    const changed: string[] = [];
    const starting = await tx
      .select({ id: maintenances.id })
      .from(maintenances)
      .where(and(eq(maintenances.status, 'scheduled'), lte(maintenances.startsAt, now), eq(maintenances.createdBy, 'admin')));
    for (const { id } of starting) {
      await tx.update(maintenances).set({ status: 'in_progress', startedAt: now, updatedAt: now }).where(eq(maintenances.id, id));
      await tx.insert(maintenanceUpdates).values({ id: newId(), maintenanceId: id, status: 'in_progress', body: '', createdAt: now });
      changed.push(id);
    }
    const ending = await tx
      .select({ id: maintenances.id })
      .from(maintenances)
      .where(and(inArray(maintenances.status, ['scheduled', 'in_progress', 'verifying']), lte(maintenances.endsAt, now), eq(maintenances.createdBy, 'admin')));
    for (const { id } of ending) {
      await tx.update(maintenances).set({ status: 'completed', completedAt: now, updatedAt: now }).where(eq(maintenances.id, id));
      await tx.insert(maintenanceUpdates).values({ id: newId(), maintenanceId: id, status: 'completed', body: '', createdAt: now });
      changed.push(id);
    }
    return changed;
  });
}
