import { asc, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { components, maintenanceComponents, maintenances, maintenanceUpdates } from '../../db/schema/index.ts';
import { ApiError } from '../http/errors.ts';
import { newId } from '../lib/ids.ts';

export interface NewMaintenance {
  title: string;
  message: string;
  startsAt: Date;
  endsAt: Date;
  componentIds: string[];
  notify: boolean;
}

/** Records a staff-scheduled maintenance window. Runs inside the caller's transaction. */
export async function createMaintenance(tx: DbOrTx, input: NewMaintenance, opts: { now: Date; actor: string }): Promise<string> {
  if (input.endsAt.getTime() <= input.startsAt.getTime()) {
    throw new ApiError(422, 'invalid_window', `ends_at (${input.endsAt.toISOString()}) must be after starts_at (${input.startsAt.toISOString()})`);
  }
  await assertComponentsExist(tx, input.componentIds);
  const id = newId();
  await tx.insert(maintenances).values({
    id,
    title: input.title,
    message: input.message,
    status: 'scheduled',
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    notify: input.notify,
    createdAt: opts.now,
    updatedAt: opts.now,
    createdBy: opts.actor,
  });
  if (input.componentIds.length) {
    await tx.insert(maintenanceComponents).values(input.componentIds.map((componentId) => ({ maintenanceId: id, componentId })));
  }
  await tx.insert(maintenanceUpdates).values({ id: newId(), maintenanceId: id, status: 'scheduled', body: input.message, createdAt: opts.now });
  return id;
}

export async function assertComponentsExist(tx: DbOrTx, ids: string[]): Promise<void> {
  if (!ids.length) return;
  const rows = await tx.select({ id: components.id, retiredAt: components.retiredAt }).from(components).where(inArray(components.id, ids)).orderBy(asc(components.id));
  const known = new Set(rows.filter((r) => !r.retiredAt).map((r) => r.id));
  ids.forEach((id, i) => {
    if (!known.has(id)) throw new ApiError(422, 'unknown_component', `component_ids[${i}]: unknown component "${id}"`);
  });
}
