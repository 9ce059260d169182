/**
 * Scheduled jobs with several workers on one database: each tick runs in one worker. Two workers share a database
 * file; their jobs are ticked by hand at the same moment, as their cron schedules tick together.
 */
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../db/client.ts';
import { outbox } from '../../db/schema/index.ts';
import { every, type Job } from '../../worker/jobs/every.ts';
import { createLogger } from '../../worker/lib/logger.ts';
import { startFakeResend, type FakeResendServer } from '../fakes/resend-server.ts';
import { testClock } from '../helpers/app.ts';
import { testConfig } from '../helpers/config.ts';
import { fileDatabase } from '../helpers/db.ts';
import { startMailingVigia, type TempVigia } from '../helpers/server.ts';

const logger = createLogger('silent');

describe('a leased job', () => {
  let database: Awaited<ReturnType<typeof fileDatabase>>;
  let other: DatabaseHandle;
  const jobs: Job[] = [];
  afterEach(async () => {
    await Promise.all(jobs.splice(0).map((j) => j.stop()));
    other.close();
    database.cleanup();
  });

  it('runs once per tick across workers, and again at the next tick', async () => {
    database = await fileDatabase();
    other = openDatabase(database.url);
    const clock = testClock('2026-11-20T15:00:00Z');
    const runs: string[] = [];
    // A schedule that never comes during the test (1 January): the test ticks by hand.
    const job = (db: DatabaseHandle['db'], holder: string) =>
      every('count', '0 0 0 1 1 *', async () => void runs.push(holder), logger, undefined, { db, holder, now: clock.now });
    jobs.push(job(database.db, 'a'), job(other.db, 'b'), job(other.db, 'c'));

    expect((await Promise.all(jobs.map((j) => j.tick()))).filter(Boolean)).toHaveLength(1);
    expect(runs).toHaveLength(1);
    // The same tick seen late by a worker whose clock is behind: not run again.
    clock.advance(60_000);
    expect((await Promise.all(jobs.map((j) => j.tick()))).filter(Boolean)).toHaveLength(0);
    // The next tick (a year on) runs once more, on whichever worker takes it.
    clock.advance(366 * 24 * 3_600_000);
    expect((await Promise.all(jobs.map((j) => j.tick()))).filter(Boolean)).toHaveLength(1);
    expect(runs).toHaveLength(2);
    // runNow is an explicit request: it does not ask for the lease.
    await jobs[2]!.runNow();
    expect(runs).toHaveLength(3);
  });
});

describe('SLA breach warnings with two workers', () => {
  const TOKEN = 'leased-jobs-admin-token-0123';
  let fake: FakeResendServer;
  let first: TempVigia;
  let second: TempVigia;
  afterEach(async () => {
    await second?.close();
    await first?.close();
    await fake?.close();
  });

  it('are sent once: the tick runs in one worker, and the mail goes out once', async () => {
    fake = await startFakeResend();
    first = await startMailingVigia(fake, { adminToken: TOKEN, config: testConfig() });
    const url = first.vigia.env.DATABASE_URL;
    second = await startMailingVigia(fake, { adminToken: TOKEN, config: testConfig(), env: { DATABASE_URL: url } });
    expect(second.vigia.env.DATABASE_URL).toBe(url);

    // Severity 1, resolution in 5 h around the clock: started 4 h 45 min ago, it is due within the 30-minute margin.
    const startedAt = new Date(Date.now() - (4 * 60 + 45) * 60_000).toISOString();
    const declared = await fetch(`${first.vigia.url}/api/admin/incidents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Correo caído', severity: 1, message: 'Investigamos.', components: ['correo'], started_at: startedAt }),
    });
    expect(declared.status).toBe(201);

    const job = (w: TempVigia, name: string) => w.vigia.jobs.find((j) => j.name === name)!;
    // Both workers tick at once. Their own schedules (second 45 of each minute) may have run the job just before:
    // then neither runs it again within the same tick.
    const ran = await Promise.all([first, second].map((w) => job(w, 'sla-warnings').tick()));
    expect(ran.filter(Boolean).length).toBeLessThanOrEqual(1);
    const queued = await first.vigia.database.db.select().from(outbox).where(eq(outbox.kind, 'admin.sla_warning'));
    expect(queued).toHaveLength(1);

    const warnings = () => fake.deliveries.filter((d) => d.to.includes('ops@prueba.example'));
    const deadline = Date.now() + 20_000;
    while (warnings().length === 0) {
      if (Date.now() > deadline) throw new Error('timed out waiting for the warning');
      await Promise.all([first, second].map((w) => job(w, 'mail-dispatch').runNow()));
    }
    // Both workers keep dispatching a little longer: nothing more goes out.
    for (let i = 0; i < 3; i++) await Promise.all([first, second].map((w) => job(w, 'mail-dispatch').runNow()));
    expect(warnings()).toHaveLength(1);
    expect(fake.duplicates('recipient')).toEqual([]);
  }, 60_000);
});
