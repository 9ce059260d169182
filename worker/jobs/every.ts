import { CronJob } from 'cron';
import type { HealthBoard } from '../lib/health.ts';
import type { Logger } from '../lib/logger.ts';

export interface Job {
  name: string;
  /** Stops the schedule; resolves once a run under way has finished (so the database can close after it). */
  stop(): Promise<void>;
  /** Runs the task now (skipped if a run is under way), for tests and "poll now". */
  runNow(): Promise<void>;
}

/**
 * Runs `task` on a cron schedule. A tick that comes while the previous run is still going is
 * skipped, not queued (cron's waitForCompletion), so a slow run never piles up behind itself.
 * A failing run is logged (and shown by the health check until a run succeeds) and never stops the schedule.
 */
export function every(name: string, cronTime: string, task: () => Promise<void>, logger: Logger, health?: HealthBoard): Job {
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
  const cron = CronJob.from({ cronTime, onTick: guarded, start: true, waitForCompletion: true, unrefTimeout: true });
  return {
    name,
    stop: async () => {
      await cron.stop();
      await running;
    },
    runNow: guarded,
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
