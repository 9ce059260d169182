/**
 * The poll cycle of 1,000 sources shared by 1, 2 and 3 workers on one database file.
 *
 * This process serves every source (incident.io-style pages on 127.0.0.1, 20–150 ms per request, ETags and 304s) and
 * counts the requests per source; each worker is a child process with its own database handle and the real upstream
 * watch (leases, fetcher, adapter, recorder), ticked every 250 ms instead of every second so the tick does not round
 * the wall time. A cycle: every source made due at once; it ends when every source's poll is recorded. For each cycle:
 * wall time, CPU per worker (process.cpuUsage, user + system), how many sources each worker polled, and duplicate
 * polls (a source asked more than once in the cycle): zero expected.
 *
 * Run: npm run bench:workers [-- 1000]
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { count, gte } from 'drizzle-orm';
import { stringify } from 'yaml';
import { openDatabase } from '../db/client.ts';
import { sources } from '../db/schema/index.ts';
import { parseConfigText } from '../worker/config/load.ts';
import { syncConfigToDatabase } from '../worker/store/sync-config.ts';
import { createUpstreamWatch } from '../worker/upstream/scheduler.ts';
import { startUpstreamServer } from '../test/fakes/upstream-server.ts';
import { TEST_CONFIG_YAML } from '../test/helpers/config.ts';
import { fileDatabase } from '../test/helpers/db.ts';
import { benchContext } from './lib/bench-context.ts';
import { ask } from './lib/child-ask.ts';

const SOURCES = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 1000);

// ── A worker (child process) ───────────────────────────────────────────────────────────────────────────────────

async function poller(url: string): Promise<void> {
  const database = openDatabase(url);
  const raw = (await import('yaml')).parse(TEST_CONFIG_YAML) as Record<string, unknown>;
  const config = parseConfigText(stringify(raw), 'bench.config.yaml');
  const ctx = benchContext(database, config);
  const watch = createUpstreamWatch(ctx);
  // Ticking all along, as a running worker does: each worker is known to the others as a poller when a cycle starts.
  const timer = setInterval(() => void watch.tick(), 250);
  let cpu = process.cpuUsage();
  let started = 0;
  process.on('message', async (message: { cycle?: boolean; report?: boolean; quit?: boolean }) => {
    if (message.cycle) {
      cpu = process.cpuUsage();
      started = watch.stats.started;
      process.send?.({ going: true });
    } else if (message.report) {
      await watch.idle();
      const used = process.cpuUsage(cpu);
      process.send?.({ report: { cpuMs: (used.user + used.system) / 1000, polled: watch.stats.started - started } });
    } else if (message.quit) {
      clearInterval(timer);
      await watch.stop();
      database.close();
      process.exit(0);
    }
  });
  process.send?.({ ready: true });
}

// ── The coordinator and the fake provider (this process) ───────────────────────────────────────────────────────

async function main(): Promise<void> {
  const summary = readFileSync(new URL('../test/upstream/fixtures/incidentio-summary.json', import.meta.url), 'utf8');
  const asked = new Map<string, number>();
  const server = await startUpstreamServer();
  server.fallback((req, res) => {
    const id = /^\/(s\d+)\//.exec(req.url ?? '')?.[1] ?? '?';
    asked.set(id, (asked.get(id) ?? 0) + 1);
    setTimeout(() => {
      if (req.headers['if-none-match'] === '"v1"') res.writeHead(304, { ETag: '"v1"' }).end();
      else res.writeHead(200, { 'Content-Type': 'application/json', ETag: '"v1"' }).end(summary);
    }, 20 + Math.floor(Math.random() * 131));
  });

  const rows: string[][] = [];
  for (const workers of [1, 2, 3]) {
    const database = await fileDatabase();
    const { url } = database;
    const raw = (await import('yaml')).parse(TEST_CONFIG_YAML) as Record<string, unknown>;
    // An interval far longer than a cycle, so a source is never due twice within one: any second poll is a duplicate.
    raw.sources = Array.from({ length: SOURCES }, (_, n) => ({ id: `s${n}`, name: `Provider ${n}`, type: 'incidentio', url: `${server.url}/s${n}`, interval: '1h' }));
    raw.components = [{ id: 'c', name: 'Providers', sources: Array.from({ length: SOURCES }, (_, n) => `s${n}`) }];
    await syncConfigToDatabase(database.db, parseConfigText(stringify(raw), 'bench.config.yaml'), new Date());
    // Nothing due until a cycle makes everything due at once.
    await database.db.update(sources).set({ nextPollAt: new Date(Date.now() + 24 * 3_600_000) });

    const children = Array.from({ length: workers }, () => fork(fileURLToPath(import.meta.url), ['--poller', url], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
    await Promise.all(children.map((c) => ask(c, {}, 'ready')));
    // Every worker ticks (and says it polls) before the first cycle.
    await new Promise((r) => setTimeout(r, 1_000));
    for (const label of ['first (all new)', 'unchanged (304)', 'unchanged (304)']) {
      await Promise.all(children.map((c) => ask(c, { cycle: true }, 'going')));
      asked.clear();
      const since = new Date();
      const started = performance.now();
      await database.db.update(sources).set({ nextPollAt: null });
      for (;;) {
        const [row] = await database.db.select({ n: count() }).from(sources).where(gte(sources.lastPolledAt, since));
        if (row!.n >= SOURCES) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      const wall = performance.now() - started;
      const reports = await Promise.all(children.map((c) => ask<{ cpuMs: number; polled: number }>(c, { report: true }, 'report')));
      const duplicates = [...asked.values()].filter((n) => n > 1).length;
      rows.push([
        String(workers),
        label,
        `${(wall / 1000).toFixed(2)} s`,
        reports.map((r) => `${(r.cpuMs / 1000).toFixed(2)} s`).join(' / '),
        reports.map((r) => String(r.polled)).join(' / '),
        String(duplicates),
      ]);
    }
    await Promise.all(children.map((c) => new Promise((r) => (c.once('exit', r), c.send({ quit: true })))));
    database.cleanup();
  }
  await server.close();

  console.log(`Poll cycle of ${SOURCES} incident.io-style sources, 20–150 ms per request, shared by 1–3 worker processes on one database file`);
  console.log(`Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
  const head = ['workers', 'cycle', 'wall', 'CPU per worker', 'sources per worker', 'duplicate polls'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(line(head));
  for (const row of rows) console.log(line(row));
}

const at = process.argv.indexOf('--poller');
if (at >= 0) void poller(process.argv[at + 1]!);
else await main();
