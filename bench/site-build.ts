/**
 * The static site, measured.
 *
 * 1. Build time on the large fixture (100 components, 5,000 incidents of which 500 open, 20 windows): the start-up
 *    build, then a rebuild caused by one admin write, as the worker logs them ("site built", with its ms: Astro
 *    plus the precompression of every file).
 * 2. The home page's transfer budget on a typical page (12 components, 90-day bars, 3 open incidents): headless
 *    Chromium (Debian's) loads `/` from Vigía with `Accept-Encoding: gzip, deflate, br` as a browser sends it, and
 *    every response it fetches is counted with its bytes on the wire (encoded body + headers), by type; JavaScript
 *    separately, raw and on the wire.
 *
 * Run: npm run bench:site
 */
import { chromium } from 'playwright-core';
import { HOME, LARGE } from './fixtures/large.ts';
import { ADMIN_TOKEN, machine, startVigia } from './lib/vigia-process.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

async function buildTimes() {
  const vigia = await startVigia({ shape: LARGE, env: { LOG_LEVEL: 'info', VIGIA_JOBS: '0' }, startTimeoutS: 300 });
  try {
    // The start-up build finished before the worker said it was running; its log line came first, so read the
    // next one: a rebuild caused by one write (coalesced: it starts after a quiet second).
    const built = vigia.nextLog('site built', 300_000);
    const res = await fetch(`${vigia.url}/api/admin/incidents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Prueba de reconstrucción', severity: 2, message: 'Investigamos.', components: ['c000'] }),
    });
    if (res.status !== 201) throw new Error(`write refused: ${res.status}`);
    const line = await built;
    console.log(`Site rebuild on the large fixture: ${(line.ms / 1000).toFixed(1)} s (${line.files} files, ${(line.bytes / 1e6).toFixed(1)} MB, brotli ${(line.br_bytes / 1e6).toFixed(1)} MB); worker RSS ${vigia.rssMb()} MB`);
    console.log(`  (start-up to ready, including the first build: ${(vigia.readyMs / 1000).toFixed(1)} s)`);
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
    const html = await page.content();
    const bars = (html.match(/class="[^"]*\bbar\b/g) ?? []).length;
    const open = await page.locator('#open-incidents ~ *').count().catch(() => -1);
    const total = rows.reduce((a, r) => a + r.wire, 0);
    const js = rows.filter((r) => r.type === 'Script');
    console.log(`\nHome page, ${HOME.components} components, ${HOME.open} open incidents, ${HOME.days} days of history (Chromium, cache off):`);
    for (const r of rows) {
      console.log(`  ${r.type.padEnd(10)} ${String(r.wire).padStart(7)} B on the wire  ${String(r.raw).padStart(7)} B decoded  ${(r.encoding || 'identity').padEnd(8)} ${new URL(r.url).pathname}`);
    }
    console.log(`  total: ${rows.length} responses, ${(total / 1024).toFixed(1)} KiB on the wire; JavaScript ${js.length} files, ${(js.reduce((a, r) => a + r.wire, 0) / 1024).toFixed(1)} KiB on the wire (${(js.reduce((a, r) => a + r.raw, 0) / 1024).toFixed(1)} KiB decoded)`);
    void bars;
    void open;
  } finally {
    await browser.close();
    await vigia.stop();
  }
}

async function main() {
  console.log(`Machine: ${machine()}`);
  if (!process.argv.includes('--home-only')) await buildTimes();
  await homeBudget();
}

void main();
