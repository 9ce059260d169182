import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { components, maintenanceComponents, maintenances, maintenanceUpdates } from '../../db/schema/index.ts';
import type { Config } from '../config/load.ts';
import { ConflictError, notFound, RuleBrokenError } from '../core/errors.ts';
import { newId } from '../lib/ids.ts';
import {
  loadWindow,
  noticeCancelledWindow,
  noticeCompletedWindow,
  noticeRescheduledWindow,
  noticeScheduledWindow,
  noticeStartedWindow,
  noticeWidenedWindow,
  windowComponentIds,
  type NoticePolicy,
} from '../notices/maintenance-notices.ts';
import { effectiveMaintenanceStatus } from '../status/derive.ts';
import { checkNoticeRule, noticeTooShortMessage } from './notice-rule.ts';

export interface NewMaintenance {
  title: string;
  message: string;
  startsAt: Date;
  endsAt: Date;
  componentIds: string[];
  notify: boolean;
}

export interface MaintenanceChanges {
  title?: string;
  message?: string;
  startsAt?: Date;
  endsAt?: Date;
  componentIds?: string[];
}

type MaintenanceRow = typeof maintenances.$inferSelect;

export const noticePolicy = (config: Config): NoticePolicy => ({ minNotice: config.maintenance.min_notice, reminders: config.maintenance.reminders });

/** A window recorded from a provider's page (the provider owns its times). */
export const isUpstreamWindow = (m: Pick<MaintenanceRow, 'sourceId' | 'upstreamId'>) => m.sourceId !== null || m.upstreamId !== null;

function assertNoticeRule(startsAt: Date, now: Date, minNotice: number): void {
  const verdict = checkNoticeRule(startsAt, now, minNotice);
  if (!verdict.ok) {
    throw new RuleBrokenError('notice_too_short', noticeTooShortMessage(startsAt, now, minNotice, verdict.earliestAllowedStart), {
      earliest_allowed_start: verdict.earliestAllowedStart.toISOString(),
    });
  }
}

function assertWindowOrder(startsAt: Date, endsAt: Date): void {
  if (endsAt.getTime() <= startsAt.getTime()) {
    throw new RuleBrokenError('invalid_window', `ends_at (${endsAt.toISOString()}) must be after starts_at (${startsAt.toISOString()})`);
  }
}

/**
 * Records a staff-scheduled maintenance window, held to the notice rule, and queues its
 * announcement (and plans its reminders) in the caller's transaction.
 */
export async function createMaintenance(tx: DbOrTx, input: NewMaintenance, opts: { now: Date; actor: string; policy: NoticePolicy }): Promise<string> {
  assertWindowOrder(input.startsAt, input.endsAt);
  assertNoticeRule(input.startsAt, opts.now, opts.policy.minNotice);
  const componentIds = [...new Set(input.componentIds)];
  await assertComponentsExist(tx, componentIds);
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
  if (componentIds.length) {
    await tx.insert(maintenanceComponents).values(componentIds.map((componentId) => ({ maintenanceId: id, componentId })));
  }
  await tx.insert(maintenanceUpdates).values({ id: newId(), maintenanceId: id, status: 'scheduled', body: input.message, createdAt: opts.now });
  await noticeScheduledWindow(tx, id, opts.policy, opts.now);
  return id;
}

async function ownWindow(tx: DbOrTx, id: string): Promise<MaintenanceRow> {
  const window = await loadWindow(tx, id);
  if (!window) throw notFound(`maintenance "${id}"`);
  if (isUpstreamWindow(window)) {
    throw new ConflictError('upstream_maintenance', `maintenance "${id}" comes from a provider's status page and follows it; it cannot be changed here`);
  }
  return window;
}

function assertOpen(window: MaintenanceRow, now: Date): void {
  const status = effectiveMaintenanceStatus(window, now);
  if (status === 'completed' || status === 'cancelled') {
    throw new ConflictError('maintenance_closed', `maintenance "${window.id}" is already ${status}`);
  }
}

/**
 * Changes a window. Moving the start earlier, or widening the components (new people to tell),
 * is held to the notice rule measured from now; a later start is always allowed. A change of times
 * bumps the version: pending reminders are dropped, subscribers told, and reminders planned anew.
 */
export async function updateMaintenance(
  tx: DbOrTx,
  id: string,
  changes: MaintenanceChanges,
  opts: { now: Date; policy: NoticePolicy },
): Promise<{ rescheduled: boolean; widened: boolean }> {
  const { now, policy } = opts;
  const window = await ownWindow(tx, id);
  assertOpen(window, now);
  const started = effectiveMaintenanceStatus(window, now) !== 'scheduled';
  const startsAt = changes.startsAt ?? window.startsAt;
  const endsAt = changes.endsAt ?? window.endsAt;
  const startMoved = startsAt.getTime() !== window.startsAt.getTime();
  const endMoved = endsAt.getTime() !== window.endsAt.getTime();
  if (started && startMoved) {
    throw new ConflictError('already_started', `maintenance "${id}" has already started; only its end can still move`);
  }
  assertWindowOrder(startsAt, endsAt);
  if (started && endMoved && endsAt.getTime() <= now.getTime()) {
    throw new RuleBrokenError('invalid_window', `ends_at (${endsAt.toISOString()}) is not in the future; complete the maintenance instead`);
  }
  if (startMoved && startsAt.getTime() < window.startsAt.getTime()) assertNoticeRule(startsAt, now, policy.minNotice);

  const before = await windowComponentIds(tx, id);
  const after = changes.componentIds ? [...new Set(changes.componentIds)].sort() : before;
  const componentsChanged = after.join('\n') !== before.join('\n');
  // An empty list means "everything": going to it widens; coming from it never does.
  const widened = componentsChanged && before.length > 0 && (after.length === 0 || after.some((c) => !before.includes(c)));
  if (widened && !started) assertNoticeRule(startsAt, now, policy.minNotice);
  if (componentsChanged) {
    await assertComponentsExist(tx, after);
    await tx.delete(maintenanceComponents).where(eq(maintenanceComponents.maintenanceId, id));
    if (after.length) await tx.insert(maintenanceComponents).values(after.map((componentId) => ({ maintenanceId: id, componentId })));
  }

  const rescheduled = startMoved || endMoved;
  const patch: Partial<typeof maintenances.$inferInsert> = { updatedAt: now };
  if (changes.title !== undefined) patch.title = changes.title;
  if (changes.message !== undefined) patch.message = changes.message;
  if (rescheduled) {
    Object.assign(patch, { startsAt, endsAt, version: window.version + 1, lateNoticeAt: null, lateNoticeCount: null });
    // Subscribers learn of an earlier start from this change's notice: that one is now held to the rule.
    if (startsAt.getTime() < window.startsAt.getTime()) patch.noticeVersion = window.version + 1;
  }
  await tx.update(maintenances).set(patch).where(eq(maintenances.id, id));
  if (rescheduled) {
    await tx.insert(maintenanceUpdates).values({ id: newId(), maintenanceId: id, status: started ? 'in_progress' : 'scheduled', body: '', createdAt: now });
    await noticeRescheduledWindow(tx, id, { startsAt: window.startsAt, endsAt: window.endsAt }, policy, now);
  }
  if (widened) await noticeWidenedWindow(tx, id, now);
  return { rescheduled, widened };
}

/** Starts a scheduled window now (by the clock, or early by an admin), telling subscribers. */
export async function startMaintenance(tx: DbOrTx, id: string, opts: { now: Date }): Promise<void> {
  const window = await ownWindow(tx, id);
  assertOpen(window, opts.now);
  if (window.status !== 'scheduled') throw new ConflictError('already_started', `maintenance "${id}" is already ${window.status}`);
  await beginWindow(tx, window, opts.now);
}

/** Ends a window early (or records the end the clock reached), telling subscribers. */
export async function completeMaintenance(tx: DbOrTx, id: string, opts: { now: Date }): Promise<void> {
  const window = await ownWindow(tx, id);
  assertOpen(window, opts.now);
  if (effectiveMaintenanceStatus(window, opts.now) === 'scheduled') {
    throw new ConflictError('not_started', `maintenance "${id}" has not started; start it first, or cancel it`);
  }
  await finishWindow(tx, window, opts.now);
}

/** Calls off a window that has not started; pending reminders are dropped and subscribers told. */
export async function cancelMaintenance(tx: DbOrTx, id: string, reason: string | null, opts: { now: Date }): Promise<void> {
  const window = await ownWindow(tx, id);
  assertOpen(window, opts.now);
  if (effectiveMaintenanceStatus(window, opts.now) !== 'scheduled') {
    throw new ConflictError('already_started', `maintenance "${id}" has already started; complete it instead`);
  }
  const { now } = opts;
  await tx
    .update(maintenances)
    .set({ status: 'cancelled', cancelledAt: now, cancelReason: reason, version: window.version + 1, updatedAt: now })
    .where(eq(maintenances.id, id));
  await tx.insert(maintenanceUpdates).values({ id: newId(), maintenanceId: id, status: 'cancelled', body: reason ?? '', createdAt: now });
  await noticeCancelledWindow(tx, id, now);
}

/** scheduled → in_progress, with its notice. */
export async function beginWindow(tx: DbOrTx, window: MaintenanceRow, now: Date): Promise<void> {
  await tx.update(maintenances).set({ status: 'in_progress', startedAt: now, updatedAt: now }).where(eq(maintenances.id, window.id));
  await tx.insert(maintenanceUpdates).values({ id: newId(), maintenanceId: window.id, status: 'in_progress', body: '', createdAt: now });
  await noticeStartedWindow(tx, window.id, now);
}

/** → completed, with its notice; a window never seen in progress gets no separate "started" notice. */
export async function finishWindow(tx: DbOrTx, window: MaintenanceRow, now: Date): Promise<void> {
  const neverStarted = window.status === 'scheduled';
  await tx
    .update(maintenances)
    .set({ status: 'completed', startedAt: window.startedAt ?? window.startsAt, completedAt: now, updatedAt: now })
    .where(eq(maintenances.id, window.id));
  await tx.insert(maintenanceUpdates).values({ id: newId(), maintenanceId: window.id, status: 'completed', body: '', createdAt: now });
  await noticeCompletedWindow(tx, window.id, now, { startedNoticeSkipped: neverStarted });
}

/**
 * Records that the window's notice is (or will be) late for `lateCount` recipients. Only the first verdict on the
 * window's current version is kept: returns false when the window was marked already or has moved since it was read.
 */
export async function markLateNotice(tx: DbOrTx, window: Pick<MaintenanceRow, 'id' | 'version'>, lateCount: number, now: Date): Promise<boolean> {
  const updated = await tx
    .update(maintenances)
    .set({ lateNoticeAt: now, lateNoticeCount: lateCount })
    .where(and(eq(maintenances.id, window.id), isNull(maintenances.lateNoticeAt), eq(maintenances.version, window.version)))
    .returning({ id: maintenances.id });
  return updated.length > 0;
}

export async function assertComponentsExist(tx: DbOrTx, ids: string[]): Promise<void> {
  if (!ids.length) return;
  const rows = await tx.select({ id: components.id, retiredAt: components.retiredAt }).from(components).where(inArray(components.id, ids)).orderBy(asc(components.id));
  const known = new Set(rows.filter((r) => !r.retiredAt).map((r) => r.id));
  ids.forEach((id, i) => {
    if (!known.has(id)) throw new RuleBrokenError('unknown_component', `component_ids[${i}]: unknown component "${id}"`);
  });
}
