/**
 * The poll scheduler. One cron tick (every second by default) picks the sources whose `next_poll_at` has come, in
 * one query, rather than one CronJob per source: a thousand sources cost one timer and one indexed read a second,
 * and an interval or a back-off is just a column. Picked sources wait in a queue and are polled by at most
 * `concurrency` at once, each holding its slot from its first request until it is recorded; as soon as one ends the
 * next one starts, so a cycle is not paced by the tick, and pages never pile up in memory waiting for the database.
 *
 * - No overlap: a source is never picked while it is queued or being polled (here or by "poll now").
 * - Per-request deadline and body cap: the fetcher's (15 s, 5 MB) unless `fetch` says otherwise.
 * - Back-off with jitter after failures, Retry-After honoured (poll-state.ts). A failed poll moves `next_poll_at`
 *   away, so a thousand sources failing together come back spread out, and never more than `concurrency` at once.
 * - Unchanged polls (all 304) are recorded in batches: nothing read, one statement per batch. While a source's
 *   current-state endpoints answer 304, its history endpoints are asked only every few intervals (run.ts).
 * - Paused sources are not picked. Anything a poll throws is recorded as that source's failure; the watch goes on.
 * - Several workers on one database: a source is polled only by the worker holding its lease
 *   (worker/coordination/source-leases.ts), renewed every tick while its poll is queued or under way; each worker
 *   claims at most its share of what is due, so polling spreads across them, and a dead worker's sources pass to the
 *   others once its leases run out. Stopping hands back every lease at once. A poll is recorded only if this worker
 *   still holds its source's lease, checked in the recording transaction: one that stalled past its lease while
 *   another worker took the source is dropped (logged, counted in `stats.leaseLost`), never recorded after the
 *   newer poll.
 */
import { setMaxListeners } from 'node:events';
import { CronJob } from 'cron';
import { inArray } from 'drizzle-orm';
import { sources } from '../../db/schema/index.ts';
import type { AppContext } from '../context.ts';
import { newHolderId } from '../coordination/holder.ts';
import { releaseLeasesOf } from '../coordination/leases.ts';
import { announcePoller, claimDueSources, renewSourceLeases } from '../coordination/source-leases.ts';
import { loadValidators } from './cache-store.ts';
import { DUE_COLUMNS, recordUnchanged, SourceLeaseLost, type RecordResult, type UnchangedPoll } from './record.ts';
import { pollAndRecord, recordDeps, type DueSource, type PollRunOptions, type SourcePollReport } from './run.ts';
import { watchRuntime } from './runtime.ts';

export interface WatchOptions extends PollRunOptions {
  /** Polls under way at once, across sources, from first request to recorded. */
  concurrency?: number;
  /** The tick's cron expression (with seconds). */
  tickCron?: string;
  /** Unchanged polls written together. */
  unchangedBatch?: number;
  /** How long an unchanged poll may wait for others to be written with (ms). */
  unchangedFlushMs?: number;
  /** This worker's name in the leases (default: a new one). */
  holder?: string;
  /** The longest a source's lease lasts (ms); a third of the source's interval when that is shorter (at least 2 s). */
  maxLeaseMs?: number;
}

/**
 * Polls under way at once. Mostly waiting on the network, so many at once cost little memory (bodies are capped
 * and held one slot each), and the CPU of a cycle falls as more answers arrive per wake-up of the event loop: in
 * bench/poll-cycle.ts a later unchanged cycle of 1,000 sources took about 1.9 s of CPU at 8, 0.9 s at 32 and 0.7 s
 * at 128 (docs/BENCHMARKS.md).
 */
export const DEFAULT_CONCURRENCY = 128;

export interface WatchStats {
  /** Polls started since the watch was created. */
  started: number;
  /** Polls under way now (fetching, parsing or waiting to be recorded), and the most there ever were at once. */
  active: number;
  maxActive: number;
  queued: number;
  /** Polls not recorded because their source's lease passed to another worker while they ran (this one stalled). */
  leaseLost: number;
}

export interface UpstreamWatch {
  /** Starts the cron tick. */
  start(): void;
  /** Stops ticking, aborts requests under way, waits for what is being written; results of aborted polls are dropped. */
  stop(): Promise<void>;
  /** Picks the due sources and starts polling them; resolves once they are queued, not polled. */
  tick(): Promise<void>;
  /** Resolves when nothing is queued, polled or waiting to be written. */
  idle(): Promise<void>;
  readonly stats: WatchStats;
  /** This worker's name in the source leases. */
  readonly holder: string;
}

export function createUpstreamWatch(ctx: AppContext, options: WatchOptions = {}): UpstreamWatch {
  const runtime = watchRuntime(ctx.db);
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  const batchSize = Math.max(1, options.unchangedBatch ?? 100);
  const flushMs = options.unchangedFlushMs ?? 25;
  const deps = recordDeps(ctx, options);
  const holder = options.holder ?? newHolderId();
  const abort = new AbortController();
  // Every request under way listens to it.
  setMaxListeners(0, abort.signal);
  const queue: DueSource[] = [];
  const running = new Set<Promise<unknown>>();
  const stats: WatchStats = { started: 0, active: 0, maxActive: 0, queued: 0, leaseLost: 0 };
  let pending: { poll: UnchangedPoll; done: (result: RecordResult) => void; failed: (error: unknown) => void }[] = [];
  let flushTimer: NodeJS.Timeout | null = null;
  let cron: CronJob | null = null;
  let stopping = false;
  let ticking = false;

  const flush = async (): Promise<void> => {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = null;
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    try {
      const results = await runtime.lock.run(() => recordUnchanged(ctx.db, batch.map((b) => b.poll)));
      batch.forEach((b, i) => {
        const result = results[i]!;
        if (result instanceof SourceLeaseLost) b.failed(result);
        else b.done(result);
      });
    } catch (error) {
      batch.forEach((b) => b.failed(error));
    }
  };

  const unchanged = (poll: UnchangedPoll): Promise<RecordResult> =>
    new Promise((done, failed) => {
      pending.push({ poll, done, failed });
      if (pending.length >= batchSize) void flush();
      else flushTimer ??= setTimeout(() => void flush(), flushMs);
    });

  const track = <T>(promise: Promise<T>): Promise<T> => {
    running.add(promise);
    void promise.finally(() => running.delete(promise)).catch(() => undefined);
    return promise;
  };

  const launch = (due: DueSource): void => {
    const id = due.row.id;
    stats.started += 1;
    stats.active += 1;
    stats.maxActive = Math.max(stats.maxActive, stats.active);
    const poll: Promise<SourcePollReport | null> = pollAndRecord(ctx, due, options, deps, {
      signal: abort.signal,
      discard: () => stopping,
      unchanged,
      holder,
      leaseLost: () => {
        stats.leaseLost += 1;
      },
    })
      .catch((error: unknown) => {
        // pollAndRecord does not throw; this only guards the watch itself.
        ctx.logger.error({ source: id, err: error }, 'upstream poll crashed');
        return null;
      })
      .finally(() => {
        // The slot is held until the poll is recorded: when recording is slower than fetching, fewer requests
        // start, rather than parsed pages piling up in memory waiting for the database.
        stats.active -= 1;
        runtime.inFlight.delete(id);
        pump();
      });
    runtime.inFlight.set(id, poll);
    track(poll);
  };

  const pump = (): void => {
    while (!stopping && stats.active < concurrency && queue.length > 0) {
      const due = queue.shift()!;
      stats.queued = queue.length;
      // Taken by a poll now in the meantime.
      if (!runtime.queued.delete(due.row.id) || runtime.inFlight.has(due.row.id)) continue;
      launch(due);
    }
  };

  const tick = async (): Promise<void> => {
    if (stopping || ticking) return;
    ticking = true;
    try {
      const now = ctx.now();
      const due = await runtime.lock.run(async () => {
        // Polls queued or under way here keep their leases; one lost meanwhile (this worker stalled past it) is
        // dropped from the queue, since another worker has the source now.
        const mine = [...runtime.queued].concat([...runtime.inFlight.keys()]);
        const kept = new Set(await renewSourceLeases(ctx.db, holder, mine, now, options.maxLeaseMs));
        for (let i = queue.length - 1; i >= 0; i--) {
          const id = queue[i]!.row.id;
          if (!kept.has(id)) {
            queue.splice(i, 1);
            runtime.queued.delete(id);
          }
        }
        const { due: dueCount, pollers } = await announcePoller(ctx.db, holder, now);
        const claimed = await claimDueSources(ctx.db, holder, now, {
          limit: Math.ceil(dueCount / pollers),
          busy: mine,
          maxLeaseMs: options.maxLeaseMs,
        });
        if (claimed.length === 0) return [];
        const rows = await ctx.db.select(DUE_COLUMNS).from(sources).where(inArray(sources.id, claimed));
        rows.sort((a, b) => (a.nextPollAt?.getTime() ?? 0) - (b.nextPollAt?.getTime() ?? 0));
        const fresh = rows.filter((row) => !runtime.inFlight.has(row.id) && !runtime.queued.has(row.id));
        const validators = fresh.length ? await loadValidators(ctx.db, fresh.map((row) => row.id)) : new Map();
        return fresh.map((row) => ({ row, validators: validators.get(row.id) ?? {} }));
      });
      if (stopping) return;
      for (const source of due) {
        runtime.queued.add(source.row.id);
        queue.push(source);
      }
      stats.queued = queue.length;
      pump();
    } catch (error) {
      ctx.logger.error({ err: error }, 'upstream watch tick failed');
    } finally {
      ticking = false;
    }
  };

  const idle = async (): Promise<void> => {
    for (;;) {
      if (pending.length) await flush();
      if (running.size === 0 && (queue.length === 0 || stopping)) return;
      await Promise.allSettled([...running]);
    }
  };

  return {
    start() {
      if (cron || stopping) return;
      cron = CronJob.from({ cronTime: options.tickCron ?? '* * * * * *', onTick: () => void tick(), start: true, unrefTimeout: true });
    },
    async stop() {
      stopping = true;
      void cron?.stop();
      cron = null;
      for (const due of queue.splice(0)) runtime.queued.delete(due.row.id);
      stats.queued = 0;
      abort.abort();
      await idle();
      // What this worker held passes to the others at their next tick, not when the leases would have run out.
      await runtime.lock.run(() => releaseLeasesOf(ctx.db, holder, ['source:', 'poller:'])).catch((error: unknown) => {
        ctx.logger.warn({ err: error }, 'source leases not handed back; they run out by themselves');
      });
    },
    tick,
    idle,
    stats,
    holder,
  };
}
