import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../worker/lib/logger.ts';
import type { PageRenderer } from '../../worker/site/render-process.ts';
import { SiteRenderer } from '../../worker/site/site-renderer.ts';

/**
 * A page renderer standing in for the Astro process (this file is about what is rendered when and what is served):
 * a page's HTML names its path and the data it was made from; `data` is what "the API" says now; renders can be held.
 */
function stubRenderer(initial: { pages: string[]; data: string }) {
  const state = { ...initial, calls: [] as { version: number; paths: string[] }[], hold: null as Promise<void> | null };
  const renderer: PageRenderer = {
    async render(version, paths, list) {
      state.calls.push({ version, paths });
      if (state.hold) await state.hold;
      const notFoundPage = (p: string) => p === '/404' || p.endsWith('/404');
      return {
        pages: paths.map((path) =>
          state.pages.includes(path)
            ? { path, status: notFoundPage(path) ? 404 : 200, html: `<p>${path} from ${state.data}</p>` }
            : { path, status: 404, html: '' },
        ),
        ...(list ? { paths: [...state.pages] } : {}),
      };
    },
    stop() {},
  };
  return { state, renderer };
}

const PAGES = ['/', '/en', '/404', '/en/404', '/incidents/a', '/en/incidents/a', '/policy'];

function siteWith(renderer: PageRenderer, options: { staleWaitMs?: number; quietMs?: number; maxWaitMs?: number } = {}) {
  return new SiteRenderer({
    logger: createLogger('silent'),
    defaultLocale: 'es',
    prepare: async () => ({ renderer, assetsDir: null }),
    quietMs: options.quietMs ?? 20,
    maxWaitMs: options.maxWaitMs ?? 100,
    staleWaitMs: options.staleWaitMs ?? 60_000,
  });
}

const text = (rep: { body: { identity: Buffer } } | undefined) => rep?.body.identity.toString();
const until = async (condition: () => boolean, what: string) => {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('the site renderer', () => {
  const sites: SiteRenderer[] = [];
  afterEach(() => sites.splice(0).forEach((s) => s.stop()));
  const make = (...args: Parameters<typeof siteWith>) => {
    const site = siteWith(...args);
    sites.push(site);
    return site;
  };

  it('serves nothing before its first rendering, then the home and 404 pages of every language from memory', async () => {
    const { renderer, state } = stubRenderer({ pages: PAGES, data: 'v1' });
    const site = make(renderer);
    expect(site.served()).toBeNull();
    await site.build('start-up');
    expect(site.served()).toBe(site);
    expect(text(site.cached('/'))).toBe('<p>/ from v1</p>');
    expect(text(site.cached('/en/'))).toBe('<p>/en from v1</p>');
    // Only the always-current pages were rendered; the rest waits for a visitor.
    expect(state.calls.flatMap((c) => c.paths).sort()).toEqual(['/', '/404', '/en', '/en/404']);
    expect(site.cached('/policy')).toBeUndefined();
    expect(text(await site.representation('/policy/'))).toBe('<p>/policy from v1</p>');
    expect(text(site.cached('/policy'))).toBe('<p>/policy from v1</p>');
  });

  it('answers an unknown path from the list of pages, rendering nothing, with the 404 page of its language', async () => {
    const { renderer, state } = stubRenderer({ pages: PAGES, data: 'v1' });
    const site = make(renderer);
    await site.build('start-up');
    const calls = state.calls.length;
    expect(await site.representation('/no-such-page')).toBeUndefined();
    expect(await site.representation('/incidents/zzz')).toBeUndefined();
    expect(state.calls.length).toBe(calls);
    expect(text(await site.notFoundPage('/en/no-such-page', undefined))).toBe('<p>/en/404 from v1</p>');
    expect(text(await site.notFoundPage('/no-such-page', 'en-GB,en;q=0.9'))).toBe('<p>/en/404 from v1</p>');
    expect(text(await site.notFoundPage('/no-such-page', 'es-CO'))).toBe('<p>/404 from v1</p>');
    expect((await site.notFoundPage('/x', undefined))!.headers.identity!['cache-control']).toBe('public, max-age=15');
  });

  it('renders the always-current pages again when the state changes, and other pages on their next request', async () => {
    const { renderer, state } = stubRenderer({ pages: PAGES, data: 'v1' });
    const site = make(renderer);
    await site.build('start-up');
    await site.representation('/incidents/a');
    state.data = 'v2';
    site.request('incident updated');
    await until(() => text(site.cached('/')) === '<p>/ from v2</p>', 'the home page to follow');
    // The incident page is no longer current: not from the fast path, rendered again when asked for.
    expect(site.cached('/incidents/a')).toBeUndefined();
    expect(text(await site.representation('/incidents/a'))).toBe('<p>/incidents/a from v2</p>');
    expect(text(site.cached('/incidents/a'))).toBe('<p>/incidents/a from v2</p>');
  });

  it('follows published documents that pages read, not the feeds, badges, calendars or widget', async () => {
    const { renderer, state } = stubRenderer({ pages: PAGES, data: 'v1' });
    const site = make(renderer);
    await site.build('start-up');
    const calls = state.calls.length;
    state.data = 'v2';
    site.published(['/feed.rss', '/en/components/a/feed.atom', '/badge.svg', '/maintenances.ics', '/widget.html']);
    // Nothing to wait for but a rendering that must not start: a later one shows whether it did.
    site.published(['/feed.atom', '/api/v2/summary.json']);
    await until(() => text(site.cached('/')) === '<p>/ from v2</p>', 'the home page to follow summary.json');
    expect(state.calls.length).toBe(calls + 1);
  });

  it('renders after a published change without waiting for the publisher to settle; build() waits for it', async () => {
    const { renderer, state } = stubRenderer({ pages: PAGES, data: 'v1' });
    let settle!: () => void;
    let settling: Promise<void> = Promise.resolve();
    let waits = 0;
    const site = new SiteRenderer({
      logger: createLogger('silent'),
      defaultLocale: 'es',
      prepare: async () => ({ renderer, assetsDir: null }),
      quietMs: 10,
      maxWaitMs: 50,
      beforeRender: () => (waits++, settling),
    });
    sites.push(site);
    await site.build('start-up');
    expect(waits).toBe(1);
    // A stream of writes: the publisher has more to publish, for as long as it lasts.
    settling = new Promise((r) => (settle = r));
    state.data = 'v2';
    site.published(['/api/v2/summary.json']);
    await until(() => text(site.cached('/')) === '<p>/ from v2</p>', 'the home page to follow');
    expect(waits).toBe(1);
    state.data = 'v3';
    const calls = state.calls.length;
    const build = site.build('requested');
    await until(() => waits === 2, 'the build to wait for the publisher');
    expect(state.calls.length).toBe(calls);
    settle();
    await build;
    expect(text(site.cached('/'))).toBe('<p>/ from v3</p>');
  });

  it('serves each page of a rendering as soon as it comes, the list of pages before them, the home pages first', async () => {
    const { renderer: plain, state } = stubRenderer({ pages: PAGES, data: 'v1' });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const order: string[] = [];
    // Streams the list, then the pages, waiting after the first one of the second state.
    const streaming: PageRenderer = {
      async render(version, paths, list, onProgress) {
        const reply = await plain.render(version, paths, list);
        if (!onProgress) return reply;
        if (reply.paths) onProgress({ id: 0, progress: true, paths: reply.paths });
        for (const [k, page] of reply.pages.entries()) {
          if (state.data === 'v2') order.push(page.path);
          onProgress({ id: 0, progress: true, page });
          if (k === 0 && state.data === 'v2') await held;
        }
        return { pages: [] };
      },
      stop() {},
    };
    const site = make(streaming);
    await site.build('start-up');
    state.data = 'v2';
    state.pages = [...PAGES, '/incidents/b'];
    site.request('new incident');
    await until(() => text(site.cached('/')) === '<p>/ from v2</p>', 'the new home page, before the rendering ends');
    expect(order).toEqual(['/']);
    expect(text(site.cached('/en/'))).toBe('<p>/en from v1</p>');
    // The page it may link to is known already.
    expect(text(await site.representation('/incidents/b'))).toBe('<p>/incidents/b from v2</p>');
    release();
    await until(() => text(site.cached('/en/')) === '<p>/en from v2</p>', 'the rest of the rendering');
    expect(order).toEqual(['/', '/en', '/404', '/en/404']);
  });

  it('keeps sending the previous rendering of the home page while its new one is made', async () => {
    const { renderer, state } = stubRenderer({ pages: PAGES, data: 'v1' });
    const site = make(renderer);
    await site.build('start-up');
    let release!: () => void;
    state.hold = new Promise((r) => (release = r));
    state.data = 'v2';
    site.request('change');
    await until(() => state.calls.length > 2, 'the new rendering to start');
    expect(text(site.cached('/'))).toBe('<p>/ from v1</p>');
    state.hold = null;
    release();
    await until(() => text(site.cached('/')) === '<p>/ from v2</p>', 'the new home page');
  });

  it('sends the previous rendering of a page whose new one takes longer than the wait allows', async () => {
    const { renderer, state } = stubRenderer({ pages: PAGES, data: 'v1' });
    const site = make(renderer, { staleWaitMs: 50 });
    await site.build('start-up');
    await site.representation('/policy');
    state.data = 'v2';
    site.request('change');
    await until(() => text(site.cached('/')) === '<p>/ from v2</p>', 'the home page to follow');
    let release!: () => void;
    state.hold = new Promise((r) => (release = r));
    expect(text(await site.representation('/policy'))).toBe('<p>/policy from v1</p>');
    // Requests meanwhile share the one rendering under way.
    const rendersOfPolicy = () => state.calls.filter((c) => c.paths.includes('/policy')).length;
    const before = rendersOfPolicy();
    await site.representation('/policy');
    expect(rendersOfPolicy()).toBe(before);
    state.hold = null;
    release();
    await until(() => text(site.cached('/policy')) === '<p>/policy from v2</p>', 'the new rendering');
  });

  it('renders every kept page again on build(), drops pages that no longer exist, and keeps the same bytes the same ETag', async () => {
    const { renderer, state } = stubRenderer({ pages: PAGES, data: 'v1' });
    const site = make(renderer);
    await site.build('start-up');
    const policy = (await site.representation('/policy'))!;
    await site.representation('/incidents/a');
    state.pages = PAGES.filter((p) => !p.endsWith('/incidents/a'));
    await site.build('incident deleted');
    expect(await site.representation('/incidents/a')).toBeUndefined();
    expect(site.cached('/policy')!.headers.identity!.etag).toBe(policy.headers.identity!.etag);
    state.data = 'v3';
    await site.build('everything changed');
    expect(text(site.cached('/policy'))).toBe('<p>/policy from v3</p>');
    expect(site.cached('/policy')!.headers.identity!.etag).not.toBe(policy.headers.identity!.etag);
  });

  it('compresses each rendering once and serves its encodings', async () => {
    const { renderer, state } = stubRenderer({ pages: PAGES, data: 'x'.repeat(2_000) });
    const site = make(renderer);
    await site.build('start-up');
    const rep = site.cached('/')!;
    expect(gunzipSync(rep.body.gzip!).toString()).toBe(rep.body.identity.toString());
    expect(rep.headers.gzip!.vary).toBe('Accept-Encoding');
    expect(rep.headers.identity!['cache-control']).toMatch(/max-age=15, stale-while-revalidate/);
    expect(state.calls.length).toBeGreaterThan(0);
  });

  it('follows a continuous stream of changes, not only once it stops', async () => {
    const { renderer, state } = stubRenderer({ pages: PAGES, data: 'v0' });
    const site = make(renderer, { quietMs: 50, maxWaitMs: 200 });
    await site.build('start-up');
    let streaming = true;
    let n = 0;
    const stream = (async () => {
      while (streaming && n < 5_000) {
        state.data = `v${++n}`;
        site.request(`change ${n}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const seen = new Set<string>();
    await until(() => {
      seen.add(text(site.cached('/'))!);
      return seen.size >= 4;
    }, 'several renderings during the stream');
    streaming = false;
    await stream;
    expect(seen.size).toBeGreaterThanOrEqual(4);
  });

  it('keeps what it rendered when the renderer fails, and tries again by itself', async () => {
    const { renderer, state } = stubRenderer({ pages: PAGES, data: 'v1' });
    let failures = 1;
    const flaky: PageRenderer = {
      render: async (...args) => {
        if (state.data === 'v2' && failures-- > 0) throw new Error('renderer crashed');
        return renderer.render(...args);
      },
      stop() {},
    };
    const site = make(flaky);
    await site.build('start-up');
    state.data = 'v2';
    site.request('change');
    await until(() => site.lastRender?.ok === false, 'the failed rendering');
    expect(text(site.cached('/'))).toBe('<p>/ from v1</p>');
    await until(() => text(site.cached('/')) === '<p>/ from v2</p>', 'the retry');
  });

  it('tries again to prepare a renderer that could not be built, and serves once it can', async () => {
    const { renderer } = stubRenderer({ pages: PAGES, data: 'v1' });
    let attempts = 0;
    const site = new SiteRenderer({
      logger: createLogger('silent'),
      defaultLocale: 'es',
      prepare: async () => {
        if (++attempts === 1) throw new Error('astro build exited with 1');
        return { renderer, assetsDir: null };
      },
      quietMs: 10,
      maxWaitMs: 50,
    });
    sites.push(site);
    await site.build('start-up');
    expect(site.served()).toBeNull();
    expect(site.lastRender?.error).toMatch(/astro build/);
    await until(() => site.served() !== null, 'the retry');
    expect(attempts).toBe(2);
    expect(text(site.cached('/'))).toBe('<p>/ from v1</p>');
  });
});
