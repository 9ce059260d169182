import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outbox } from '../../db/schema/index.ts';
import { queueNotice } from '../../worker/mail/outbox.ts';
import { ROOT_DIR } from '../../worker/server.ts';
import { startFakeResend, type FakeResendServer } from '../fakes/resend-server.ts';
import { TEST_CONFIG_YAML } from '../helpers/config.ts';
import { fileDatabase } from '../helpers/db.ts';
import { waitFor } from '../mail/processes.ts';
import { batchRows } from '../mail/support.ts';

const MESSAGES = 2_000;
const recipient = (i: number) => `shutdown${String(i).padStart(5, '0')}@cliente.example`;

/** The test config without upstream sources (nothing to poll here), so the only work is the mail queued below. */
const CONFIG_YAML = TEST_CONFIG_YAML.replace(/^sources:\n.*\n/m, '').replace(', sources: [gws]', '');

interface Worker {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; at: number }>;
}

/**
 * The worker as `npm start` runs it (worker/main.ts, with its signal handling), on the test's database file, with
 * jobs on, no site build, and mail to the fake Resend API.
 */
function startWorker(env: Record<string, string>): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    cwd: ROOT_DIR,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', VIGIA_JOBS: '1', VIGIA_BUILD_SITE: '0', LOG_LEVEL: 'info', ADMIN_TOKEN: 'graceful-shutdown-admin-token', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.on('exit', (code) => resolve({ code, at: Date.now() })));
  return { child, output: () => output, exited };
}

describe('stopping a worker with SIGTERM', () => {
  let fake: FakeResendServer;
  let database: Awaited<ReturnType<typeof fileDatabase>>;
  let env: Record<string, string>;
  const workers: Worker[] = [];

  beforeEach(async () => {
    database = await fileDatabase();
    const configPath = join(database.dir, 'vigia.config.yaml');
    writeFileSync(configPath, CONFIG_YAML);
    env = { DATABASE_URL: database.url, VIGIA_DATA_DIR: database.dir, VIGIA_CONFIG: configPath };
  });
  afterEach(async () => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    workers.length = 0;
    await fake.close();
    database.cleanup();
  });

  async function queueFanOut(): Promise<void> {
    const now = new Date();
    await queueNotice(
      database.db,
      { kind: 'admin.mail_paused', reason: 'quota', code: 'daily_quota_exceeded', message: 'quota', pausedAt: now.toISOString(), until: null },
      Array.from({ length: MESSAGES }, (_, i) => ({ channel: 'email' as const, target: recipient(i), idempotencyKey: `shutdown:${i}`, locale: 'en' as const })),
      now,
    );
  }

  async function running(worker: Worker): Promise<void> {
    await waitFor(() => worker.output().includes('Vigía is running at') || worker.child.exitCode !== null, 60_000, 'the worker to start');
    expect(worker.child.exitCode, worker.output()).toBeNull();
  }

  it('mid-send: exits 0 within the bound, and a second worker sends the rest exactly once', async () => {
    // Each call takes a while and the worker paces itself at 2 calls a second: the fan-out takes about ten seconds.
    fake = await startFakeResend({ latencyMs: 200 });
    await queueFanOut();
    const first = startWorker({ ...env, RESEND_API_KEY: fake.apiKey, RESEND_BASE_URL: fake.url });
    workers.push(first);
    await running(first);
    await waitFor(() => fake.deliveries.length > 0, 30_000, 'the first batch');

    const signalledAt = Date.now();
    first.child.kill('SIGTERM');
    const { code, at } = await first.exited;
    expect(code, first.output()).toBe(0);
    expect(at - signalledAt).toBeLessThan(10_000);
    expect(first.output()).toContain('"msg":"stopped"');
    const sentByFirst = fake.deliveries.length;
    expect(sentByFirst).toBeLessThan(MESSAGES);
    // Nothing is left held by the stopped worker: no claimed row, no batch still being sent.
    const states = new Set((await database.db.select({ state: outbox.state }).from(outbox)).map((r) => r.state));
    expect([...states].sort()).toEqual(['pending', 'sent']);

    const second = startWorker({ ...env, RESEND_API_KEY: fake.apiKey, RESEND_BASE_URL: fake.url });
    workers.push(second);
    await running(second);
    await waitFor(() => fake.deliveries.length >= MESSAGES, 60_000, 'the rest of the fan-out');
    await expect.poll(async () => (await database.db.select({ state: outbox.state }).from(outbox)).every((r) => r.state === 'sent'), { timeout: 10_000 }).toBe(true);

    expect(fake.deliveries).toHaveLength(MESSAGES);
    expect(fake.duplicates('recipient')).toEqual([]);
    const counts = fake.countsByRecipient();
    for (let i = 0; i < MESSAGES; i++) expect(counts.get(recipient(i))).toBe(1);
    expect(fake.deliveries.length - sentByFirst).toBeGreaterThan(0);
  }, 120_000);

  it('when a call to the provider hangs, exits 1 at the bound with a log line saying so', async () => {
    fake = await startFakeResend();
    fake.queueFaults({ kind: 'delay', ms: 60_000 });
    await queueFanOut();
    const worker = startWorker({ ...env, RESEND_API_KEY: fake.apiKey, RESEND_BASE_URL: fake.url });
    workers.push(worker);
    await running(worker);
    await expect.poll(async () => (await batchRows(database.db)).length, { timeout: 30_000 }).toBeGreaterThan(0);

    worker.child.kill('SIGTERM');
    const { code } = await worker.exited;
    expect(code).toBe(1);
    expect(worker.output()).toContain('"msg":"shutdown did not finish in time: exiting"');
    // The batch stays leased to the stopped worker: another takes it over when the lease passes, under the same key.
    const [batch] = await batchRows(database.db);
    expect(batch).toMatchObject({ state: 'sending', idempotencyKey: expect.stringMatching(/^vigia-batch\//) });
  }, 90_000);

  it('a second SIGTERM exits at once, even while a call to the provider hangs', async () => {
    fake = await startFakeResend();
    // The first call hangs far beyond the shutdown bound: the first SIGTERM waits for it.
    fake.queueFaults({ kind: 'delay', ms: 60_000 });
    await queueFanOut();
    const worker = startWorker({ ...env, RESEND_API_KEY: fake.apiKey, RESEND_BASE_URL: fake.url });
    workers.push(worker);
    await running(worker);
    await expect.poll(async () => (await batchRows(database.db)).length, { timeout: 30_000 }).toBeGreaterThan(0);

    worker.child.kill('SIGTERM');
    await waitFor(() => worker.output().includes('"msg":"shutting down"'), 10_000, 'the first signal to be taken');
    expect(worker.child.exitCode).toBeNull();
    worker.child.kill('SIGTERM');
    const { code } = await worker.exited;
    expect(code).toBe(1);
    expect(worker.output()).toContain('"msg":"second signal: exiting at once"');
    expect(worker.output()).not.toContain('"msg":"stopped"');
  }, 90_000);
});
