import { and, eq, isNull } from 'drizzle-orm';
import type { Database, DbOrTx } from '../../db/client.ts';
import { maintenances, maintenanceSeries } from '../../db/schema/index.ts';
import { ConflictError, notFound, RuleBrokenError } from '../core/errors.ts';
import { newId } from '../lib/ids.ts';
import type { NoticePolicy } from '../notices/maintenance-notices.ts';
import { iso } from '../lib/iso.ts';
import { checkRecurrence, nextOccurrences, occurrencesBetween, RecurrenceError, type Recurrence } from './recurrence.ts';
import { assertComponentsExist, createMaintenance } from './service.ts';

type SeriesRow = typeof maintenanceSeries.$inferSelect;

export interface NewSeries {
  title: string;
  message: string;
  rrule: string;
  firstStart: string;
  timeZone: string;
  durationMs: number;
  announceAheadMs: number;
  componentIds: string[];
}

const recurrenceOf = (s: Pick<SeriesRow, 'rrule' | 'firstStart' | 'timeZone' | 'durationMs'>): Recurrence => ({
  rrule: s.rrule,
  firstStart: s.firstStart,
  timeZone: s.timeZone,
  durationMs: s.durationMs,
});

/**
 * Records a recurring window. Its rule must be readable, repeat at most daily without overlapping, and each
 * occurrence must be announced at least the minimum notice ahead (`announceAheadMs ≥ minNotice`).
 */
export async function createSeries(tx: DbOrTx, input: NewSeries, opts: { now: Date; actor: string; policy: NoticePolicy }): Promise<string> {
  let rrule: string;
  try {
    rrule = checkRecurrence(recurrenceOf(input));
  } catch (error) {
    if (error instanceof RecurrenceError) throw new RuleBrokenError('invalid_recurrence', error.message);
    throw error;
  }
  if (input.announceAheadMs < opts.policy.minNotice) {
    throw new RuleBrokenError('notice_too_short', `announce_ahead: each occurrence must be announced at least ${opts.policy.minNotice / 3_600_000} h ahead`, {
      min_notice_ms: opts.policy.minNotice,
    });
  }
  const componentIds = [...new Set(input.componentIds)].sort();
  await assertComponentsExist(tx, componentIds);
  const id = newId();
  await tx.insert(maintenanceSeries).values({
    id,
    title: input.title,
    message: input.message,
    rrule,
    firstStart: input.firstStart,
    timeZone: input.timeZone,
    durationMs: input.durationMs,
    announceAheadMs: input.announceAheadMs,
    componentIds: JSON.stringify(componentIds),
    createdAt: opts.now,
    createdBy: opts.actor,
  });
  return id;
}

/** Stops a series: no further occurrence is scheduled; those already scheduled stay, each cancellable on its own. */
export async function stopSeries(tx: DbOrTx, id: string, now: Date): Promise<void> {
  const [row] = await tx.select().from(maintenanceSeries).where(eq(maintenanceSeries.id, id));
  if (!row) throw notFound(`maintenance series "${id}"`);
  if (row.stoppedAt) throw new ConflictError('series_stopped', `maintenance series "${id}" is already stopped`);
  await tx.update(maintenanceSeries).set({ stoppedAt: now }).where(eq(maintenanceSeries.id, id));
}

export interface SeriesRun {
  scheduled: { seriesId: string; maintenanceId: string; startsAt: Date }[];
  /** Occurrences whose announcement time passed so long ago that they could no longer be announced in time. */
  missed: { seriesId: string; startsAt: Date }[];
}

/**
 * Schedules every occurrence that has come within its series' announcement lead: as an ordinary window (announced
 * now, its reminders planned), held to the notice rule like any other. An occurrence that can no longer be announced
 * the minimum notice ahead (the worker was down past its announcement time) is not scheduled, and is reported.
 * Each occurrence once: a second run, or a second worker, finds it recorded (unique series and occurrence).
 */
export async function scheduleDueOccurrences(db: Database, now: Date, policy: NoticePolicy): Promise<SeriesRun> {
  const run: SeriesRun = { scheduled: [], missed: [] };
  const active = await db.select().from(maintenanceSeries).where(isNull(maintenanceSeries.stoppedAt));
  for (const series of active) {
    const since = series.createdAt.getTime() > now.getTime() - series.announceAheadMs ? series.createdAt : new Date(now.getTime() - series.announceAheadMs);
    const due = occurrencesBetween(recurrenceOf(series), since, new Date(now.getTime() + series.announceAheadMs));
    for (const occurrence of due) {
      const done = await db.transaction(async (tx) => {
        const [existing] = await tx
          .select({ id: maintenances.id })
          .from(maintenances)
          .where(and(eq(maintenances.seriesId, series.id), eq(maintenances.seriesOccurrence, occurrence.startsAt)));
        if (existing) return null;
        if (occurrence.startsAt.getTime() < now.getTime() + policy.minNotice) return 'missed' as const;
        const id = await createMaintenance(
          tx,
          { title: series.title, message: series.message, startsAt: occurrence.startsAt, endsAt: occurrence.endsAt, componentIds: JSON.parse(series.componentIds) as string[], notify: true },
          { now, actor: 'series', policy },
        );
        await tx.update(maintenances).set({ seriesId: series.id, seriesOccurrence: occurrence.startsAt }).where(eq(maintenances.id, id));
        return id;
      });
      if (done === 'missed') run.missed.push({ seriesId: series.id, startsAt: occurrence.startsAt });
      else if (done) run.scheduled.push({ seriesId: series.id, maintenanceId: done, startsAt: occurrence.startsAt });
    }
  }
  return run;
}

/** How many occurrences to come a series shows. */
const SHOWN_OCCURRENCES = 6;

/** The series for the admin: the rule, and its next occurrences, each with when it is (or was) announced and its window. */
export async function listSeries(db: DbOrTx, now: Date) {
  const rows = await db.select().from(maintenanceSeries).orderBy(maintenanceSeries.createdAt);
  const windows = await db
    .select({ id: maintenances.id, seriesId: maintenances.seriesId, occurrence: maintenances.seriesOccurrence, status: maintenances.status })
    .from(maintenances)
    .where(and(eq(maintenances.createdBy, 'series')));
  return rows.map((s) => {
    const scheduled = windows.filter((w) => w.seriesId === s.id);
    const upcoming = s.stoppedAt ? [] : nextOccurrences(recurrenceOf(s), now, SHOWN_OCCURRENCES);
    return {
      id: s.id,
      title: s.title,
      message: s.message,
      rrule: s.rrule,
      first_start: s.firstStart,
      time_zone: s.timeZone,
      duration_ms: s.durationMs,
      announce_ahead_ms: s.announceAheadMs,
      component_ids: JSON.parse(s.componentIds) as string[],
      created_at: iso(s.createdAt),
      stopped_at: iso(s.stoppedAt),
      occurrences: upcoming.map((o) => {
        const window = scheduled.find((w) => w.occurrence?.getTime() === o.startsAt.getTime());
        return {
          starts_at: o.startsAt.toISOString(),
          ends_at: o.endsAt.toISOString(),
          announce_at: new Date(o.startsAt.getTime() - s.announceAheadMs).toISOString(),
          maintenance_id: window?.id ?? null,
          status: window?.status ?? null,
        };
      }),
    };
  });
}
