import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { queueNotice } from '../../worker/mail/outbox.ts';
import { HealthBoard } from '../../worker/lib/health.ts';
import type { RunningVigia } from '../../worker/server.ts';
import { startFakeResend, type FakeResendServer } from '../fakes/resend-server.ts';
import { testClock } from '../helpers/app.ts';
import { testConfig } from '../helpers/config.ts';
import { startMailingVigia, startTempVigia, type TempVigia } from '../helpers/server.ts';

const TOKEN = 'health-test-admin-token-01';

async function health(vigia: RunningVigia) {
  const res = await fetch(`${vigia.url}/healthz`);
  return { status: res.status, body: (await res.json()) as any };
}

let seq = 0;
/** One admin alert in the outbox, due now. */
async function queueOneMail(vigia: RunningVigia) {
  const now = vigia.app.now();
  await queueNotice(
    vigia.app.db,
    { kind: 'admin.mail_paused', reason: 'quota', code: 'daily_quota_exceeded', message: 'quota', pausedAt: now.toISOString(), until: null },
    [{ channel: 'email', target: 'ops@prueba.example', idempotencyKey: `health:${++seq}`, locale: 'en' }],
    now,
  );
}

const mailJob = (vigia: RunningVigia) => vigia.jobs.find((j) => j.name === 'mail-dispatch')!;

describe('the health check tells the truth about the notice promise', () => {
  let started: TempVigia | undefined;
  let fake: FakeResendServer | undefined;
  const scratch: string[] = [];

  afterEach(async () => {
    await started?.close();
    await fake?.close();
    started = fake = undefined;
    for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 while the mail provider answers 500, and 200 again once it accepts', async () => {
    // From the start of an hour: the mail-failing alert is one per hour, and the 45 minutes below stay in one.
    const clock = testClock(new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000));
    fake = await startFakeResend();
    started = await startMailingVigia(fake, { config: testConfig(), adminToken: TOKEN, now: clock.now });
    const vigia = started.vigia;
    expect((await health(vigia)).status).toBe(200);

    // Every call fails for a while (the admins' alert that mail is failing, queued meanwhile, too).
    fake.configure({ failureRatio: 1, failureModes: ['500'] });
    await queueOneMail(vigia);
    for (let i = 0; i < 3; i++) {
      await mailJob(vigia).runNow();
      const failing = await health(vigia);
      expect(failing.status).toBe(503);
      expect(failing.body).toMatchObject({ status: 'failing', failing: ['mail'], error: { code: 'unhealthy' } });
      expect(failing.body.parts.mail).toMatchObject({ state: 'failing', keeps_notice_promise: true, last_success_at: null });
      expect(failing.body.parts.mail.last_error.message).toContain('500');
      // The retry waits out its back-off.
      clock.advance(15 * 60_000);
    }

    fake.configure({ failureRatio: 0 });
    await mailJob(vigia).runNow();
    // The notice, and the alert that mail was failing.
    expect(fake.deliveries.map((d) => d.subject).sort()).toEqual([
      'Prueba Hosting · El proveedor de correo está fallando',
      "Prueba Hosting · Mail sending paused: provider's quota reached",
    ]);
    const recovered = await health(vigia);
    expect(recovered.status).toBe(200);
    expect(recovered.body.status).toBe('ok');
    expect(recovered.body.parts.mail).toMatchObject({ state: 'ok', failing_since: null });
    expect(recovered.body.parts.mail.last_success_at).toBe(clock.now().toISOString());
    expect(recovered.body.parts.mail.last_error.message).toContain('500');
    expect(recovered.body.parts.jobs.state).toBe('ok');
  });

  it('answers 503 while mail cannot be written to the data folder, and recovers when it can', async () => {
    const clock = testClock(new Date());
    const data = mkdtempSync(join(tmpdir(), 'vigia-health-data-'));
    scratch.push(data);
    // A file where the mail folder should be: nothing can be written there (whoever runs the test, root included).
    writeFileSync(join(data, 'mail'), 'not a folder');
    started = await startTempVigia({ now: clock.now, env: { VIGIA_JOBS: '1', VIGIA_BUILD_SITE: '0', VIGIA_DATA_DIR: data, ADMIN_TOKEN: TOKEN } });
    const vigia = started.vigia;
    await vigia.upstream?.stop();
    await queueOneMail(vigia);
    await mailJob(vigia).runNow();
    const failing = await health(vigia);
    expect(failing.status).toBe(503);
    expect(failing.body.failing).toEqual(['mail']);
    // Nothing of the machine's paths reaches the public answer.
    expect(JSON.stringify(failing.body)).not.toContain(data);

    rmSync(join(data, 'mail'));
    mkdirSync(join(data, 'mail'));
    clock.advance(15 * 60_000);
    await mailJob(vigia).runNow();
    expect((await health(vigia)).status).toBe(200);
  });

  it('reports each part, with the parts this process does not run as off', async () => {
    started = await startTempVigia({ env: { VIGIA_BUILD_SITE: '0' } });
    const { status, body } = await health(started.vigia);
    expect(status).toBe(200);
    expect(Object.keys(body.parts).sort()).toEqual(['database', 'jobs', 'mail', 'site', 'upstream']);
    expect(body.parts.database).toMatchObject({ state: 'ok', keeps_notice_promise: true, last_error: null });
    expect(body.parts.site.state).toBe('off');
    expect(body.parts.jobs.state).toBe('off');
    expect(body.database).toBe('reachable');
  });
});

describe('the health board', () => {
  it('a provider that cannot be read is reported but is not a failure of the promise', () => {
    const board = new HealthBoard(() => new Date('2026-11-20T15:00:00Z'));
    board.succeeded('upstream', 'a');
    board.failed('upstream', 'a provider cannot be read', 'b');
    board.succeeded('mail');
    const report = board.report();
    expect(report.status).toBe('ok');
    expect(report.parts.upstream).toMatchObject({ state: 'failing', keeps_notice_promise: false, failing: ['b'] });
  });

  it('a job failing makes the promise fail until that job succeeds again; other jobs do not clear it', () => {
    let now = new Date('2026-11-20T15:00:00Z');
    const board = new HealthBoard(() => now);
    board.failed('jobs', 'the maintenance-notices job failed', 'maintenance-notices');
    now = new Date('2026-11-20T15:01:00Z');
    board.succeeded('jobs', 'sla-warnings');
    expect(board.report()).toMatchObject({ status: 'failing', failing: ['jobs'] });
    expect(board.report().parts.jobs).toMatchObject({ failing: ['maintenance-notices'], failing_since: '2026-11-20T15:00:00.000Z', last_success_at: '2026-11-20T15:01:00.000Z' });
    board.succeeded('jobs', 'maintenance-notices');
    expect(board.report().status).toBe('ok');
  });

  it('forgets sources that no longer exist', () => {
    const board = new HealthBoard();
    board.failed('upstream', 'a provider cannot be read', 'gone');
    board.retain('upstream', new Set(['other']));
    expect(board.report().parts.upstream.state).toBe('unknown');
  });
});
