/**
 * Maintenance notices in the database: each function runs inside the caller's transaction, so a
 * notice is queued (or planned) exactly when the change that causes it is committed.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { components, maintenanceComponents, maintenanceNotices, maintenances, sources } from '../../db/schema/index.ts';
import { queueNotice } from '../mail/outbox.ts';
import { newId } from '../lib/ids.ts';
import { parseNotice, type NoticeInput } from './notice.ts';
import {
  maintenanceNoticeKey,
  maintenanceNoticeKind,
  planRescheduledWindow,
  planScheduledWindow,
  planUpstreamWindow,
  type PlannedNotice,
} from './plan.ts';
import type { MaintenanceNoticeKind } from '../core/vocabulary.ts';
import { maintenanceRecipientPages, toSubscriber } from './recipients.ts';
import { yieldToEventLoop } from '../lib/event-loop.ts';

export interface NoticePolicy {
  /** The notice rule, ms. */
  minNotice: number;
  /** Reminder offsets before the start, ms. */
  reminders: readonly number[];
}

type MaintenanceRow = typeof maintenances.$inferSelect;

/** What a few notices add to what the window says: a reschedule's previous times, a cancellation's reason. */
export interface NoticeDetails {
  previousStartsAt?: string;
  previousEndsAt?: string;
  reason?: string | null;
}

export async function loadWindow(tx: DbOrTx, id: string): Promise<MaintenanceRow | undefined> {
  return (await tx.select().from(maintenances).where(eq(maintenances.id, id)).limit(1))[0];
}

export async function windowComponentIds(tx: DbOrTx, id: string): Promise<string[]> {
  const rows = await tx.select({ id: maintenanceComponents.componentId }).from(maintenanceComponents).where(eq(maintenanceComponents.maintenanceId, id));
  return rows.map((r) => r.id).sort();
}

/** What every maintenance notice says of its window, frozen at the moment the notice is queued. */
async function snapshot(tx: DbOrTx, window: MaintenanceRow) {
  const componentIds = await windowComponentIds(tx, window.id);
  const names = componentIds.length
    ? await tx.select({ name: components.name }).from(components).where(inArray(components.id, componentIds)).orderBy(asc(components.position))
    : [];
  const source = window.sourceId ? (await tx.select({ name: sources.name }).from(sources).where(eq(sources.id, window.sourceId)).limit(1))[0] : undefined;
  return {
    componentIds,
    facts: {
      maintenanceId: window.id,
      version: window.version,
      title: window.title,
      message: window.message,
      startsAt: window.startsAt.toISOString(),
      endsAt: window.endsAt.toISOString(),
      components: names.map((n) => n.name),
      upstream: window.sourceId || window.upstreamId ? { name: source?.name ?? '', url: window.upstreamUrl } : null,
    },
  };
}

/**
 * Queues one notice to every current recipient of the window and records it as queued.
 * Keys are deterministic, so queueing the same notice again only reaches recipients who lacked it.
 * Returns how many messages were new.
 */
export async function queueMaintenanceNotice(
  tx: DbOrTx,
  window: MaintenanceRow,
  notice: PlannedNotice,
  now: Date,
  details: NoticeDetails = {},
): Promise<number> {
  if (!window.notify) return 0;
  const { componentIds, facts } = await snapshot(tx, window);
  // Checked before the recipients are read: a bad notice fails its producer even when nobody would receive it.
  const typed = parseNotice(typedNotice(facts, notice, details));
  let added = 0;
  for await (const page of maintenanceRecipientPages(tx, componentIds, typed.kind)) {
    added += await queueNotice(tx, typed, page.map((r) => toSubscriber(r, maintenanceNoticeKey(window.id, notice, r.subscriberId))), now);
    await yieldToEventLoop();
  }
  await tx
    .insert(maintenanceNotices)
    .values({ id: newId(), maintenanceId: window.id, ...notice, state: 'queued', queuedAt: now, recipients: added, createdAt: now })
    .onConflictDoUpdate({
      target: [maintenanceNotices.maintenanceId, maintenanceNotices.kind, maintenanceNotices.version, maintenanceNotices.offsetMs],
      set: {
        state: 'queued',
        queuedAt: sql`coalesce(${maintenanceNotices.queuedAt}, ${now.getTime()})`,
        recipients: sql`coalesce(${maintenanceNotices.recipients}, 0) + ${added}`,
        reason: null,
      },
    });
  return added;
}

/** The typed notice a planned maintenance notice is queued as. */
function typedNotice(facts: Awaited<ReturnType<typeof snapshot>>['facts'], planned: PlannedNotice, details: NoticeDetails): NoticeInput {
  switch (planned.kind) {
    case 'reminder':
      return { kind: 'maintenance.reminder', ...facts, offsetMs: planned.offsetMs };
    case 'rescheduled':
      return { kind: 'maintenance.rescheduled', ...facts, previousStartsAt: details.previousStartsAt, previousEndsAt: details.previousEndsAt };
    case 'cancelled':
      return { kind: 'maintenance.cancelled', ...facts, reason: details.reason };
    default:
      return { kind: maintenanceNoticeKind(planned.kind), ...facts };
  }
}

/** Stores notices to be queued later by the notice job; already planned ones are left as they are. */
export async function recordPlannedNotices(tx: DbOrTx, maintenanceId: string, notices: readonly PlannedNotice[], now: Date): Promise<void> {
  if (!notices.length) return;
  await tx
    .insert(maintenanceNotices)
    .values(notices.map((n) => ({ id: newId(), maintenanceId, ...n, state: 'planned' as const, createdAt: now })))
    .onConflictDoNothing();
}

/** Reminders no longer owed (the window moved, was cancelled, started or ended): recorded, never sent. */
export async function dropPlannedReminders(tx: DbOrTx, maintenanceId: string, reason: string): Promise<void> {
  await tx
    .update(maintenanceNotices)
    .set({ state: 'dropped', reason })
    .where(and(eq(maintenanceNotices.maintenanceId, maintenanceId), eq(maintenanceNotices.kind, 'reminder'), eq(maintenanceNotices.state, 'planned')));
}

/** A notice that will not be sent, recorded so the window's history says why. */
export async function recordSkippedNotice(tx: DbOrTx, maintenanceId: string, notice: PlannedNotice, reason: string, now: Date): Promise<void> {
  await tx
    .insert(maintenanceNotices)
    .values({ id: newId(), maintenanceId, ...notice, state: 'skipped', reason, createdAt: now })
    .onConflictDoNothing();
}

/** Splits a plan into what goes out now and what waits for the notice job. */
async function apply(tx: DbOrTx, window: MaintenanceRow, plan: PlannedNotice[], now: Date, details: NoticeDetails = {}) {
  for (const n of plan.filter((p) => p.dueAt.getTime() <= now.getTime())) await queueMaintenanceNotice(tx, window, n, now, details);
  await recordPlannedNotices(tx, window.id, plan.filter((p) => p.dueAt.getTime() > now.getTime()), now);
}

/** A window of ours was just scheduled: announcement now, reminders planned. */
export async function noticeScheduledWindow(tx: DbOrTx, id: string, policy: NoticePolicy, now: Date): Promise<void> {
  const window = await loadWindow(tx, id);
  if (!window?.notify) return;
  await apply(tx, window, planScheduledWindow(window, policy.reminders, now), now);
}

/**
 * The window's components changed: anyone newly affected gets the announcement (those who had it
 * are skipped by their keys).
 */
export async function noticeWidenedWindow(tx: DbOrTx, id: string, now: Date): Promise<void> {
  const window = await loadWindow(tx, id);
  if (!window?.notify) return;
  await queueMaintenanceNotice(tx, window, { kind: 'announcement', version: 0, offsetMs: 0, dueAt: now }, now);
}

/** The window's times changed (its version already bumped): old reminders dropped, the change told, new reminders planned. */
export async function noticeRescheduledWindow(
  tx: DbOrTx,
  id: string,
  previous: { startsAt: Date; endsAt: Date },
  policy: NoticePolicy,
  now: Date,
): Promise<void> {
  await dropPlannedReminders(tx, id, 'rescheduled');
  const window = await loadWindow(tx, id);
  if (!window?.notify) return;
  await apply(tx, window, planRescheduledWindow(window, policy.reminders, now), now, {
    previousStartsAt: previous.startsAt.toISOString(),
    previousEndsAt: previous.endsAt.toISOString(),
  });
}

/** The window was cancelled: owed reminders dropped, the cancellation told. */
export async function noticeCancelledWindow(tx: DbOrTx, id: string, now: Date): Promise<void> {
  await dropPlannedReminders(tx, id, 'cancelled');
  const window = await loadWindow(tx, id);
  if (!window?.notify) return;
  await queueMaintenanceNotice(tx, window, { kind: 'cancelled', version: window.version, offsetMs: 0, dueAt: now }, now, { reason: window.cancelReason });
}

/** The window started (by its clock or by an admin). */
export async function noticeStartedWindow(tx: DbOrTx, id: string, now: Date): Promise<void> {
  await dropPlannedReminders(tx, id, 'window_started');
  const window = await loadWindow(tx, id);
  if (!window?.notify) return;
  await queueMaintenanceNotice(tx, window, startedOrCompleted('started', window, now), now);
}

/**
 * The window ended. If it was never seen in progress (the worker was down for all of it), the
 * "started" notice would only be noise next to this one: it is recorded as skipped.
 */
export async function noticeCompletedWindow(tx: DbOrTx, id: string, now: Date, opts: { startedNoticeSkipped?: boolean } = {}): Promise<void> {
  await dropPlannedReminders(tx, id, 'window_completed');
  const window = await loadWindow(tx, id);
  if (!window?.notify) return;
  if (opts.startedNoticeSkipped) await recordSkippedNotice(tx, id, startedOrCompleted('started', window, now), 'window_already_over', now);
  await queueMaintenanceNotice(tx, window, startedOrCompleted('completed', window, now), now);
}

const startedOrCompleted = (kind: MaintenanceNoticeKind, window: MaintenanceRow, now: Date): PlannedNotice => ({ kind, version: window.version, offsetMs: 0, dueAt: now });

/**
 * An upstream window first seen: its subscribers are told once (no reminders, no notice rule).
 * For the module recording provider windows to call in its own transaction; the notice job
 * also catches any window it did not announce.
 */
export async function announceUpstreamMaintenance(tx: DbOrTx, id: string, now: Date): Promise<void> {
  const window = await loadWindow(tx, id);
  if (!window?.notify) return;
  for (const n of planUpstreamWindow(window, now)) await queueMaintenanceNotice(tx, window, n, now);
}
