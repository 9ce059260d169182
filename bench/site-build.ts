/**
 * The public site, measured.
 *
 * 1. Rendering on the large fixture (100 components, 5,000 incidents of which 500 open, 20 windows), as the worker
 *    logs it: the renderer's build (once per version of the site's sources; this script removes earlier ones first
 *    so it is counted), the start-up rendering, and the rendering one admin write causes; then how long after the
 *    write the home page's HTML shows it, the first and the repeated request of pages rendered on demand, and the
 *    memory of the worker and of its renderer process. `--static-export` also times a full static `astro build` of
 *    the same data (every page in every language, for static hosting).
 * 2. The home page's transfer budget on a typical page (12 components, 90-day bars, 3 open incidents): headless
 *    Chromium (Debian's) loads `/` from Vigía with `Accept-Encoding: gzip, deflate, br` as a browser sends it, and
 *    every response it fetches is counted with its bytes on the wire (encoded body + headers), by type; JavaScript
 *    separately, raw and on the wire.
 *
 * Run: npm run bench:site [-- --static-export] [-- --home-only]
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { BUILD_SCRATCH_DIR, astroBin } from '../worker/site/renderer-build.ts';
import { HOME, LARGE } from './fixtures/large.ts';
import { ADMIN_TOKEN, ROOT, childrenRssMb, machine, startVigia } from './lib/vigia-process.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

async function timed(url: string): Promise<{ ms: number; status: number; bytes: number; body: string }> {
  const started = performance.now();
  const res = await fetch(url, { headers: { 'accept-encoding': 'br' } });
  const body = await res.text();
  return { ms: performance.now() - started, status: res.status, bytes: body.length, body };
}

async function renderTimes() {
  for (const name of readdirSync(join(ROOT, BUILD_SCRATCH_DIR), { withFileTypes: true }).map((e) => e.name)) {
    if (name.startsWith('renderer-')) rmSync(join(ROOT, BUILD_SCRATCH_DIR, name), { recursive: true, force: true });
  }
  const vigia = await startVigia({ shape: LARGE, env: { LOG_LEVEL: 'info', VIGIA_JOBS: '0' }, startTimeoutS: 300 });
  try {
    const renderer = vigia.firstLog('site renderer built');
    const startup = vigia.firstLog('site rendered');
    if (!renderer || !startup) throw new Error('the worker did not log its renderer build and first rendering');
    console.log(`Renderer build (once per version of the site's sources, not per change): ${(renderer.ms / 1000).toFixed(1)} s`);
    console.log(`Start-up to ready: ${(vigia.readyMs / 1000).toFixed(1)} s, of which the first rendering ${startup.ms} ms (${startup.pages} pages; the site has ${startup.known})`);

    const title = `Prueba de publicación ${Date.now()}`;
    const rendered = vigia.nextLog('site rendered', 60_000);
    const wrote = performance.now();
    const res = await fetch(`${vigia.url}/api/admin/incidents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title, severity: 2, message: 'Investigamos.', components: ['c000'] }),
    });
    if (res.status !== 201) throw new Error(`write refused: ${res.status}`);
    const incident = ((await res.json()) as { incident: { id: string } }).incident.id;
    let seen = 0;
    for (let i = 0; i < 600 && !seen; i++) {
      if ((await timed(`${vigia.url}/`)).body.includes(title)) seen = performance.now() - wrote;
      else await new Promise((r) => setTimeout(r, 50));
    }
    const line = await rendered;
    const split = line.renderer_ms ? ` (renderer: reading the API ${Math.round(line.renderer_ms.data)} ms, listing pages ${Math.round(line.renderer_ms.list)} ms, rendering ${Math.round(line.renderer_ms.render)} ms)` : '';
    console.log(`One admin write: home pages rendered again in ${line.ms} ms (${line.pages} pages)${split}; the write visible in the home page's HTML ${seen ? `${Math.round(seen)} ms` : 'not within 30 s'} after it was made`);

    for (const [what, path] of [
      ['incident page', `/incidents/${incident}`],
      ['component page', '/components/c001'],
      ['history month', '/history/'],
      ['English home page', '/en/'],
    ] as const) {
      const first = await timed(`${vigia.url}${path}`);
      const again = await timed(`${vigia.url}${path}`);
      console.log(`  ${what.padEnd(18)} ${path.padEnd(28)} ${first.status} ${(first.bytes / 1024).toFixed(0).padStart(5)} KiB: first request ${first.ms.toFixed(0).padStart(5)} ms, then ${again.ms.toFixed(1)} ms`);
    }
    console.log(`Memory: worker RSS ${vigia.rssMb()} MB (peak ${vigia.peakRssMb()} MB); renderer process ${childrenRssMb(vigia.pid)} MB`);

    if (process.argv.includes('--static-export')) {
      const started = performance.now();
      const out = join(ROOT, BUILD_SCRATCH_DIR, `export-${process.pid}`);
      const run = spawnSync(process.execPath, [astroBin(ROOT), 'build', '--outDir', out, '--silent'], {
        cwd: ROOT,
        env: { ...process.env, VIGIA_API_URL: vigia.url, ASTRO_TELEMETRY_DISABLED: '1' },
        encoding: 'utf8',
      });
      const files = run.status === 0 ? readdirSync(out, { recursive: true }).length : 0;
      rmSync(out, { recursive: true, force: true });
      if (run.status !== 0) throw new Error(`static export failed: ${run.stderr.slice(-2_000)}`);
      console.log(`Static export (astro build of every page, for static hosting): ${((performance.now() - started) / 1000).toFixed(1)} s, ${files} files and folders`);
    }
  } finally {
    await vigia.stop();
  }
}

async function homeBudget() {
  const vigia = await startVigia({ shape: HOME, env: { VIGIA_JOBS: '0' } });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const requests = new Map<string, { url: string; type: string; encoding: string }>();
    const rows: { url: string; type: string; encoding: string; wire: number; raw: number }[] = [];
    const raw = new Map<string, number>();
    cdp.on('Network.responseReceived', (e: any) =>
      requests.set(e.requestId, { url: e.response.url, type: e.type, encoding: e.response.headers['content-encoding'] ?? e.response.headers['Content-Encoding'] ?? '' }),
    );
    cdp.on('Network.dataReceived', (e: any) => raw.set(e.requestId, (raw.get(e.requestId) ?? 0) + e.dataLength));
    cdp.on('Network.loadingFinished', (e: any) => {
      const r = requests.get(e.requestId);
      if (r) rows.push({ ...r, wire: e.encodedDataLength, raw: raw.get(e.requestId) ?? 0 });
    });
    await page.goto(`${vigia.url}/`, { waitUntil: 'networkidle' });
    // Scripts and styles written into the HTML travel inside the document: counted apart, decoded.
    const inline = await page.evaluate(() => ({
      scripts: Array.from(document.querySelectorAll('script:not([src])')).reduce((a, s) => a + new TextEncoder().encode(s.textContent ?? '').length, 0),
      styles: Array.from(document.querySelectorAll('style')).reduce((a, s) => a + new TextEncoder().encode(s.textContent ?? '').length, 0),
    }));
    const total = rows.reduce((a, r) => a + r.wire, 0);
    const js = rows.filter((r) => r.type === 'Script');
    console.log(`\nHome page, ${HOME.components} components, ${HOME.open} open incidents, ${HOME.days} days of history (Chromium, cache off):`);
    for (const r of rows) {
      console.log(`  ${r.type.padEnd(10)} ${String(r.wire).padStart(7)} B on the wire  ${String(r.raw).padStart(7)} B decoded  ${(r.encoding || 'identity').padEnd(8)} ${new URL(r.url).pathname}`);
    }
    console.log(`  total: ${rows.length} responses, ${(total / 1024).toFixed(1)} KiB on the wire; JavaScript ${js.length} files, ${(js.reduce((a, r) => a + r.wire, 0) / 1024).toFixed(1)} KiB on the wire (${(js.reduce((a, r) => a + r.raw, 0) / 1024).toFixed(1)} KiB decoded)`);
    console.log(`  inside the HTML: inline scripts ${(inline.scripts / 1024).toFixed(1)} KiB, inline styles ${(inline.styles / 1024).toFixed(1)} KiB (decoded)`);
  } finally {
    await browser.close();
    await vigia.stop();
  }
}

async function main() {
  console.log(`Machine: ${machine()}`);
  if (!process.argv.includes('--home-only')) await renderTimes();
  await homeBudget();
}

void main();
