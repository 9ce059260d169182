/**
 * Pure planning of the notices a maintenance window causes, and of what to do with the ones that
 * have come due. The database layer stores the plan; this module decides it.
 *
 * Rules:
 * - Scheduling a window queues the announcement at once and plans one reminder per configured
 *   offset whose moment (start − offset) is still ahead; offsets are de-duplicated, non-positive ones ignored.
 * - Changing the window's times bumps its version: reminders of older versions are dropped, a
 *   "rescheduled" notice goes out at once and reminders are planned afresh for the new start.
 * - A due reminder is queued only while the window has not started (and is still at the version it
 *   was planned for). When several reminders came due at once (the worker was down), only the one
 *   closest to the start is sent; the others are recorded as superseded, never silently lost.
 * - A reminder whose window already started (or was cancelled, completed) is recorded as skipped.
 * - Upstream windows (from a provider's page) get the announcement only: their times are the
 *   provider's, so reminders could be wrong and the notice rule cannot apply.
 */
import type { NoticeKind } from '../core/notices.ts';
import type { MaintenanceNoticeKind, MaintenanceNoticeState, MaintenanceStatus } from '../core/vocabulary.ts';

export interface PlannedNotice {
  kind: MaintenanceNoticeKind;
  /** The window version the notice belongs to. */
  version: number;
  /** For reminders, how long before the start; 0 otherwise. */
  offsetMs: number;
  dueAt: Date;
}

export interface WindowTimes {
  startsAt: Date;
  endsAt: Date;
  version: number;
}

/** Configured reminder offsets, usable ones only, largest (earliest reminder) first. */
export function normaliseReminderOffsets(reminders: readonly number[]): number[] {
  return [...new Set(reminders.filter((ms) => Number.isFinite(ms) && ms > 0))].sort((a, b) => b - a);
}

/** Reminders for a window at its current version: one per offset whose moment is still ahead of `now`. */
export function planReminders(window: WindowTimes, reminders: readonly number[], now: Date): PlannedNotice[] {
  return normaliseReminderOffsets(reminders)
    .map((offsetMs) => ({ kind: 'reminder' as const, version: window.version, offsetMs, dueAt: new Date(window.startsAt.getTime() - offsetMs) }))
    .filter((n) => n.dueAt.getTime() > now.getTime());
}

/** Everything a newly scheduled window of ours causes: the announcement now, then its reminders. */
export function planScheduledWindow(window: WindowTimes, reminders: readonly number[], now: Date): PlannedNotice[] {
  return [{ kind: 'announcement', version: window.version, offsetMs: 0, dueAt: now }, ...planReminders(window, reminders, now)];
}

/** What moving a window causes (the window already carries its new version and times). */
export function planRescheduledWindow(window: WindowTimes, reminders: readonly number[], now: Date): PlannedNotice[] {
  return [{ kind: 'rescheduled', version: window.version, offsetMs: 0, dueAt: now }, ...planReminders(window, reminders, now)];
}

/** An upstream window, first seen at `now`: announced unless it is already over. */
export function planUpstreamWindow(window: WindowTimes & { status: MaintenanceStatus }, now: Date): PlannedNotice[] {
  if (window.status === 'completed' || window.status === 'cancelled') return [];
  if (window.endsAt.getTime() <= now.getTime()) return [];
  return [{ kind: 'announcement', version: window.version, offsetMs: 0, dueAt: now }];
}

export interface StoredNotice {
  id: string;
  kind: MaintenanceNoticeKind;
  version: number;
  offsetMs: number;
  dueAt: Date;
  state: MaintenanceNoticeState;
}

export interface WindowState extends WindowTimes {
  status: MaintenanceStatus;
}

export type NoticeDecision =
  | { id: string; action: 'queue' }
  | { id: string; action: 'skip'; reason: 'window_started' | 'window_closed' | 'superseded' }
  | { id: string; action: 'drop'; reason: 'rescheduled' };

/**
 * What to do with a window's planned reminders at `now`. Only reminders that are due get a decision;
 * future ones are left alone. Deterministic, so running it twice after the first run's outcome is
 * stored decides nothing new.
 */
export function decideDueReminders(notices: readonly StoredNotice[], window: WindowState, now: Date): NoticeDecision[] {
  const due = notices.filter((n) => n.kind === 'reminder' && n.state === 'planned' && n.dueAt.getTime() <= now.getTime());
  const decisions: NoticeDecision[] = [];
  const live: StoredNotice[] = [];
  for (const n of due) {
    if (n.version !== window.version) decisions.push({ id: n.id, action: 'drop', reason: 'rescheduled' });
    else if (window.status === 'cancelled' || window.status === 'completed') decisions.push({ id: n.id, action: 'skip', reason: 'window_closed' });
    else if (window.status !== 'scheduled' || now.getTime() >= window.startsAt.getTime()) decisions.push({ id: n.id, action: 'skip', reason: 'window_started' });
    else live.push(n);
  }
  // Of reminders that came due together, the latest-due one tells the subscriber what is still true.
  const latest = live.reduce<StoredNotice | null>((best, n) => (!best || n.dueAt.getTime() > best.dueAt.getTime() ? n : best), null);
  for (const n of live) decisions.push(n === latest ? { id: n.id, action: 'queue' } : { id: n.id, action: 'skip', reason: 'superseded' });
  return decisions;
}

/** A reminder's offset as written in keys: `24h`, `1h30m`, `45s` (hours are never folded into days). */
export function offsetLabel(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return [h && `${h}h`, m && `${m}m`, s && `${s}s`].filter(Boolean).join('') || `${ms}ms`;
}

/** The kind of notice (worker/notices/notice.ts) a planned maintenance notice is queued as. */
export const maintenanceNoticeKind = <K extends MaintenanceNoticeKind>(kind: K) => `maintenance.${kind}` as const satisfies NoticeKind;

/**
 * Deterministic idempotency key: `maintenance:<id>:<kind>[:<version>]:<subscriber id>`.
 * Reminders name their offset (`reminder-24h`) and carry the version; so does a reschedule notice.
 */
export function maintenanceNoticeKey(maintenanceId: string, notice: Pick<PlannedNotice, 'kind' | 'version' | 'offsetMs'>, recipientId: string): string {
  switch (notice.kind) {
    case 'reminder':
      return `maintenance:${maintenanceId}:reminder-${offsetLabel(notice.offsetMs)}:${notice.version}:${recipientId}`;
    case 'rescheduled':
      return `maintenance:${maintenanceId}:rescheduled:${notice.version}:${recipientId}`;
    default:
      return `maintenance:${maintenanceId}:${notice.kind}:${recipientId}`;
  }
}

/**
 * The notice that told subscribers of the window's current start (see `noticeVersion`): the announcement, or the
 * reschedule notice of that version.
 */
export function measuredNotice(noticeVersion: number): { kind: NoticeKind; version: number | null } {
  return noticeVersion === 0 ? { kind: maintenanceNoticeKind('announcement'), version: null } : { kind: maintenanceNoticeKind('rescheduled'), version: noticeVersion };
}
