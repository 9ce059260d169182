import { afterEach, describe, expect, it } from 'vitest';
import { startJobs } from '../../worker/jobs/index.ts';
import type { Job } from '../../worker/jobs/every.ts';
import { testApp } from '../helpers/app.ts';

describe('background jobs', () => {
  let jobs: Job[] = [];
  afterEach(async () => {
    await Promise.all(jobs.map((j) => j.stop()));
    jobs = [];
  });

  it('registers every periodic job of a worker process', async () => {
    const t = await testApp();
    jobs = startJobs(t.ctx);
    expect(jobs.map((j) => j.name).sort()).toEqual([
      'maintenance-lifecycle',
      'maintenance-notice-check',
      'maintenance-notices',
      'maintenance-series',
      'purge-unconfirmed-subscribers',
      'purge-webhook-receipts',
      'sla-warnings',
    ]);
    t.close();
  });
});
