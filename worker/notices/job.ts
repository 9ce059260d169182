import { and, eq, gt, inArray, isNotNull, lte, notExists, or } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { maintenanceNotices, maintenances } from '../../db/schema/index.ts';
import { OPEN_MAINTENANCE_STATUSES } from '../core/vocabulary.ts';
import { announceUpstreamMaintenance, loadWindow, queueMaintenanceNotice } from './maintenance-notices.ts';
import { decideDueReminders } from './plan.ts';

export interface NoticeRun {
  /** Reminders queued this run. */
  queued: number;
  /** Reminders recorded as skipped or dropped this run. */
  skipped: number;
  /** Upstream windows announced this run. */
  announced: number;
}

/**
 * Queues every notice that has come due and is not yet queued: the catch-up after downtime is the
 * same code as the steady state. Each window is settled in its own transaction; a notice is claimed
 * (planned → queued) before its mail is written, so two workers never queue it twice.
 */
export async function runNoticeJob(db: Database, now: Date): Promise<NoticeRun> {
  const run: NoticeRun = { queued: 0, skipped: 0, announced: 0 };
  const due = await db
    .selectDistinct({ maintenanceId: maintenanceNotices.maintenanceId })
    .from(maintenanceNotices)
    .where(and(eq(maintenanceNotices.state, 'planned'), lte(maintenanceNotices.dueAt, now)));
  for (const { maintenanceId } of due) {
    await db.transaction(async (tx) => {
      const window = await loadWindow(tx, maintenanceId);
      if (!window) return;
      const planned = await tx
        .select()
        .from(maintenanceNotices)
        .where(and(eq(maintenanceNotices.maintenanceId, maintenanceId), eq(maintenanceNotices.state, 'planned')));
      for (const decision of decideDueReminders(planned, window, now)) {
        const notice = planned.find((n) => n.id === decision.id)!;
        const claimed = await tx
          .update(maintenanceNotices)
          .set(decision.action === 'queue' ? { state: 'queued', queuedAt: now } : { state: decision.action === 'drop' ? 'dropped' : 'skipped', reason: decision.reason })
          .where(and(eq(maintenanceNotices.id, notice.id), eq(maintenanceNotices.state, 'planned')))
          .returning({ id: maintenanceNotices.id });
        if (!claimed.length) continue;
        if (decision.action !== 'queue') {
          run.skipped++;
          continue;
        }
        await queueMaintenanceNotice(tx, window, { kind: notice.kind, version: notice.version, offsetMs: notice.offsetMs, dueAt: notice.dueAt }, now);
        run.queued++;
      }
    });
  }

  // Upstream windows recorded without an announcement (first seen, or recorded by code that did not announce).
  const unannounced = await db
    .select({ id: maintenances.id })
    .from(maintenances)
    .where(
      and(
        or(isNotNull(maintenances.sourceId), isNotNull(maintenances.upstreamId)),
        eq(maintenances.notify, true),
        inArray(maintenances.status, [...OPEN_MAINTENANCE_STATUSES]),
        gt(maintenances.endsAt, now),
        notExists(
          db
            .select({ id: maintenanceNotices.id })
            .from(maintenanceNotices)
            .where(and(eq(maintenanceNotices.maintenanceId, maintenances.id), eq(maintenanceNotices.kind, 'announcement'))),
        ),
      ),
    );
  for (const { id } of unannounced) {
    await db.transaction((tx) => announceUpstreamMaintenance(tx, id, now));
    run.announced++;
  }
  return run;
}
