/**
 * Mail fan-out end to end: 100,000 confirmed subscribers in a libsql file database, one maintenance
 * window announced (the announcement producer queues one outbox row per subscriber, in the creating
 * transaction), then the dispatcher hands everything to the fake Resend API limited to 10 calls per
 * second, with its own pacing set to 10/s. Rendering uses the real templates.
 *
 * Separate processes, so each figure belongs to one part: set-up inserts the subscribers; an announcing
 * process creates the window (and with it the 100,000 outbox rows); the fake provider runs on its own
 * (it counts deliveries and duplicates); this process is the mail worker, and its RSS is sampled while
 * it dispatches. (In production the API and the jobs share a process; its peak is the larger of the two.)
 *
 * Floor: 1,000 batch calls at 10 per second = 100 s.
 * `--renderer plain` swaps the templates for a fixed-size body (about the same bytes per mail), to
 * measure the dispatcher's own cost apart from the templates'.
 * `--workers 2` dispatches with two mail workers on the same database (this process and a child), each paced at
 * half the rate, as two Vigía workers sharing the outbox would be configured: the figures are then the pair's.
 * `--kill-one` (with `--workers 2`) kills the other mail worker with SIGKILL once the provider has received 30% of the
 * messages, and measures the hand-off: from the kill until every message the dead worker held (claimed, or in a batch
 * it was sending) has been sent by the survivor, which waits for their lease to run out (`--lease`, ms; the
 * product's default 120,000, VIGIA_MAIL_LEASE_MS). The survivor stays paced at its half of the rate.
 * Run: npm run bench:mail [-- --subscribers 100000 --rate 10 --renderer templates|plain --workers 1|2 --kill-one --lease 120000]
 * (compiled as `npm start` compiles the worker, with the same Node options: bench/run-compiled.sh).
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { eq, sql } from 'drizzle-orm';
import { openDatabase, tuneLocalDatabase } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { outbox, subscribers } from '../db/schema/index.ts';
import { parseConfigText, type Config } from '../worker/config/load.ts';
import type { AppContext } from '../worker/context.ts';
import { emailChannel } from '../worker/delivery/channels.ts';
import { readEnv } from '../worker/env.ts';
import { newId } from '../worker/lib/ids.ts';
import { createLogger } from '../worker/lib/logger.ts';
import { createMailDispatcher } from '../worker/mail/dispatcher.ts';
import { createMailRenderer } from '../worker/mail/render.ts';
import { resendTransport } from '../worker/mail/transport.ts';
import type { MailRenderer } from '../worker/mail/types.ts';
import { createMaintenance, noticePolicy } from '../worker/maintenances/service.ts';
import { syncConfigToDatabase } from '../worker/store/sync-config.ts';
import { startFakeResend } from '../test/fakes/resend-server.ts';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}
const SUBSCRIBERS = Number(arg('subscribers') ?? 100_000);
const RATE = Number(arg('rate') ?? 10);
const RENDERER = arg('renderer') ?? 'templates';
const ROLE = arg('role') ?? 'worker';
const WORKERS = Math.max(1, Number(arg('workers') ?? 1));
const KILL_ONE = process.argv.includes('--kill-one') && WORKERS > 1;
const LEASE_MS = Number(arg('lease') ?? 120_000);
/** The share of the messages the provider has received when `--kill-one` kills a worker. */
const KILL_AT = 0.3;

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function loadConfig(): Config {
  const yaml = readFileSync(new URL('../vigia.config.yaml', import.meta.url), 'utf8');
  // Each worker paces itself at its part of the provider's rate.
  return { ...parseConfigText(yaml, 'vigia.config.yaml'), mail: { rate_limit_per_second: RATE / WORKERS } };
}

/** Peak RSS of this process, sampled every 50 ms (and at every call). */
function rssSampler() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  timer.unref();
  return {
    peak: () => Math.max(peak, process.memoryUsage().rss),
    stop: () => clearInterval(timer),
  };
}

/** Child: creates the database and inserts the subscribers in large multi-row inserts, one transaction. */
async function setUp(url: string): Promise<void> {
  const database = openDatabase(url);
  await tuneLocalDatabase(database.client, url);
  await migrateDatabase(database.db);
  const now = new Date();
  await syncConfigToDatabase(database.db, loadConfig(), now);
  await database.db.transaction(async (tx) => {
    for (let i = 0; i < SUBSCRIBERS; i += 1_000) {
      await tx.insert(subscribers).values(
        Array.from({ length: Math.min(1_000, SUBSCRIBERS - i) }, (_, k): typeof subscribers.$inferInsert => {
          const n = i + k;
          return {
            id: newId(),
            email: `suscriptor${String(n).padStart(6, '0')}@cliente${n % 97}.example`,
            locale: n % 5 === 0 ? 'en' : 'es',
            timezone: n % 3 === 0 ? 'America/Mexico_City' : 'America/Bogota',
            status: 'confirmed',
            consentSource: 'bench',
            confirmedAt: now,
            createdAt: now,
            updatedAt: now,
          };
        }),
      );
    }
  });
  database.close();
}

/** Child: the fake provider; answers `stats` with what it received. */
async function provider(): Promise<void> {
  const sampler = rssSampler();
  const fake = await startFakeResend({ rateLimitPerSecond: RATE, recordBodies: false });
  process.on('message', async (message: { kind: string }) => {
    // Progress every 100 ms, for a kill at a given point of the fan-out.
    if (message.kind === 'watch') {
      const progress = setInterval(() => {
        if (process.connected) process.send!({ kind: 'progress', deliveries: fake.deliveries.length });
        else clearInterval(progress);
      }, 100);
      progress.unref();
      return;
    }
    if (message.kind !== 'stats') return;
    const outcomes = (o: string) => fake.requests.filter((r) => r.outcome === o).length;
    process.send!({
      kind: 'stats',
      deliveries: fake.deliveries.length,
      duplicates: fake.duplicates('recipient').length,
      calls: fake.requests.length,
      rateLimited: outcomes('rate_limited'),
      replayed: outcomes('replayed'),
      peakRss: sampler.peak(),
    });
    sampler.stop();
    await fake.close();
    process.exit(0);
  });
  process.send!({ kind: 'ready', url: fake.url, apiKey: fake.apiKey });
}

function child(role: string, extra: string[]): ReturnType<typeof fork> {
  return fork(process.argv[1]!, ['--role', role, '--subscribers', String(SUBSCRIBERS), '--rate', String(RATE), '--workers', String(WORKERS), '--renderer', RENDERER, '--lease', String(LEASE_MS), ...extra], { stdio: 'inherit' });
}

const nextMessage = <T>(proc: ReturnType<typeof fork>, kind: string) =>
  new Promise<T>((resolve, reject) => {
    proc.on('message', (m: { kind: string }) => m.kind === kind && resolve(m as T));
    proc.once('exit', (code) => reject(new Error(`${kind}: child exited with ${code}`)));
  });

/** About the size of a real announcement (4 KB of HTML), without the templates' work. */
const FILLER = '<p>' + 'Cambio de servidores del clúster de correo. '.repeat(90) + '</p>';
const plainRenderer: MailRenderer = (row) => ({
  subject: `Mantenimiento programado: ${String(row.notice.title)}`,
  html: `<html><body><h1>${String(row.notice.title)}</h1>${FILLER}<p>${row.target}</p></body></html>`,
  text: `${String(row.notice.title)}\n${row.target}`,
  headers: { 'List-Unsubscribe': `<https://estado.example/u/${row.subscriberId}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
});

function benchContext(db: AppContext['db'], config: Config, provider: { apiKey: string; url: string }): AppContext {
  return {
    db,
    config,
    env: readEnv({ RESEND_API_KEY: provider.apiKey, RESEND_BASE_URL: provider.url, MAIL_FROM: 'Nubeandina <estado@nubeandina.example>', ADMIN_TOKEN: 'bench-admin-token-0123456789' }),
    logger: createLogger('warn'),
    now: () => new Date(),
    publishedChanged: () => {},
  };
}

/** Child: announces one window three days ahead; the producer queues the fan-out in the same transaction. */
async function announce(url: string): Promise<void> {
  const sampler = rssSampler();
  const database = openDatabase(url);
  await tuneLocalDatabase(database.client, url);
  const config = loadConfig();
  const baselineRss = process.memoryUsage().rss;
  const t = performance.now();
  const now = new Date();
  const startsAt = new Date(now.getTime() + 3 * 24 * 3_600_000);
  const maintenanceId = await database.db.transaction((tx) =>
    createMaintenance(
      tx,
      { title: 'Migración del clúster de correo', message: 'Cambio de servidores; el correo puede demorarse unos minutos.', startsAt, endsAt: new Date(startsAt.getTime() + 2 * 3_600_000), componentIds: [], notify: true },
      { now, actor: 'bench', policy: noticePolicy(config) },
    ),
  );
  const queueMs = performance.now() - t;
  const [counted] = await database.db.select({ n: sql<number>`count(*)` }).from(outbox).where(eq(outbox.maintenanceId, maintenanceId));
  database.close();
  sampler.stop();
  process.send!({ kind: 'announced', queued: counted?.n ?? 0, queueMs, peakRss: sampler.peak(), baselineRss }, () => process.exit(0));
}

/**
 * Kills `victim` with SIGKILL once the provider has received KILL_AT of the messages, then waits until every message
 * it held (claimed, or in a batch it was sending; its lease owner names its pid) has been sent by the survivor.
 */
async function killMidway(victim: ReturnType<typeof fork>, fakeProcess: ReturnType<typeof fork>, url: string, queued: number) {
  const started = performance.now();
  let delivered = 0;
  fakeProcess.on('message', (m: { kind: string; deliveries?: number }) => {
    if (m.kind === 'progress') delivered = m.deliveries ?? delivered;
  });
  fakeProcess.send({ kind: 'watch' });
  const pause = () => new Promise((resolve) => setTimeout(resolve, 100));
  while (delivered < queued * KILL_AT) await pause();
  const exited = new Promise((resolve) => victim.once('exit', resolve));
  victim.kill('SIGKILL');
  const killedAt = performance.now();
  const deliveredAtKill = delivered;
  await exited;
  const watcher = openDatabase(url);
  const owner = `%:${victim.pid}:%`;
  const held = await watcher.db.all<{ id: string }>(sql`
    select outbox.id from outbox left join outbox_batches on outbox_batches.id = outbox.batch_id
    where (outbox.state = 'claimed' and outbox.lease_owner like ${owner}) or (outbox.state = 'sending' and outbox_batches.lease_owner like ${owner})`);
  const ids = JSON.stringify(held.map((r) => r.id));
  for (;;) {
    const [row] = await watcher.db.all<{ n: number }>(sql`select count(*) as n from outbox where state <> 'sent' and id in (select value from json_each(${ids}))`);
    if (Number(row?.n ?? 0) === 0) break;
    await pause();
  }
  const handOffMs = performance.now() - killedAt;
  watcher.close();
  return { killedAfterMs: killedAt - started, deliveredAtKill, held: held.length, handOffMs };
}

/** Child: another mail worker on the same database, started with this one; reports what it sent. */
async function dispatchAlongside(url: string, providerUrl: string, apiKey: string): Promise<void> {
  const database = openDatabase(url);
  const ctx = benchContext(database.db, loadConfig(), { apiKey, url: providerUrl });
  const renderer = RENDERER === 'plain' ? plainRenderer : createMailRenderer(ctx);
  const dispatcher = createMailDispatcher(ctx, { leaseMs: LEASE_MS, channels: { email: emailChannel(renderer, resendTransport({ apiKey, baseUrl: providerUrl })) } });
  process.once('message', async () => {
    const cpu = process.cpuUsage();
    const summary = await dispatcher.drain();
    const used = process.cpuUsage(cpu);
    database.close();
    process.send!({ kind: 'drained', sent: summary.sent, batches: summary.batches, cpuMs: (used.user + used.system) / 1000 }, () => process.exit(0));
  });
  process.send!({ kind: 'ready' });
}

async function worker(): Promise<void> {
  const dir = mkdtempSync(join(os.tmpdir(), 'vigia-bench-mail-'));
  const url = `file:${join(dir, 'vigia.db')}`;
  const figures: [string, string][] = [];
  try {
    let t = performance.now();
    const setup = child('setup', ['--db', url]);
    if ((await new Promise<number | null>((resolve) => setup.on('exit', resolve))) !== 0) throw new Error('set-up failed');
    figures.push(['subscribers inserted (set-up process)', `${SUBSCRIBERS.toLocaleString('en')} in ${secs(performance.now() - t)}`]);

    const fakeProcess = child('provider', []);
    const { url: providerUrl, apiKey } = await nextMessage<{ url: string; apiKey: string }>(fakeProcess, 'ready');

    const announcing = child('announce', ['--db', url]);
    const announced = await nextMessage<{ queued: number; queueMs: number; peakRss: number; baselineRss: number }>(announcing, 'announced');
    figures.push(['outbox rows queued (announcement)', `${announced.queued.toLocaleString('en')} in ${secs(announced.queueMs)} (target < 10 s; peak RSS of that process ${mb(announced.peakRss)}, ${mb(announced.baselineRss)} before announcing)`]);
    const queued = announced.queued;

    const sampler = rssSampler();
    const database = openDatabase(url);
    await tuneLocalDatabase(database.client, url);
    const ctx = benchContext(database.db, loadConfig(), { apiKey, url: providerUrl });
    const renderer = RENDERER === 'plain' ? plainRenderer : createMailRenderer(ctx);
    const dispatcher = createMailDispatcher(ctx, { leaseMs: LEASE_MS, channels: { email: emailChannel(renderer, resendTransport({ apiKey, baseUrl: providerUrl })) } });
    const others = Array.from({ length: WORKERS - 1 }, () => child('dispatch', ['--db', url, '--provider', providerUrl, '--key', apiKey]));
    await Promise.all(others.map((o) => nextMessage(o, 'ready')));
    // A worker killed by `--kill-one` never reports.
    const drained = others.map((o) => nextMessage<{ sent: number; batches: number; cpuMs: number }>(o, 'drained').catch(() => null));
    t = performance.now();
    for (const o of others) o.send({ kind: 'go' });
    const handOff = KILL_ONE ? killMidway(others[0]!, fakeProcess, url, queued) : null;
    const cpu = process.cpuUsage();
    const summary = await dispatcher.drain();
    const used = process.cpuUsage(cpu);
    const killed = handOff ? await handOff : null;
    const theirs = (await Promise.all(drained)).filter((r) => r !== null);
    const dispatchMs = performance.now() - t;
    if (killed) {
      figures.push(['worker #2 killed (SIGKILL)', `after ${secs(killed.killedAfterMs)}, with ${killed.deliveredAtKill.toLocaleString('en')} messages received by the provider; it held ${killed.held} messages (lease ${secs(LEASE_MS)})`]);
      figures.push(['hand-off (kill → its messages sent by #1)', secs(killed.handOffMs)]);
      figures.push(['worker #1 (survivor)', `${summary.sent.toLocaleString('en')} sent in ${summary.batches} batches, ${secs((used.user + used.system) / 1000)} CPU`]);
    } else if (WORKERS > 1) {
      const parts = [{ sent: summary.sent, batches: summary.batches, cpuMs: (used.user + used.system) / 1000 }, ...theirs];
      figures.push(['workers (each paced at rate / workers)', parts.map((p, i) => `#${i + 1}: ${p.sent.toLocaleString('en')} sent in ${p.batches} batches, ${secs(p.cpuMs)} CPU`).join('; ')]);
    }
    const peak = sampler.peak();
    sampler.stop();
    const floorMs = (Math.ceil(queued / 100) / RATE) * 1000;

    const stats = nextMessage<{ deliveries: number; duplicates: number; calls: number; rateLimited: number; replayed: number; peakRss: number }>(fakeProcess, 'stats');
    fakeProcess.send({ kind: 'stats' });
    const provided = await stats;
    const states = await database.db.select({ state: outbox.state, n: sql<number>`count(*)` }).from(outbox).groupBy(outbox.state);
    database.close();

    figures.push(['handed to the provider', `${provided.deliveries.toLocaleString('en')} messages in ${secs(dispatchMs)}`]);
    figures.push(['floor (batch calls / rate)', `${secs(floorMs)} → ${((dispatchMs / floorMs - 1) * 100).toFixed(1)}% over (target ≤ 10%)`]);
    figures.push(['provider calls', `${provided.calls} (${summary.batches + theirs.reduce((n, p) => n + p.batches, 0)} batches accepted, ${provided.rateLimited} answered 429, ${provided.replayed} replayed)`]);
    figures.push(['duplicates (counted by the provider)', String(provided.duplicates)]);
    figures.push(['outbox states', states.map((s) => `${s.state} ${s.n.toLocaleString('en')}`).join(', ')]);
    figures.push(['peak RSS, mail worker (dispatching)', `${mb(peak)} (target < 300 MB)`]);
    figures.push(['peak RSS, fake provider process', mb(provided.peakRss)]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const width = Math.max(...figures.map(([k]) => k.length));
  console.log(`\nMail fan-out (${RENDERER} renderer, ${WORKERS} worker${WORKERS > 1 ? 's' : ''}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}) — Node ${process.version}, ${os.cpus().length} CPU, ${os.platform()}`);
  for (const [k, v] of figures) console.log(`  ${k.padEnd(width)}  ${v}`);
}

if (ROLE === 'setup') await setUp(arg('db')!);
else if (ROLE === 'announce') await announce(arg('db')!);
else if (ROLE === 'provider') await provider();
else if (ROLE === 'dispatch') await dispatchAlongside(arg('db')!, arg('provider')!, arg('key')!);
else await worker();
