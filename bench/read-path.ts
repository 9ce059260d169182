/**
 * The public read path under an outage's traffic, side by side with nginx serving the very same bytes.
 *
 * Vigía starts as `npm start` runs it (compiled worker, same Node options) on the large fixture (100 components,
 * 5,000 incidents over 90 days of which 500 open, 20 windows). The script fetches `/api/v2/summary.json` and the
 * home page from it and writes those bytes as static files for nginx (Debian's `nginx-light`), started here on
 * 127.0.0.1 with its own configuration and prefix in a temporary folder: one worker process, gzip on, `gzip_static`
 * on with Vigía's own gzip bytes beside each file (so both send identical bytes), ETags on, access log off. A bare
 * `node:http` server (`lib/bare-node.ts`) replays the same bytes with the headers Vigía sent: what Node's HTTP stack
 * alone costs, the floor for any Node server. All three are driven by wrk (Debian's) with 100 connections and one
 * thread for a bounded time per row, rotating the servers, three rounds; each figure is the median of the three.
 *
 * Rows: summary.json without compression, with `Accept-Encoding: gzip`, a `304` revalidation (`If-None-Match`
 * with the server's own ETag), and the home page with `Accept-Encoding: gzip` (as a browser asks).
 * Targets: Vigía at 0.5× nginx's rps or better on every row, p99 at most 2× nginx's, RSS under 250 MB.
 *
 * The worker is watched without being changed: a probe loaded with `--import` measures its event loop's delay
 * (`monitorEventLoopDelay`) over each of its rows and reports its memory, and its debug log says which snapshot
 * rebuilds and site builds happened during the load. Its peak RSS is read from /proc, for the start-up (first
 * build, first site build) and for the load apart.
 *
 * Run: npm run bench:read [-- --seconds=8 --rounds=3]
 * Needs `nginx` and `wrk`: apt-get install -y nginx-light wrk
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get, type IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LARGE } from './fixtures/large.ts';
import { replayableHeaders, startBareNode, type BareManifest } from './lib/bare-node.ts';
import { PROBE, probe, type Probe } from './lib/loop-probe.ts';
import { ADMIN_TOKEN, machine, onCleanup, startVigia } from './lib/vigia-process.ts';

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const SECONDS = arg('seconds', 8);
const ROUNDS = arg('rounds', 3);
const CONNECTIONS = 100;
/** nginx, a bare node:http server replaying Vigía's bytes and headers, and Vigía. */
const SERVERS = ['nginx', 'node', 'vigia'] as const;
type Server = (typeof SERVERS)[number];

function which(cmd: string): string | null {
  const found = spawnSync('sh', ['-c', `command -v ${cmd} || ls /usr/sbin/${cmd} 2>/dev/null`], { encoding: 'utf8' }).stdout.trim().split('\n')[0];
  return found || null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

interface WrkResult {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

/** wrk's latency figures ("812.00us", "1.20ms", "1.02s") in ms. */
function ms(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!match) return NaN;
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : match[2] === 'ms' ? value : match[2] === 's' ? value * 1000 : value * 60_000;
}

function wrk(url: string, headers: Record<string, string>): WrkResult {
  const args = ['-t1', `-c${CONNECTIONS}`, `-d${SECONDS}s`, '--latency', '--timeout', '10s'];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}: ${v}`);
  const out = execFileSync('wrk', [...args, url], { encoding: 'utf8', timeout: (SECONDS + 30) * 1000 });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const p50 = ms(/^\s+50%\s+(\S+)/m.exec(out)?.[1] ?? '');
  const p99 = ms(/^\s+99%\s+(\S+)/m.exec(out)?.[1] ?? '');
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const errors = [...out.matchAll(/(connect|read|write|timeout) (\d+)/g)].reduce((a, m) => a + Number(m[2]), 0);
  return { rps, p50, p99, non2xx, errors };
}

function startNginx(dir: string, port: number): Promise<ChildProcess> {
  const www = join(dir, 'www');
  for (const d of ['temp', 'logs']) mkdirSync(join(dir, d), { recursive: true });
  const me = userInfo();
  const conf = `
# Written by bench/read-path.ts for one run.
${me.uid === 0 ? 'user root root;' : ''}
worker_processes 1;
daemon off;
master_process on;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 4096; }
http {
  types { text/html html; application/json json; image/svg+xml svg; text/css css; application/javascript js; }
  default_type application/octet-stream;
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  keepalive_timeout 65;
  client_body_temp_path ${dir}/temp/body;
  proxy_temp_path ${dir}/temp/proxy;
  fastcgi_temp_path ${dir}/temp/fastcgi;
  uwsgi_temp_path ${dir}/temp/uwsgi;
  scgi_temp_path ${dir}/temp/scgi;
  gzip on;
  gzip_static on;
  gzip_types application/json text/css application/javascript image/svg+xml;
  gzip_vary on;
  server {
    listen 127.0.0.1:${port};
    root ${www};
    index index.html;
  }
}
`;
  writeFileSync(join(dir, 'nginx.conf'), conf);
  const child = spawn(which('nginx')!, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'logs/error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  onCleanup(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  });
  // Ready when it answers; bounded.
  return (async () => {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}: ${err}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/v2/summary.json`);
        if (res.ok) return child;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`nginx did not answer within 10 s: ${err}`);
  })();
}

/** A GET's status and headers, with exactly the request headers given (the body is discarded). */
function head(url: string, headers: Record<string, string>): Promise<import('node:http').IncomingMessage> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** A response's headers and body exactly as sent (fetch would decode it). */
function rawResponse(url: string, headers: Record<string, string>): Promise<{ headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/**
 * Resets the worker's peak RSS (VmHWM) so the peak of the load can be read apart from the start-up's (Linux
 * `clear_refs`, value 5). False where the kernel does not allow it.
 */
function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const missing = ['nginx', 'wrk'].filter((c) => !which(c));
  if (missing.length) {
    console.error(`bench:read needs ${missing.join(' and ')}: apt-get install -y nginx-light wrk`);
    process.exit(2);
  }
  console.log(`Machine: ${machine()}`);
  const dir = mkdtempSync(join(tmpdir(), 'vigia-nginx-'));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  const probeFile = join(dir, 'probe.mjs');
  writeFileSync(probeFile, PROBE);
  // Debug logs: each snapshot rebuild is logged with the sources it ran, and each site build, to be counted below.
  const vigia = await startVigia({ shape: LARGE, env: { VIGIA_JOBS: '0', LOG_LEVEL: 'debug' }, nodeArgs: ['--import', pathToFileURL(probeFile).href] });
  let nginx: ChildProcess | null = null;
  let bare: ChildProcess | null = null;
  try {
    // The very bytes Vigía serves, as static files for nginx, with Vigía's own gzip encodings beside them, which
    // nginx's gzip_static serves as they are (what a static host or CDN does with precompressed files; compressing
    // 600 KB per request, as plain `gzip on` does, is no contest). The bare node:http server replays the same bytes
    // with the headers Vigía sent.
    mkdirSync(join(dir, 'www/api/v2'), { recursive: true });
    const manifest: BareManifest = {};
    const copy = async (path: string, file: string) => {
      const identity = await rawResponse(`${vigia.url}${path}`, {});
      const gzip = await rawResponse(`${vigia.url}${path}`, { 'accept-encoding': 'gzip' });
      if (identity.headers['content-encoding'] || gzip.headers['content-encoding'] !== 'gzip') throw new Error(`Vigía sent ${path} with unexpected encodings`);
      writeFileSync(join(dir, 'www', file), identity.body);
      writeFileSync(join(dir, 'www', `${file}.gz`), gzip.body);
      manifest[path] = {
        identity: { file: join(dir, 'www', file), headers: replayableHeaders(identity.headers) },
        gzip: { file: join(dir, 'www', `${file}.gz`), headers: replayableHeaders(gzip.headers) },
      };
      return identity.body;
    };
    const summaryBody = await copy('/api/v2/summary.json', 'api/v2/summary.json');
    const homeBody = await copy('/', 'index.html');
    const port = await freePort();
    nginx = await startNginx(dir, port);
    const nginxUrl = `http://127.0.0.1:${port}`;
    const barePort = await freePort();
    bare = await startBareNode(dir, barePort, manifest);
    const bareUrl = `http://127.0.0.1:${barePort}`;
    // The ETag of the identity body (fetch would ask for gzip and get the gzip variant's validator), checked to
    // really answer 304 before it is measured.
    const etagOf = async (base: string) => {
      const etag = (await head(`${base}/api/v2/summary.json`, {})).headers.etag ?? '';
      const status = (await head(`${base}/api/v2/summary.json`, { 'if-none-match': etag })).statusCode;
      if (status !== 304) throw new Error(`${base} answered ${status}, not 304, to If-None-Match: ${etag}`);
      return etag;
    };
    // Vigía's is taken again before each of its runs: summary.json changes when the clock passes an SLA target.
    let vigiaEtag = await etagOf(vigia.url);
    const nginxEtag = await etagOf(nginxUrl);
    const bareEtag = await etagOf(bareUrl);
    const gz = async (base: string, path: string) => Number((await fetch(`${base}${path}`, { headers: { 'accept-encoding': 'gzip' } })).headers.get('content-length') ?? NaN);
    const nginxVersion = spawnSync(which('nginx')!, ['-v'], { encoding: 'utf8' }).stderr.trim();
    console.log(`Vigía ${vigia.url} (pid ${vigia.pid}); ${nginxVersion} ${nginxUrl}; bare node:http ${bareUrl}`);
    console.log(`summary.json ${(summaryBody.length / 1024).toFixed(1)} KiB (Vigía gzip: ${(await gz(vigia.url, '/api/v2/summary.json') / 1024).toFixed(1)} KiB); home page ${(homeBody.length / 1024).toFixed(1)} KiB`);
    console.log(`wrk: ${CONNECTIONS} connections, 1 thread, ${SECONDS} s per row, ${ROUNDS} rounds rotating the servers; worker RSS before: ${vigia.rssMb()} MB\n`);

    const rows = [
      { name: 'summary.json, identity', path: '/api/v2/summary.json', headers: () => ({}) },
      { name: 'summary.json, gzip', path: '/api/v2/summary.json', headers: () => ({ 'Accept-Encoding': 'gzip' }) },
      { name: 'summary.json, 304', path: '/api/v2/summary.json', headers: (server: Server) => ({ 'If-None-Match': server === 'nginx' ? nginxEtag : server === 'node' ? bareEtag : vigiaEtag }) },
      { name: 'home page, gzip', path: '/', headers: () => ({ 'Accept-Encoding': 'gzip' }) },
    ];
    const results = new Map<string, { nginx: WrkResult[]; node: WrkResult[]; vigia: WrkResult[]; delay: Probe['delay_ms'][] }>(
      rows.map((r) => [r.name, { nginx: [], node: [], vigia: [], delay: [] }]),
    );
    const rebuilds: { ms: number; ran: string[]; changed: number }[] = [];
    let siteBuilds = 0;
    vigia.onLog('snapshot rebuilt', (line) => rebuilds.push({ ms: line.ms, ran: line.ran, changed: line.changed }));
    vigia.onLog('site built', () => siteBuilds++);
    const startupPeak = vigia.peakRssMb();
    const peakReset = resetPeakRss(vigia.pid);
    // The first report covers the start-up (first build, site build): left out, it only starts the count.
    await probe(vigia);
    let idleDelayMax = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      for (const row of rows) {
        // Rotate which server goes first, so none always follows another's heat.
        const order = SERVERS.map((_, i) => SERVERS[(i + round - 1) % SERVERS.length]!);
        for (const server of order) {
          // The worker's event loop is measured over its own rows only; what it did meanwhile is reported apart.
          if (server === 'vigia') idleDelayMax = Math.max(idleDelayMax, (await probe(vigia)).delay_ms.max);
          if (server === 'vigia' && row.name.endsWith('304')) vigiaEtag = await etagOf(vigia.url);
          const sched = vigia.schedMs();
          const seen = { ran: rebuilds.filter((r) => r.ran.length).length, sites: siteBuilds };
          const result = wrk(`${server === 'nginx' ? nginxUrl : server === 'node' ? bareUrl : vigia.url}${row.path}`, row.headers(server));
          const report = server === 'vigia' ? await probe(vigia) : null;
          const delay = report?.delay_ms ?? null;
          // How long the worker's event loop, ready to run, waited for a CPU (taken by wrk or other work).
          const after = vigia.schedMs();
          const waited = (after.queued - sched.queued) / (after.ran - sched.ran + after.queued - sched.queued);
          const meanwhile = [
            ...rebuilds.filter((r) => r.ran.length).slice(seen.ran).map((r) => `${r.ran.join('+')} rebuilt`),
            ...(siteBuilds > seen.sites ? ['site built'] : []),
          ];
          results.get(row.name)![server].push(result);
          if (delay) results.get(row.name)!.delay.push(delay);
          process.stdout.write(
            `  round ${round} ${row.name.padEnd(24)} ${server.padEnd(6)} ${result.rps.toFixed(0).padStart(7)} rps  p50 ${result.p50.toFixed(2)} ms  p99 ${result.p99.toFixed(2)} ms${
              report
                ? `  event loop delay max ${report.delay_ms.max.toFixed(1)} / p99 ${report.delay_ms.p99.toFixed(1)} ms; GC ${report.gc.minor} minor (max ${report.gc.minor_max_ms.toFixed(1)} ms), ${report.gc.major} major (max ${report.gc.major_max_ms.toFixed(1)} ms); waited for a CPU ${(100 * waited).toFixed(0)} % of its runnable time`
                : ''
            }${meanwhile.length ? `  (meanwhile: ${meanwhile.join(', ')})` : ''}${result.non2xx ? `  non-2xx/3xx ${result.non2xx}` : ''}${
              result.errors ? `  socket errors ${result.errors}` : ''
            }\n`,
          );
        }
      }
    }
    const end = await probe(vigia);
    idleDelayMax = Math.max(idleDelayMax, end.delay_ms.max);
    console.log(`\nMedians of ${ROUNDS} rounds:`);
    console.log('| what | nginx rps | nginx p50 / p99 | bare node rps | bare node p50 / p99 | Vigía rps | Vigía p50 / p99 | Vigía / nginx rps, p99 | Vigía / bare node rps, p99 | Vigía event-loop delay max / p99 |');
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    const figures = (xs: WrkResult[]) => ({ rps: median(xs.map((x) => x.rps)), p50: median(xs.map((x) => x.p50)), p99: median(xs.map((x) => x.p99)) });
    const cell = (f: ReturnType<typeof figures>) => `${f.rps.toFixed(0)} | ${f.p50.toFixed(2)} / ${f.p99.toFixed(2)} ms`;
    const ratio = (v: ReturnType<typeof figures>, o: ReturnType<typeof figures>) => `${(v.rps / o.rps).toFixed(2)}×, ${(v.p99 / o.p99).toFixed(2)}×`;
    for (const row of rows) {
      const r = results.get(row.name)!;
      const [n, b, v] = [figures(r.nginx), figures(r.node), figures(r.vigia)];
      const d = { max: median(r.delay.map((x) => x.max)), p99: median(r.delay.map((x) => x.p99)) };
      console.log(`| ${row.name} | ${cell(n)} | ${cell(b)} | ${cell(v)} | ${ratio(v, n)} | ${ratio(v, b)} | ${d.max.toFixed(1)} / ${d.p99.toFixed(1)} ms |`);
    }
    const allDelays = [...results.values()].flatMap((r) => r.delay);
    console.log(
      `\nWorker event-loop delay: max ${Math.max(...allDelays.map((d) => d.max)).toFixed(1)} ms under load (worst p99 of a row ${Math.max(...allDelays.map((d) => d.p99)).toFixed(1)} ms); max ${idleDelayMax.toFixed(1)} ms while the other servers were measured`,
    );
    const ranAny = rebuilds.filter((r) => r.ran.length);
    const ranNames = [...new Set(ranAny.flatMap((r) => r.ran))];
    console.log(
      `During the load: ${rebuilds.length} snapshot rebuilds, ${ranAny.length} of which ran a source (${ranNames.join(', ') || 'none'}; longest rebuild ${Math.max(0, ...rebuilds.map((r) => r.ms))} ms), ${rebuilds.filter((r) => r.changed).length} changed a document; ${siteBuilds} site builds`,
    );
    const m = end.memory_mb;
    console.log(`Worker memory after: RSS ${m.rss} MB (V8 heap ${m.heap_used} MB used of ${m.heap_total} MB; external ${m.external} MB, of which array buffers ${m.array_buffers} MB)`);
    console.log(
      `Worker RSS peak: ${peakReset ? `${vigia.peakRssMb()} MB during the load, ` : ''}${startupPeak} MB from its start to the load (start-up and first site build)${peakReset ? '' : `, ${vigia.peakRssMb()} MB overall`}\n`,
    );

    // After the rows, with no request load: a staff update to an open incident, and the rebuild it causes (the heavy
    // sources included, their interval long passed), with the worker's event loop watched.
    const rebuildAfter = async (what: (ran: string[]) => boolean, timeoutMs: number) => {
      const start = rebuilds.length;
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const found = rebuilds.slice(start).find((r) => what(r.ran));
        if (found) return found;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('no rebuild after the write');
    };
    await probe(vigia);
    const schedBefore = vigia.schedMs();
    const rebuilt = rebuildAfter((ran) => ran.includes('statuspage-v2'), 60_000);
    const update = await fetch(`${vigia.url}/api/admin/incidents/inc00000/updates`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'identified', message: 'Identificamos la causa.' }),
    });
    if (update.status !== 201) throw new Error(`the update answered ${update.status}: ${await update.text()}`);
    const rebuild = await rebuilt;
    const report = await probe(vigia);
    const schedAfter = vigia.schedMs();
    console.log(
      `Rebuild after a write: ran ${rebuild.ran.join(', ')} in ${rebuild.ms} ms; event loop delay meanwhile max ${report.delay_ms.max.toFixed(1)} / p99 ${report.delay_ms.p99.toFixed(1)} ms, GC max ${Math.max(report.gc.minor_max_ms, report.gc.major_max_ms).toFixed(1)} ms`,
    );
    const waitedShare = (schedAfter.queued - schedBefore.queued) / (schedAfter.ran - schedBefore.ran + schedAfter.queued - schedBefore.queued);
    console.log(
      `Meanwhile the worker waited for a CPU ${(100 * waitedShare).toFixed(0)} % of its runnable time (the site build the write starts runs beside it); its RSS peak since the load: ${vigia.peakRssMb()} MB`,
    );
    console.log(`Machine after: ${machine()}`);
  } finally {
    for (const child of [nginx, bare]) {
      if (!child || child.exitCode !== null) continue;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await vigia.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
