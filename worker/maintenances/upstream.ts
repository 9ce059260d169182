/**
 * Maintenance windows recorded from a provider's page: the writes that carry out the steps upstream reconciliation
 * plans (worker/upstream/steps.ts declares them, worker/upstream/reconcile.ts decides them without touching the
 * database), in the caller's transaction. The provider owns these windows' times: no notice rule, no reminders.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { maintenanceComponents, maintenances, maintenanceUpdates } from '../../db/schema/index.ts';
import { OPEN_MAINTENANCE_STATUSES } from '../core/vocabulary.ts';
import { newId } from '../lib/ids.ts';
import { announceUpstreamMaintenance } from '../notices/maintenance-notices.ts';
import type { MaintenanceStep } from '../upstream/steps.ts';

/** Applies a source's window steps in order; a new window is announced in the same transaction. */
export async function applyUpstreamMaintenanceSteps(tx: DbOrTx, sourceId: string, steps: readonly MaintenanceStep[], now: Date): Promise<void> {
  for (const step of steps) await applyStep(tx, sourceId, step, now);
}

async function applyStep(tx: DbOrTx, sourceId: string, step: MaintenanceStep, now: Date): Promise<void> {
  if (step.action === 'create') {
    const id = newId();
    await tx.insert(maintenances).values({
      id,
      ...step.values,
      notify: true,
      createdAt: now,
      updatedAt: now,
      createdBy: 'upstream',
      sourceId,
      upstreamId: step.upstreamId,
    });
    if (step.componentIds.length) await tx.insert(maintenanceComponents).values(step.componentIds.map((componentId) => ({ maintenanceId: id, componentId })));
    await tx.insert(maintenanceUpdates).values({ id: newId(), maintenanceId: id, ...step.entry });
    // Provider windows are announced once (no reminders, no notice rule): the notices module decides.
    await announceUpstreamMaintenance(tx, id, now);
    return;
  }
  const id = step.maintenanceId;
  await tx.update(maintenances).set({ ...step.patch, updatedAt: now }).where(eq(maintenances.id, id));
  if (step.addComponentIds.length) {
    await tx.insert(maintenanceComponents).values(step.addComponentIds.map((componentId) => ({ maintenanceId: id, componentId }))).onConflictDoNothing();
  }
  if (step.entry) await tx.insert(maintenanceUpdates).values({ id: newId(), maintenanceId: id, ...step.entry });
}


/**
 * A source is no longer watched: its open windows are cancelled with `note` as the reason and the update (nobody
 * would ever close them otherwise), and all its windows stay as history, no longer tied to it. Returns how many were
 * cancelled.
 */
export async function releaseSourceMaintenances(tx: DbOrTx, sourceId: string, note: string, now: Date): Promise<number> {
  const windows = await tx
    .select({ id: maintenances.id })
    .from(maintenances)
    .where(and(eq(maintenances.sourceId, sourceId), inArray(maintenances.status, [...OPEN_MAINTENANCE_STATUSES])));
  for (const { id } of windows) {
    await tx
      .update(maintenances)
      .set({ status: 'cancelled', cancelledAt: now, cancelReason: note, updatedAt: now })
      .where(eq(maintenances.id, id));
    await tx.insert(maintenanceUpdates).values({ id: newId(), maintenanceId: id, status: 'cancelled', body: note, createdAt: now });
  }
  // Spelled out rather than left to ON DELETE: a pooled connection may not have foreign keys switched on.
  await tx.update(maintenances).set({ sourceId: null }).where(eq(maintenances.sourceId, sourceId));
  return windows.length;
}
