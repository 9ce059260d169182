/** The background job that sends webhook and chat deliveries every few seconds (a run still going skips the tick). */
import type { AppContext } from '../../context.ts';
import { every, type Job } from '../../jobs/every.ts';
import { createHttpDispatcher, type HttpDispatcherOptions } from './dispatcher.ts';

export function httpDispatchJob(app: AppContext, options: HttpDispatcherOptions): Job {
  const dispatcher = createHttpDispatcher(app, options);
  const job = every(
    'http-dispatch',
    '*/5 * * * * *',
    async () => {
      const run = await dispatcher.runOnce();
      if (run.sent || run.failed || run.retried) app.logger.info({ http: run, owner: dispatcher.owner }, 'webhook and chat deliveries dispatched');
    },
    app.logger,
    app.health,
  );
  return {
    ...job,
    stop: async () => {
      dispatcher.stop();
      await job.stop();
    },
  };
}
