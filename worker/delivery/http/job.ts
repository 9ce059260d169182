/** The background job that sends webhook and chat deliveries every few seconds (a run still going skips the tick). */
import type { AppContext } from '../../context.ts';
import { dispatchEvery, type Job } from '../../jobs/every.ts';
import { createHttpDispatcher, type HttpDispatcherOptions } from './dispatcher.ts';

export function httpDispatchJob(app: AppContext, options: HttpDispatcherOptions): Job {
  const dispatcher = createHttpDispatcher(app, options);
  return dispatchEvery('http-dispatch', dispatcher, app.logger, app.health, (run) => {
    if (run.sent || run.failed || run.retried) app.logger.info({ http: run, owner: dispatcher.owner }, 'webhook and chat deliveries dispatched');
  });
}
