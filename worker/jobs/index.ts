import type { AppContext } from '../context.ts';
import { advanceMaintenanceWindows } from '../maintenances/lifecycle.ts';
import { every, type Job } from './every.ts';

/** The background jobs one worker process runs. */
export function startJobs(app: AppContext): Job[] {
  return [
    every(
      'maintenance-lifecycle',
      '*/15 * * * * *',
      async () => {
        const changed = await advanceMaintenanceWindows(app.db, app.now());
        if (changed.length) app.publishedChanged('maintenance window started or ended');
      },
      app.logger,
    ),
  ];
}
