import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../worker/lib/logger.ts';
import { SiteBuilder } from '../../worker/site/builder.ts';

/** A builder whose generator writes the number of the build into index.html (no Astro: this is about scheduling). */
function stubBuilder(opts: { quietMs: number; maxWaitMs: number }) {
  const dir = mkdtempSync(join(tmpdir(), 'vigia-builder-'));
  let generated = 0;
  const builder = new SiteBuilder({
    rootDir: dir,
    dataDir: join(dir, 'data'),
    apiUrl: 'http://127.0.0.1:9',
    logger: createLogger('silent'),
    ...opts,
    generate: async (outDir) => {
      mkdirSync(outDir, { recursive: true });
      writeFileSync(join(outDir, 'index.html'), `<p>build ${++generated}</p>`);
    },
  });
  return { builder, dir, generated: () => generated };
}

describe('site rebuilds', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));

  it('rebuild during a continuous stream of changes, not only after it stops', async () => {
    const { builder, dir, generated } = stubBuilder({ quietMs: 100, maxWaitMs: 400 });
    cleanups.push(() => {
      builder.stop();
      rmSync(dir, { recursive: true, force: true });
    });
    // A change every 20 ms: a quiet period alone would never see quiet.
    let streaming = true;
    const stream = (async () => {
      for (let i = 0; streaming && i < 2_000; i++) {
        builder.request(`change ${i}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const deadline = Date.now() + 30_000;
    while (generated() < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    streaming = false;
    await stream;
    expect(generated()).toBeGreaterThanOrEqual(3);
    await builder.idle();
    const served = builder.currentSite()!;
    expect((await served.representation('/'))!.body.identity.toString()).toMatch(/^<p>build \d+<\/p>$/);
  });

  it('costs one build for a burst, and serves the previous build after a restart', async () => {
    const { builder, dir, generated } = stubBuilder({ quietMs: 100, maxWaitMs: 1_000 });
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    for (let i = 0; i < 10; i++) builder.request('burst');
    const deadline = Date.now() + 30_000;
    while (generated() < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await builder.idle();
    expect(generated()).toBe(1);
    builder.stop();

    const again = new SiteBuilder({ rootDir: dir, dataDir: join(dir, 'data'), apiUrl: '', logger: createLogger('silent') });
    expect(again.currentSite()).toBeNull();
    await again.resume();
    expect(readFileSync(join(again.currentSite()!.dir, 'index.html'), 'utf8')).toBe('<p>build 1</p>');
    expect(again.currentSite()!.has('/')).toBe(true);
  });
});
