import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../db/schema/index.ts';
import { queueNotice } from '../../worker/mail/outbox.ts';
import { startVigia, type RunningVigia } from '../../worker/server.ts';
import { testConfig } from '../helpers/config.ts';
import { startFakeResend, type FakeResendServer } from '../fakes/resend-server.ts';

/** The real server with jobs on: the mail job renders with the real templates and sends through the SDK to the fake API. */
describe('mail dispatch in the running server', () => {
  let vigia: RunningVigia;
  let fake: FakeResendServer;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigia-mail-server-'));
    fake = await startFakeResend();
    vigia = await startVigia({
      config: testConfig(),
      env: {
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: `file:${join(dir, 'vigia.db')}`,
        VIGIA_DATA_DIR: dir,
        VIGIA_BUILD_SITE: '0',
        VIGIA_JOBS: '1',
        LOG_LEVEL: 'silent',
        ADMIN_TOKEN: 'server-wiring-admin-token',
        RESEND_API_KEY: fake.apiKey,
        RESEND_BASE_URL: fake.url,
        MAIL_FROM: 'Prueba <status@prueba.example>',
      },
    });
  }, 60_000);

  afterAll(async () => {
    await vigia?.close();
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends queued mail, records it, and reports the dispatch in /healthz', async () => {
    const now = vigia.app.now();
    await queueNotice(
      vigia.app.db,
      { kind: 'admin.mail_paused', reason: 'quota', code: 'daily_quota_exceeded', message: 'quota', pausedAt: now.toISOString(), until: null },
      [{ channel: 'email', target: 'ops@prueba.example', idempotencyKey: 'wiring:1', locale: 'en' }],
      now,
    );
    const job = vigia.jobs.find((j) => j.name === 'mail-dispatch');
    expect(job).toBeDefined();
    await job!.runNow();

    expect(fake.deliveries).toHaveLength(1);
    expect(fake.deliveries[0]).toMatchObject({ to: ['ops@prueba.example'], from: 'Prueba <status@prueba.example>', subject: expect.stringContaining('Mail sending paused') });
    const [row] = await vigia.app.db.select().from(outbox);
    expect(row).toMatchObject({ state: 'sent', providerId: fake.deliveries[0]!.id });

    const health = await (await fetch(`${vigia.url}/healthz`)).json();
    expect(Date.parse(health.last_mail_dispatch_at)).toBeGreaterThanOrEqual(now.getTime());

    const listed = await (await fetch(`${vigia.url}/api/admin/outbox?state=sent`, { headers: { authorization: 'Bearer server-wiring-admin-token' } })).json();
    expect(listed.outbox).toEqual([expect.objectContaining({ id: row!.id, provider_id: fake.deliveries[0]!.id })]);
  });
});
