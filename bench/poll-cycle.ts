/**
 * One full poll cycle of 1,000 upstream sources, measured.
 *
 * A child process serves every source from fake status pages on 127.0.0.1 (a mix of the six adapters, 20–150 ms
 * of latency per request, ETags and 304s), so the figures below are the worker's alone. The worker side is the
 * real thing: a file database (WAL), config synced into it, the upstream watch with its default concurrency,
 * fetcher, adapters and recorder. Cycles:
 * - first: every page is new (full bodies, every incident and maintenance recorded);
 * - unchanged: every conditional endpoint answers 304 (health checks are never conditional and still fetch);
 * - changed: every page changes (an incident title and a new update per page), so every source records.
 * For each: wall time, CPU time of this process (process.cpuUsage, user + system), peak RSS sampled during the cycle.
 * Targets: 1,000 unchanged sources in under 5 s wall and 1 s CPU; peak RSS under 250 MB.
 *
 * Run: npm run bench:poll [-- 1000 --concurrency=32 --profile] (see bench/run-compiled.sh)
 * The script compiles this file as `npm start` compiles the worker and runs it with the same Node options, so the
 * figures are those of the worker as it runs in production. (`npx tsx bench/poll-cycle.ts` works too, but then
 * the TypeScript loader's own thread adds about 40 MB.) `--profile` writes a CPU profile of each unchanged cycle.
 */
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { count, isNotNull } from 'drizzle-orm';
import { stringify } from 'yaml';
import { incidents, incidentUpdates, sources } from '../db/schema/index.ts';
import { parseConfigText } from '../worker/config/load.ts';
import { syncConfigToDatabase } from '../worker/store/sync-config.ts';
import { fetchUpstream } from '../worker/upstream/fetch.ts';
import { createUpstreamWatch, DEFAULT_CONCURRENCY } from '../worker/upstream/scheduler.ts';
import { TEST_CONFIG_YAML } from '../test/helpers/config.ts';
import { fileDatabase } from '../test/helpers/db.ts';
import { benchContext } from './lib/bench-context.ts';
import { ask } from './lib/child-ask.ts';

const SOURCES = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 1000);
const CONCURRENCY = Number(/^--concurrency=(\d+)$/.exec(process.argv.find((a) => a.startsWith('--concurrency=')) ?? '')?.[1] ?? DEFAULT_CONCURRENCY);
const SERVERS = 4;
const COMPONENTS = 100;
/** Adapter mix (weights out of 20). */
const MIX = [
  ['statuspage', 6],
  ['incidentio', 3],
  ['instatus', 3],
  ['google', 3],
  ['feed', 3],
  ['http', 2],
] as const;

type Kind = (typeof MIX)[number][0];
const kindOf = (n: number): Kind => {
  let slot = n % 20;
  for (const [kind, weight] of MIX) {
    if (slot < weight) return kind;
    slot -= weight;
  }
  return 'http';
};

// ── The fake upstreams (child process) ─────────────────────────────────────────────────────────────────────────

async function serve(): Promise<void> {
  const { readFileSync } = await import('node:fs');
  const { startUpstreamServer } = await import('../test/fakes/upstream-server.ts');
  const fixture = (name: string) => readFileSync(new URL(`../test/upstream/fixtures/${name}`, import.meta.url), 'utf8');
  const json = (name: string) => JSON.parse(fixture(name)) as Record<string, any>;
  let version = 0;
  const bodies = new Map<string, string>();

  /** The body of one endpoint at the current version: the first incident renamed and given one more update. */
  function body(kind: Kind, endpoint: string): string | undefined {
    const key = `${kind}/${endpoint}/${version}`;
    const cached = bodies.get(key);
    if (cached !== undefined) return cached;
    const mark = `(cycle ${version})`;
    const at = new Date(Date.now() - 60_000).toISOString();
    let out: string | undefined;
    if (kind === 'statuspage') {
      if (endpoint === 'api/v2/summary.json') {
        const page = json('statuspage-summary.json');
        const incident = page.incidents[0];
        incident.name = `${incident.name} ${mark}`;
        incident.updated_at = at;
        incident.incident_updates.unshift({ id: `u-${version}`, status: 'identified', body: `Still working on it ${mark}.`, created_at: at });
        out = JSON.stringify(page);
      } else if (endpoint === 'api/v2/incidents.json') out = fixture('statuspage-incidents.json');
      else if (endpoint === 'api/v2/scheduled-maintenances.json') out = fixture('statuspage-scheduled-maintenances.json');
    } else if (kind === 'incidentio' && endpoint === 'api/v1/summary') {
      const page = json('incidentio-summary.json');
      page.ongoing_incidents[0].name = `${page.ongoing_incidents[0].name} ${mark}`;
      page.ongoing_incidents[0].last_update_at = at;
      page.ongoing_incidents[0].last_update_message = `Update ${mark}`;
      out = JSON.stringify(page);
    } else if (kind === 'instatus') {
      if (endpoint === 'summary.json') {
        const page = json('instatus-summary.json');
        page.activeIncidents[0].name = `${page.activeIncidents[0].name} ${mark}`;
        out = JSON.stringify(page);
      } else if (endpoint === 'v2/components.json') out = fixture('instatus-components.json');
    } else if (kind === 'google') {
      if (endpoint === 'incidents.json') {
        const rows = JSON.parse(fixture('google-incidents.json')) as Record<string, any>[];
        rows[0]!.external_desc = `${rows[0]!.external_desc} ${mark}`;
        rows[0]!.updates.unshift({ created: at, modified: at, when: at, text: `Update ${mark}`, status: 'SERVICE_DISRUPTION' });
        out = JSON.stringify(rows);
      } else if (endpoint === 'products.json') out = fixture('google-products.json');
    } else if (kind === 'feed' && endpoint === 'history.atom') {
      out = fixture('statuspage-history.atom').replace('Calls failing to connect in Americas (US East)', `Calls failing to connect in Americas (US East) ${mark}`);
    } else if (kind === 'http' && endpoint === 'health') out = 'OK';
    if (out !== undefined) bodies.set(key, out);
    return out;
  }

  const servers = [];
  for (let i = 0; i < SERVERS; i++) {
    const server = await startUpstreamServer();
    server.fallback((req, res) => {
      const match = /^\/s\/(\d+)\/(.+)$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
      const kind = match ? kindOf(Number(match[1])) : undefined;
      const payload = kind && match ? body(kind, match[2]!) : undefined;
      const delay = 20 + Math.floor(Math.random() * 131);
      setTimeout(() => {
        if (payload === undefined) {
          res.writeHead(404).end();
          return;
        }
        const etag = `"${kind}-${version}-${payload.length}"`;
        if (kind !== 'http' && req.headers['if-none-match'] === etag) {
          res.writeHead(304, { ETag: etag }).end();
          return;
        }
        const type = kind === 'feed' ? 'application/atom+xml' : kind === 'http' ? 'text/plain' : 'application/json';
        res.writeHead(200, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(payload), ETag: etag }).end(payload);
      }, delay);
    });
    servers.push(server);
  }
  process.on('message', (message: { change?: boolean }) => {
    if (message.change) {
      version += 1;
      bodies.clear();
      process.send?.({ changed: version });
    }
  });
  process.send?.({ ready: servers.map((s) => s.url) });
}

// ── The worker (this process, measured) ────────────────────────────────────────────────────────────────────────

function sourceUrl(base: string, n: number): string {
  const root = `${base}/s/${n}/`;
  switch (kindOf(n)) {
    case 'google':
      return `${root}incidents.json`;
    case 'feed':
      return `${root}history.atom`;
    case 'http':
      return `${root}health`;
    default:
      return root;
  }
}

/** `--profile`: a CPU profile of each unchanged cycle, written to the working folder for Chrome DevTools. */
const PROFILE = process.argv.includes('--profile');
const profiler = (() => {
  let session: import('node:inspector/promises').Session | null = null;
  return {
    async start(): Promise<void> {
      const { Session } = await import('node:inspector/promises');
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    },
    async stop(name: string): Promise<void> {
      if (!session) return;
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      session = null;
      const file = `poll-cycle-${name}.cpuprofile`;
      writeFileSync(file, JSON.stringify(profile));
      console.log(`CPU profile: ${file}`);
    },
  };
})();

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function main(): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const bases = await ask<string[]>(child, {}, 'ready');
  const database = await fileDatabase();

  const raw = (await import('yaml')).parse(TEST_CONFIG_YAML) as Record<string, unknown>;
  raw.sources = Array.from({ length: SOURCES }, (_, n) => ({
    id: `s${n}`,
    name: `Provider ${n}`,
    type: kindOf(n),
    url: sourceUrl(bases[n % bases.length]!, n),
    interval: '60s',
  }));
  raw.components = Array.from({ length: COMPONENTS }, (_, c) => ({
    id: `c${c}`,
    name: `Component ${c}`,
    sources: Array.from({ length: SOURCES }, (_, n) => n).filter((n) => n % COMPONENTS === c).map((n) => `s${n}`),
  }));
  const config = parseConfigText(stringify(raw), 'bench.config.yaml');
  await syncConfigToDatabase(database.db, config, new Date());

  let published = 0;
  const ctx = benchContext(database, config, () => {
    published += 1;
  });
  const statuses = new Map<string, number>();
  const fetcher: typeof fetchUpstream = async (target, options) => {
    const result = await fetchUpstream(target, options);
    const key = result.ok ? String(result.status) : result.error.kind;
    statuses.set(key, (statuses.get(key) ?? 0) + 1);
    return result;
  };
  const watch = createUpstreamWatch(ctx, { fetcher, concurrency: CONCURRENCY });

  console.log(`Poll cycle: ${SOURCES} sources (${MIX.map(([k, w]) => `${k} ${(w / 20) * 100}%`).join(', ')}), ${SERVERS} fake servers in a child process, 20–150 ms per request`);
  console.log(`Worker: concurrency ${CONCURRENCY}, file database (WAL), Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'})\n`);

  const baseline = process.memoryUsage().rss;
  const rows: string[][] = [];
  async function cycle(label: string): Promise<void> {
    await database.db.update(sources).set({ nextPollAt: null });
    statuses.clear();
    const publishedBefore = published;
    if (global.gc) global.gc();
    let peak = process.memoryUsage.rss();
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage.rss());
    }, 20);
    const profiling = PROFILE && label.startsWith('unchanged');
    if (profiling) await profiler.start();
    const cpu = process.cpuUsage();
    const started = performance.now();
    await watch.tick();
    await watch.idle();
    if (profiling) await profiler.stop(`${label.replace(/\W+/g, '-')}-${rows.length}`);
    const wall = performance.now() - started;
    const used = process.cpuUsage(cpu);
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage.rss());
    const failed = (await database.db.select({ n: count() }).from(sources).where(isNotNull(sources.lastError)))[0]!.n;
    const answers = [...statuses.entries()].sort().map(([k, v]) => `${k}×${v}`).join(' ');
    rows.push([label, `${(wall / 1000).toFixed(2)} s`, `${((used.user + used.system) / 1e6).toFixed(2)} s`, `${(used.user / 1e6).toFixed(2)} + ${(used.system / 1e6).toFixed(2)} s`, mb(peak), `${published - publishedBefore}`, `${failed}`, answers]);
  }

  await cycle('first (all new)');
  await cycle('unchanged (304)');
  await ask(child, { change: true }, 'changed');
  await cycle('changed');
  await cycle('unchanged (304)');
  await ask(child, { change: true }, 'changed');
  await cycle('changed');
  await cycle('unchanged (304)');

  const head = ['cycle', 'wall', 'CPU', 'user + system', 'peak RSS', 'sources changed', 'sources failing', 'answers'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(line(head));
  for (const row of rows) console.log(line(row));
  const totals = {
    incidents: (await database.db.select({ n: count() }).from(incidents))[0]!.n,
    updates: (await database.db.select({ n: count() }).from(incidentUpdates))[0]!.n,
  };
  console.log(`\nRecorded: ${totals.incidents} incidents, ${totals.updates} incident updates.`);
  console.log(`RSS before the first cycle (runtime, modules, database, config of ${SOURCES} sources): ${mb(baseline)}; lifetime peak ${mb(process.resourceUsage().maxRSS * 1024)}.`);
  console.log('Targets: unchanged cycle < 5 s wall and < 1 s CPU; peak RSS < 250 MB.');

  await watch.stop();
  database.cleanup();
  child.kill();
}

if (process.argv.includes('--serve')) void serve();
else await main();
