import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../db/client.ts';
import { leaseHolder } from '../../worker/coordination/leases.ts';
import { readSiteRendering, SITE_LEASE } from '../../worker/coordination/site-rendering.ts';
import { createLogger } from '../../worker/lib/logger.ts';
import type { PageRenderer } from '../../worker/site/render-process.ts';
import { SiteLease } from '../../worker/site/site-lease.ts';
import { SiteRenderer } from '../../worker/site/site-renderer.ts';
import { fileDatabase } from '../helpers/db.ts';

/**
 * Two workers' site renderers on one database file (each its own connection), with page renderers standing in for
 * the Astro process: a page's HTML names the data it was made from, and each renderer counts the pages it rendered.
 */
const PAGES = ['/', '/en', '/404', '/en/404', '/incidents/a'];

function worker(db: DatabaseHandle, holder: string, data: { now: string }) {
  const rendered: string[] = [];
  const renderer: PageRenderer = {
    async render(_version, paths, list) {
      rendered.push(...paths);
      const pages = paths.map((path) => ({ path, status: path.endsWith('404') ? 404 : 200, html: `<p>${path} from ${data.now}</p>` }));
      return { pages, ...(list ? { paths: [...PAGES] } : {}) };
    },
    stop() {},
  };
  const logger = createLogger('silent');
  const lease = new SiteLease({ db: db.db, holder, now: () => new Date(), logger, tickMs: 25, leaseMs: 400 });
  const site = new SiteRenderer({
    logger,
    defaultLocale: 'es',
    prepare: async () => ({ renderer, assetsDir: null }),
    quietMs: 10,
    maxWaitMs: 50,
    shared: lease.shared,
  });
  return { site, lease, rendered };
}

const text = (rep: { body: { identity: Buffer } } | undefined) => rep?.body.identity.toString();
const until = async (condition: () => boolean | Promise<boolean>, what: string) => {
  const deadline = Date.now() + 20_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('one rendering of the site per change across workers', () => {
  let file: Awaited<ReturnType<typeof fileDatabase>>;
  let second: DatabaseHandle;
  const data = { now: 'v1' };
  let a: ReturnType<typeof worker>;
  let b: ReturnType<typeof worker>;

  beforeEach(async () => {
    data.now = 'v1';
    file = await fileDatabase();
    second = openDatabase(file.url);
    a = worker(file, 'worker-a', data);
    b = worker(second, 'worker-b', data);
    await a.site.build('start-up');
    await b.site.build('start-up');
    await a.lease.start(a.site);
    await b.lease.start(b.site);
  });
  afterEach(async () => {
    for (const w of [a, b]) {
      await w.lease.stop();
      w.site.stop();
    }
    second.close();
    file.cleanup();
  });

  it('has the holder render a change and the other worker serve its pages without rendering them', async () => {
    expect(a.lease.holder).toBe(true);
    expect(b.lease.holder).toBe(false);
    a.rendered.length = 0;
    b.rendered.length = 0;

    data.now = 'v2';
    // Both workers see the change (each publishes it); only one renders it.
    a.site.request('changed');
    b.site.request('changed');
    await until(() => text(b.site.cached('/')) === '<p>/ from v2</p>', 'the other worker to serve the new home page');
    expect(text(b.site.cached('/en'))).toBe('<p>/en from v2</p>');
    expect(text(a.site.cached('/'))).toBe('<p>/ from v2</p>');
    expect(a.rendered.sort()).toEqual(['/', '/404', '/en', '/en/404']);
    expect(b.rendered).toEqual([]);
    const stored = await readSiteRendering(file.db);
    expect(stored?.holder).toBe('worker-a');
    expect(stored?.paths.sort()).toEqual([...PAGES].sort());

    // A page rendered on request is still rendered by the worker asked, from its own view of the data.
    expect(text(await b.site.representation('/incidents/a'))).toBe('<p>/incidents/a from v2</p>');
    expect(b.rendered).toEqual(['/incidents/a']);
  });

  it('passes the rendering to another worker when the holder dies, which renders the change it missed', async () => {
    // The holder stops renewing, as if killed: its lease runs out by itself.
    await a.lease.stop();
    a.site.stop();
    b.rendered.length = 0;
    data.now = 'v3';
    b.site.request('changed');
    await until(() => text(b.site.cached('/')) === '<p>/ from v3</p>', 'the other worker to take over and render');
    expect(b.lease.holder).toBe(true);
    expect(await leaseHolder(file.db, SITE_LEASE, new Date())).toBe('worker-b');
    expect(b.rendered.sort()).toEqual(['/', '/404', '/en', '/en/404']);
    expect((await readSiteRendering(file.db))?.holder).toBe('worker-b');
  });
});
