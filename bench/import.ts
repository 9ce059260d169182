/**
 * A large subscriber import while the public reads go on.
 *
 * Vigía starts as `npm start` runs it (compiled worker, same Node options, jobs on, no site) on the home-sized
 * fixture (12 components). The script sends one CSV import of `--rows` subscribers (default 100,000; each row an
 * address, one or two components, a locale and a time zone) to `POST /api/admin/subscribers/import`, streamed in 64 KiB
 * chunks, while a poller asks for `/api/v2/summary.json` back to back (one request at a time) and a second one reads
 * the import's progress every 500 ms. It prints the import's time, the worker's RSS before and its peak (VmHWM) during
 * the import, the summary's worst and 99th-percentile latency during the import (and, for comparison, over 5 s before it,
 * with nothing else going on), the worker's own event-loop delay over both (a probe loaded with `--import`, as in
 * `bench:read`), and the import's answer.
 *
 * Run: npm run bench:import [-- --rows=100000]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HOME } from './fixtures/large.ts';
import { PROBE, probe } from './lib/loop-probe.ts';
import { ADMIN_TOKEN, machine, onCleanup, percentile, startVigia } from './lib/vigia-process.ts';

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const ROWS = arg('rows', 100_000);
const LOCALES = ['es', 'en', 'pt-BR'];
const ZONES = ['America/Bogota', 'America/Mexico_City', 'America/Lima', 'America/Sao_Paulo'];

function* csvChunks(): Generator<Buffer> {
  let chunk = 'email,components,locale,timezone\n';
  for (let i = 0; i < ROWS; i++) {
    const a = `c${String(i % HOME.components).padStart(3, '0')}`;
    const b = `c${String((i * 7) % HOME.components).padStart(3, '0')}`;
    chunk += `persona${i}@cliente${i % 997}.example,${a === b ? a : `${a};${b}`},${LOCALES[i % 3]},${ZONES[i % 4]}\n`;
    if (chunk.length >= 64 * 1024) {
      yield Buffer.from(chunk);
      chunk = '';
    }
  }
  if (chunk) yield Buffer.from(chunk);
}

/** Sends the CSV chunk by chunk (chunked transfer encoding), waiting for the socket to drain between chunks. */
function postImport(base: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}/api/admin/subscribers/import?consent_source=bench`,
      { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv; charset=utf-8' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      },
    );
    req.on('error', reject);
    const chunks = csvChunks();
    const next = () => {
      for (;;) {
        const { value, done } = chunks.next();
        if (done) return void req.end();
        if (!req.write(value)) return void req.once('drain', next);
      }
    };
    next();
  });
}

const probeDir = mkdtempSync(join(tmpdir(), 'vigia-import-probe-'));
onCleanup(() => rmSync(probeDir, { recursive: true, force: true }));
const probeFile = join(probeDir, 'probe.mjs');
writeFileSync(probeFile, PROBE);
const vigia = await startVigia({ shape: HOME, site: false, nodeArgs: ['--import', pathToFileURL(probeFile).href] });
try {
  const base = vigia.url;
  await fetch(`${base}/api/v2/summary.json`).then((r) => r.arrayBuffer());
  // The same poller for a few seconds before the import: the machine's own latency, for comparison.
  await probe(vigia);
  const idle: number[] = [];
  for (const end = performance.now() + 5_000; performance.now() < end; ) {
    const started = performance.now();
    await fetch(`${base}/api/v2/summary.json`).then((r) => r.arrayBuffer());
    idle.push(performance.now() - started);
  }
  idle.sort((a, b) => a - b);
  const idleLoop = await probe(vigia);
  const rssBefore = vigia.rssMb();
  const peakBefore = vigia.peakRssMb();

  let importing = true;
  const latencies: number[] = [];
  const poller = (async () => {
    while (importing) {
      const started = performance.now();
      const res = await fetch(`${base}/api/v2/summary.json`);
      await res.arrayBuffer();
      latencies.push(performance.now() - started);
    }
  })();
  let lastProgress: unknown = null;
  const progress = setInterval(() => {
    void fetch(`${base}/api/admin/subscribers/imports`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
      .then((r) => r.json())
      .then((body: any) => (lastProgress = body.imports?.[0] ?? lastProgress))
      .catch(() => undefined);
  }, 500);
  let peakDuring = 0;
  const sampler = setInterval(() => (peakDuring = Math.max(peakDuring, vigia.rssMb())), 100);

  const started = performance.now();
  const answer = await postImport(base);
  const importMs = performance.now() - started;
  const importLoop = await probe(vigia);
  importing = false;
  clearInterval(progress);
  clearInterval(sampler);
  await poller;
  const sorted = [...latencies].sort((a, b) => a - b);

  console.log(`import of ${ROWS.toLocaleString('en')} rows (CSV, streamed) · ${machine()}`);
  console.log(`  answer: ${answer.status} ${answer.body.slice(0, 300)}`);
  console.log(`  time: ${(importMs / 1000).toFixed(1)} s (${Math.round(ROWS / (importMs / 1000)).toLocaleString('en')} rows/s)`);
  console.log(`  RSS: ${rssBefore} MB before; peak ${Math.max(peakDuring, vigia.peakRssMb() === peakBefore ? 0 : vigia.peakRssMb())} MB during (VmHWM ${vigia.peakRssMb()} MB); ${vigia.rssMb()} MB after`);
  console.log(
    `  summary.json during the import: ${latencies.length} requests, p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, worst ${sorted.at(-1)?.toFixed(1)} ms`,
  );
  console.log(`  summary.json before the import (idle, 5 s): ${idle.length} requests, p50 ${percentile(idle, 50).toFixed(1)} ms, p99 ${percentile(idle, 99).toFixed(1)} ms, worst ${idle.at(-1)?.toFixed(1)} ms`);
  const loop = (p: typeof idleLoop) => `max ${p.delay_ms.max.toFixed(1)} ms, p99 ${p.delay_ms.p99.toFixed(1)} ms, mean ${p.delay_ms.mean.toFixed(1)} ms; GC: ${p.gc.minor} minor (longest ${p.gc.minor_max_ms.toFixed(1)} ms), ${p.gc.major} major (longest ${p.gc.major_max_ms.toFixed(1)} ms)`;
  console.log(`  worker's event-loop delay during the import: ${loop(importLoop)}`);
  console.log(`  worker's event-loop delay before it (idle, 5 s): ${loop(idleLoop)}`);
  console.log(`  last progress seen while importing: ${JSON.stringify(lastProgress)}`);
} finally {
  await vigia.stop();
}
