/**
 * The admin write path, measured: 8 clients open incidents through the admin API, each followed by one update
 * (half of them resolve it), on the large fixture (100 components, 5,000 incidents, 500 open); then how fresh the
 * public side stays while that stream goes on.
 *
 * Phase 1, rate: N incidents (default 5,000) with an update each = 2N writes; writes/s over the whole phase, and
 * p50 / p99 latency of each kind of write.
 * Phase 2, freshness: the same 8 writers keep writing while a probe opens one marked incident (5 probes, 2 s apart)
 * and polls `/api/v2/incidents/unresolved.json` and the home page every 100 ms until the incident appears (each
 * probe gives up after 90 s): the time from the probe's 201 to each, and the site renderings logged meanwhile.
 *
 * The stream runs at `--stream-rate` writes/s (default 28: the steady stream admins made in the field, 5,000 incidents
 * with an update each over six minutes; 0: as fast as the writers can).
 *
 * Run: npm run bench:write [-- --incidents=5000 --probes=5 --stream-rate=28 --profile --no-site]
 * `--profile` runs the worker and the site's renderer process with `--cpu-prof`; their profiles are written to
 * `bench/results/` when they stop.
 * `--no-site` runs the worker without the site (the write path alone, without the site's renderer competing for
 * the cores).
 */
import { join } from 'node:path';
import { LARGE } from './fixtures/large.ts';
import { ADMIN_TOKEN, childrenRssMb, machine, percentile, ROOT, startVigia } from './lib/vigia-process.ts';

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const INCIDENTS = arg('incidents', 5_000);
const CLIENTS = arg('clients', 8);
const PROBES = arg('probes', 5);
/**
 * Writes per second during the freshness phase: a steady stream, by default the one a provider's admins made in the
 * field (5,000 incidents with an update each over six minutes, about 28 writes/s); 0 writes as fast as the 8 writers
 * can, which only says how the page fares once the worker is saturated.
 */
const STREAM_RATE = arg('stream-rate', 28);
const PROBE_LIMIT_MS = 90_000;
const PROFILE = process.argv.includes('--profile');
const SITE = !process.argv.includes('--no-site');

const headers = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };

async function post(url: string, body: unknown): Promise<{ ms: number; json: any }> {
  const started = performance.now();
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  const json = await res.json();
  const ms = performance.now() - started;
  if (res.status !== 201) throw new Error(`${url}: ${res.status} ${JSON.stringify(json)}`);
  return { ms, json };
}

const COMPONENTS = Array.from({ length: LARGE.components }, (_, n) => `c${String(n).padStart(3, '0')}`);

/** One writer: open an incident, then post its update; until `next()` says stop. */
async function writer(base: string, next: () => number | null | Promise<number | null>, latencies: { open: number[]; update: number[] }, tag: string) {
  for (let n = await next(); n !== null; n = await next()) {
    const opened = await post(`${base}/api/admin/incidents`, {
      title: `Carga ${tag} ${n}`,
      severity: (n % 4) + 1,
      message: 'Investigamos demoras en el servicio.',
      components: [COMPONENTS[n % COMPONENTS.length]],
    });
    latencies.open.push(opened.ms);
    const updated = await post(`${base}/api/admin/incidents/${opened.json.incident.id}/updates`, {
      status: n % 2 ? 'resolved' : 'identified',
      message: n % 2 ? 'Servicio restablecido.' : 'Identificamos la causa.',
    });
    latencies.update.push(updated.ms);
  }
}

const summary = (list: number[]) => {
  const sorted = [...list].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms`;
};

async function waitFor(check: () => Promise<boolean>, limitMs: number): Promise<number | null> {
  const started = performance.now();
  while (performance.now() - started < limitMs) {
    if (await check()) return performance.now() - started;
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}

async function main() {
  console.log(`Machine: ${machine()}`);
  // Debug: each snapshot rebuild is logged with its time and the sources it ran. The worker passes --cpu-prof on to
  // the renderer process it forks.
  const vigia = await startVigia({
    shape: LARGE,
    site: SITE,
    env: { LOG_LEVEL: 'debug' },
    nodeArgs: PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${join(ROOT, 'bench/results')}`] : [],
  });
  console.log(`Fixture seeded in ${(vigia.seedMs / 1000).toFixed(1)} s: ${vigia.seeded.incidents} incidents, ${vigia.seeded.updates} updates, ${vigia.seeded.windows} windows; worker RSS ${vigia.rssMb()} MB`);
  try {
    // Phase 1: the write rate.
    const latencies = { open: [] as number[], update: [] as number[] };
    let issued = 0;
    const cpuBefore = vigia.cpuMs();
    const schedBefore = vigia.schedMs();
    const started = performance.now();
    await Promise.all(Array.from({ length: CLIENTS }, () => writer(vigia.url, () => (issued < INCIDENTS ? issued++ : null), latencies, 'a')));
    const seconds = (performance.now() - started) / 1000;
    const writes = latencies.open.length + latencies.update.length;
    const cpu = vigia.cpuMs() - cpuBefore;
    const sched = vigia.schedMs();
    console.log(`\nWrite rate, ${CLIENTS} clients: ${INCIDENTS} incidents + ${INCIDENTS} updates in ${seconds.toFixed(1)} s = ${(writes / seconds).toFixed(0)} writes/s`);
    console.log(`  open incident:  ${summary(latencies.open)}`);
    console.log(`  post an update: ${summary(latencies.update)}`);
    console.log(`  all writes:     ${summary([...latencies.open, ...latencies.update])}`);
    console.log(`  worker CPU ${(cpu / 1000).toFixed(1)} s = ${(cpu / writes).toFixed(2)} ms per write (${((cpu / 1000 / seconds) * 100).toFixed(0)} % of one core)`);
    console.log(
      `  event loop thread: on a CPU ${((sched.ran - schedBefore.ran) / 1000).toFixed(1)} s, runnable but waiting for a CPU ${((sched.queued - schedBefore.queued) / 1000).toFixed(1)} s, of ${seconds.toFixed(1)} s`,
    );
    console.log(`  worker RSS ${vigia.rssMb()} MB (peak ${vigia.peakRssMb()} MB)`);
    console.log(`  machine at the end of the phase: ${machine()}`);

    // Phase 2: freshness under a continuous stream.
    if (PROBES === 0) return;
    const builds: Record<string, any>[] = [];
    vigia.onLog('site rendered', (line) => builds.push(line));
    const rebuilds: { ms: number; cpu_ms?: number; read_ms?: number; ran: string[]; took?: Record<string, number>; heavy?: boolean }[] = [];
    vigia.onLog('snapshot rebuilt', (line) => rebuilds.push(line as (typeof rebuilds)[number]));
    let streaming = true;
    let streamed = 0;
    const streamStart = performance.now();
    // Tickets for the writers: one incident (two writes) each, handed out at the stream's rate.
    const ticket = async () => {
      if (!streaming) return null;
      const n = streamed++;
      const wait = STREAM_RATE > 0 ? streamStart + (n * 2 * 1000) / STREAM_RATE - performance.now() : 0;
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      return streaming ? n : null;
    };
    const stream = Promise.all(Array.from({ length: CLIENTS }, () => writer(vigia.url, ticket, { open: [], update: [] }, 'b')));
    const api: (number | null)[] = [];
    const page: (number | null)[] = [];
    for (let p = 0; p < PROBES; p++) {
      const title = `Sonda de frescura ${p} ${Date.now()}`;
      const { json } = await post(`${vigia.url}/api/admin/incidents`, { title, severity: 2, message: 'Sonda.', components: ['c000'] });
      const id = json.incident.id as string;
      const [a, h] = await Promise.all([
        waitFor(async () => (await (await fetch(`${vigia.url}/api/v2/incidents/unresolved.json`)).text()).includes(id), PROBE_LIMIT_MS),
        waitFor(async () => (await (await fetch(`${vigia.url}/`)).text()).includes(title), PROBE_LIMIT_MS),
      ]);
      api.push(a);
      page.push(h);
      const shown = (x: number | null) => (x === null ? `> ${PROBE_LIMIT_MS / 1000} s` : `${(x / 1000).toFixed(2)} s`);
      console.log(`  probe ${p + 1}: API ${shown(a)}, home page ${shown(h)}`);
      await new Promise((r) => setTimeout(r, 2_000));
    }
    streaming = false;
    await stream;
    const show = (list: (number | null)[]) => {
      const seen = list.filter((x): x is number => x !== null).sort((a, b) => a - b);
      const missed = list.length - seen.length;
      if (!seen.length) return `none seen within ${PROBE_LIMIT_MS / 1000} s`;
      return `median ${(percentile(seen, 50) / 1000).toFixed(2)} s, worst ${(seen[seen.length - 1]! / 1000).toFixed(2)} s${missed ? `, ${missed} not seen within ${PROBE_LIMIT_MS / 1000} s` : ''}`;
    };
    const rate = (streamed * 2) / ((performance.now() - streamStart) / 1000);
    console.log(`\nFreshness during a continuous stream (${streamed} more incidents written meanwhile, ${rate.toFixed(0)} writes/s):`);
    console.log(`  in /api/v2/incidents/unresolved.json: ${show(api)}`);
    console.log(`  in the home page HTML:                ${show(page)}`);
    const median = (list: number[]) => (list.length ? percentile([...list].sort((a, b) => a - b), 50) : NaN);
    const inSeconds = (ms: number) => (Number.isNaN(ms) ? '-' : `${(ms / 1000).toFixed(2)} s`);
    const times = builds.map((b) => b.ms as number);
    console.log(`  site renderings meanwhile: ${builds.length}, median ${inSeconds(median(times))}, longest ${inSeconds(Math.max(...times))}`);
    const split = (name: string) => median(builds.map((b) => b.renderer_ms?.[name]).filter((x): x is number => typeof x === 'number'));
    console.log(
      `    median wait for the publisher ${inSeconds(median(builds.map((b) => b.waited_ms).filter((x): x is number => typeof x === 'number')))}; in the renderer process, median: reading the data ${inSeconds(split('data'))}, rendering ${inSeconds(split('render'))}, its CPU ${inSeconds(split('cpu'))}; pages rendered per rendering ${median(builds.map((b) => b.pages))}`,
    );
    const ran = rebuilds.filter((r) => r.ran.length);
    const count = (name: string) => ran.filter((r) => r.ran.includes(name)).length;
    const names = [...new Set(ran.flatMap((r) => r.ran))];
    const runs = (list: typeof ran, what: string) =>
      `${what}: ${list.length}, median ${inSeconds(median(list.map((r) => r.ms)))}, longest ${inSeconds(Math.max(...list.map((r) => r.ms)))}; CPU of the worker meanwhile (writes included) median ${inSeconds(median(list.map((r) => r.cpu_ms ?? NaN).filter((x) => !Number.isNaN(x))))}`;
    console.log(`  ${runs(ran.filter((r) => !r.heavy), 'snapshot rebuilds meanwhile')}`);
    if (ran.some((r) => r.heavy)) console.log(`  ${runs(ran.filter((r) => r.heavy), 'heavy sources run beside them')}`);
    const took = (name: string) => inSeconds(median(ran.map((r) => r.took?.[name]).filter((x): x is number => typeof x === 'number')));
    console.log(`    sources run: ${names.map((n) => `${n} ${count(n)}× (median ${took(n)})`).join(', ')}`);
    console.log(`    reading the state, median ${inSeconds(median(ran.map((r) => r.read_ms).filter((x): x is number => typeof x === 'number')))}`);
    console.log(`  worker RSS ${vigia.rssMb()} MB (peak ${vigia.peakRssMb()} MB)${SITE ? `, the site's renderer ${childrenRssMb(vigia.pid)} MB` : ''}`);
  } finally {
    await vigia.stop(PROFILE ? 180_000 : undefined).catch(() => undefined);
    if (PROFILE) console.log(`CPU profile of the worker: ${join(ROOT, 'bench/results')}/CPU.*.cpuprofile`);
  }
}

void main();
