import type { AppContext } from '../context.ts';
import { queueSlaWarnings } from '../incidents/breach-warnings.ts';
import { purgeUnconfirmed } from '../subscribers/retention.ts';
import { advanceMaintenanceWindows } from '../maintenances/lifecycle.ts';
import { checkLateNotices } from '../maintenances/notice-guarantee.ts';
import { scheduleDueOccurrences } from '../maintenances/series.ts';
import { noticePolicy } from '../maintenances/service.ts';
import { httpDispatchJob } from '../delivery/http/job.ts';
import type { HttpDispatcherOptions } from '../delivery/http/dispatcher.ts';
import { mailDispatchJob, type MailJobDeps } from '../mail/job.ts';
import { runNoticeJob } from '../notices/job.ts';
import { purgeWebhookReceipts } from '../mail/webhook-receipts.ts';
import { every, type Job, type JobLease } from './every.ts';

/**
 * The background jobs one worker process runs. The dispatchers run in every worker (each claims its own outbox rows);
 * the scheduled jobs run each tick in one worker only when `holder` names this worker in the leases.
 */
export function startJobs(app: AppContext, deps: { mail?: MailJobDeps; http?: HttpDispatcherOptions; holder?: string } = {}): Job[] {
  const lease: JobLease | undefined = deps.holder ? { db: app.db, holder: deps.holder, now: app.now } : undefined;
  // Each occurrence a series could not announce in time is reported once, not on every tick.
  const reportedMissed = new Set<string>();
  return [
    ...(deps.mail ? [mailDispatchJob(app, deps.mail)] : []),
    ...(deps.http ? [httpDispatchJob(app, deps.http)] : []),
    every(
      'sla-warnings',
      '45 * * * * *',
      async () => {
        const queued = await queueSlaWarnings(app.db, app.config, app.now());
        if (queued) app.logger.warn({ queued }, 'SLA target near or past due; admins told');
      },
      app.logger,
      app.health,
      lease,
    ),
    every(
      'maintenance-lifecycle',
      '*/15 * * * * *',
      async () => {
        const changed = await advanceMaintenanceWindows(app.db, app.now());
        if (changed.length) app.publishedChanged('maintenance window started or ended');
      },
      app.logger,
      app.health,
      lease,
    ),
    every(
      'maintenance-series',
      '10 * * * * *',
      async () => {
        const run = await scheduleDueOccurrences(app.db, app.now(), noticePolicy(app.config));
        if (run.scheduled.length) {
          app.logger.info({ scheduled: run.scheduled }, 'recurring maintenance occurrences scheduled and announced');
          app.publishedChanged('recurring maintenance scheduled');
        }
        const fresh = run.missed.filter((m) => !reportedMissed.has(`${m.seriesId}@${m.startsAt.getTime()}`));
        for (const m of fresh) reportedMissed.add(`${m.seriesId}@${m.startsAt.getTime()}`);
        if (fresh.length) app.logger.warn({ missed: fresh }, 'recurring maintenance occurrences skipped: too late to announce with the minimum notice');
      },
      app.logger,
      app.health,
      lease,
    ),
    every(
      'maintenance-notices',
      '*/20 * * * * *',
      async () => {
        const run = await runNoticeJob(app.db, app.now());
        if (run.queued || run.skipped || run.announced) app.logger.info(run, 'maintenance notices settled');
      },
      app.logger,
      app.health,
      lease,
    ),
    every(
      'maintenance-notice-check',
      '30 * * * * *',
      async () => {
        const late = await checkLateNotices(app.db, app.config, app.now());
        if (late.length) app.logger.warn({ maintenances: late }, 'maintenance notice went out late; admins told');
      },
      app.logger,
      app.health,
      lease,
    ),
    every(
      'purge-unconfirmed-subscribers',
      '0 17 3 * * *',
      async () => {
        const purged = await purgeUnconfirmed(app.db, app.now());
        if (purged) app.logger.info({ purged }, 'addresses that never confirmed were deleted');
      },
      app.logger,
      app.health,
      lease,
    ),
    every(
      'purge-webhook-receipts',
      '0 47 * * * *',
      async () => {
        const purged = await purgeWebhookReceipts(app.db, app.now());
        if (purged) app.logger.debug({ purged }, 'Resend webhook deliveries past their window were forgotten');
      },
      app.logger,
      undefined,
      lease,
    ),
  ];
}
