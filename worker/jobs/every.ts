import { CronJob } from 'cron';
import type { DbOrTx } from '../../db/client.ts';
import { claimLease, renewLease } from '../coordination/leases.ts';
import type { HealthBoard } from '../lib/health.ts';
import type { Logger } from '../lib/logger.ts';

export interface Job {
  name: string;
  /** Stops the schedule; resolves once a run under way has finished (so the database can close after it). */
  stop(): Promise<void>;
  /** Runs the task now (skipped if a run is under way), for tests and "poll now"; never asks for the lease. */
  runNow(): Promise<void>;
  /**
   * What the schedule does at each tick: with a lease, runs the task only if this worker takes the tick's lease first.
   * Resolves true when the task ran here.
   */
  tick(): Promise<boolean>;
}

/** How a job shares its ticks with the other workers on the database: one lease per job, `job:<name>`. */
export interface JobLease {
  db: DbOrTx;
  /** This worker's name in the leases. */
  holder: string;
  now: () => Date;
}

/** The shortest a tick's lease lasts (ms). */
const MIN_TICK_LEASE_MS = 1_000;

/**
 * Runs `task` on a cron schedule. A tick that comes while the previous run is still going is
 * skipped, not queued (cron's waitForCompletion), so a slow run never piles up behind itself.
 * A failing run is logged (and shown by the health check until a run succeeds) and never stops the schedule.
 *
 * With `lease`, each tick runs in one worker of all those on the database: every worker ticks at the same moment, the
 * first to take `job:<name>` runs the task and holds the lease for half the time to the next tick (renewed while the
 * run lasts longer), so the others, whose clocks may be a little off, skip the same tick but can take the next. A
 * worker that dies mid-run loses that tick's run; the next tick runs on whichever worker takes it, and every job
 * works from what the database says is due, so nothing is left behind.
 */
export function every(name: string, cronTime: string, task: () => Promise<void>, logger: Logger, health?: HealthBoard, lease?: JobLease): Job {
  let running: Promise<void> | null = null;
  const guarded = async () => {
    if (running) return running;
    running = task()
      .then(() => health?.succeeded('jobs', name))
      .catch((error: unknown) => {
        logger.error({ job: name, err: error }, 'job run failed');
        health?.failed('jobs', `the ${name} job failed`, name);
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  let cron: CronJob | null = null;
  const leased = async (): Promise<boolean> => {
    if (!lease) {
      await guarded();
      return true;
    }
    if (running) return false;
    const leaseName = `job:${name}`;
    const claimedAt = lease.now();
    const next = cron?.nextDate().toMillis();
    const holdMs = Math.max(MIN_TICK_LEASE_MS, next === undefined ? 30_000 : (next - Date.now()) / 2);
    let mine: boolean;
    try {
      mine = await claimLease(lease.db, leaseName, lease.holder, claimedAt, new Date(claimedAt.getTime() + holdMs), false);
    } catch (error) {
      logger.error({ job: name, err: error }, 'job lease could not be taken');
      health?.failed('jobs', `the ${name} job could not take its lease`, name);
      return false;
    }
    if (!mine) return false;
    // A run longer than the lease keeps it, so no other worker starts the next tick while this one still runs.
    const renewal = setInterval(() => {
      void renewLease(lease.db, leaseName, lease.holder, new Date(lease.now().getTime() + holdMs)).catch(() => undefined);
    }, holdMs / 2);
    renewal.unref();
    try {
      await guarded();
    } finally {
      clearInterval(renewal);
      // Held until half-way to the next tick from the claim (the same tick on a late worker is still skipped), or
      // free now if the run went past that.
      const until = Math.max(claimedAt.getTime() + holdMs, lease.now().getTime());
      await renewLease(lease.db, leaseName, lease.holder, new Date(until)).catch(() => undefined);
    }
    return true;
  };
  cron = CronJob.from({ cronTime, onTick: async () => void (await leased()), start: true, waitForCompletion: true, unrefTimeout: true });
  return {
    name,
    stop: async () => {
      await cron.stop();
      await running;
    },
    runNow: guarded,
    tick: leased,
  };
}

/** What `dispatchEvery` drives: the mail dispatcher and the webhook and chat dispatcher. */
export interface Dispatcher<Run> {
  runOnce(): Promise<Run>;
  /** Ends runs in progress once what they have in flight is settled. */
  stop(): void;
  /** After the run under way has ended: hands back what this worker claimed and did not start. */
  release(): Promise<number>;
}

/**
 * Sends what is due every five seconds (a run still going skips the tick); stopping the job stops the dispatcher
 * first, waits for the run under way, then releases the claims it did not start.
 */
export function dispatchEvery<Run>(name: string, dispatcher: Dispatcher<Run>, logger: Logger, health?: HealthBoard, afterRun?: (run: Run) => void): Job {
  const job = every(
    name,
    '*/5 * * * * *',
    async () => {
      const run = await dispatcher.runOnce();
      afterRun?.(run);
    },
    logger,
    health,
  );
  return {
    ...job,
    stop: async () => {
      dispatcher.stop();
      await job.stop();
      await dispatcher.release();
    },
  };
}
