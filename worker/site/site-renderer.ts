import { prepareRepresentation, type Representation } from '../http/representation.ts';
import { Coalescer } from '../lib/coalescer.ts';
import type { HealthBoard } from '../lib/health.ts';
import { pageSecurityHeaders, type SecurityHeaderPolicy } from '../lib/security-headers.ts';
import type { Logger } from '../lib/logger.ts';
import { encodeBody } from '../publish/encode.ts';
import { notFoundPrefix } from './not-found-locale.ts';
import type { PageRenderer } from './render-process.ts';
import type { ServedSite } from './served-site.ts';
import { HTML_CACHE_CONTROL, StaticSite } from './static-site.ts';
import type { RenderedPage } from '../../site/renderer/protocol.ts';

export interface SiteRendererOptions {
  logger: Logger;
  /** The language of the pages at the site's root. */
  defaultLocale: string;
  /** Makes the page renderer and names the folder of hashed assets and public files (once, on first use). */
  prepare: () => Promise<{ renderer: PageRenderer; assetsDir: string | null }>;
  /** Quiet period after a change before the always-current pages are rendered again. */
  quietMs?: number;
  /** The longest a change waits for that under a continuous stream of changes. */
  maxWaitMs?: number;
  /**
   * Awaited before `build()` renders, so its pages read every change signalled so far (the publisher settling). A
   * rendering that follows a published change does not wait: what it follows is published already, and under a
   * stream of writes the publisher is never settled for long.
   */
  beforeRender?: () => Promise<void>;
  /** How long a request for a page whose data changed waits for its new rendering before the previous one is sent. */
  staleWaitMs?: number;
  /** Bytes of rendered pages (all encodings) kept in memory, the always-current ones aside. */
  cacheBytes?: number;
  /** Whether the site is served over https (HSTS); every page gets its security headers with it. */
  security?: SecurityHeaderPolicy;
  /** Told how each rendering went, for the health check. */
  health?: HealthBoard;
  /**
   * Set when several workers may share the database: a change's rendering is done by one of them (worker/site/site-lease.ts).
   * `renders()` says whether this worker does it now; `rendered()` hands it the pages it rendered, for the others.
   */
  shared?: {
    renders(): boolean;
    rendered(paths: string[], pages: RenderedPage[]): Promise<void>;
  };
}

interface RenderedEntry {
  rep: Representation;
  /** The published-state version it was rendered from. */
  version: number;
  bytes: number;
}

/** The URL prefixes of the languages other than the root's: each has a 404 page of its own (`/en/404`). */
const prefixesOf = (known: Set<string>): string[] => [...known].map((p) => /^\/([^/]+)\/404$/.exec(p)?.[1]).filter((p): p is string => !!p);

/** The pages always kept current: the home and 404 pages of every language (the home pages first, the root's first). */
function pinnedOf(known: Set<string>): Set<string> {
  const prefixes = prefixesOf(known);
  return new Set(['/', ...prefixes.map((p) => `/${p}`), '/404', ...prefixes.map((p) => `/${p}/404`)].filter((p) => known.has(p)));
}

/**
 * Whether pages read a published document: they read the public API under `/api/` (site/lib/api.ts), never the
 * feeds, badges, calendars or widget, which change with most writes too.
 */
export const pagesRead = (documentPath: string): boolean => documentPath.startsWith('/api/');

/** A page's key: its path without a trailing slash (`/en/` and `/en` are one page). */
export const pageKey = (urlPath: string): string => (urlPath.length > 1 && urlPath.endsWith('/') ? urlPath.slice(0, -1) : urlPath);

const NOT_FOUND_CACHE_CONTROL = 'public, max-age=15';

/**
 * The public site, rendered page by page as the published state changes, the way a CDN with on-demand revalidation
 * serves a static site. The home page and the 404 page of every language are always current: they are rendered
 * again (coalesced, at most `maxWaitMs` after a change) whenever the published state changes. Every other page is
 * rendered when first asked for and kept; once the state has moved on, the next request for it renders it again and
 * waits up to `staleWaitMs` for that, else gets the previous rendering (stale-while-revalidate). Unknown paths are
 * answered from the list of pages the site has, without rendering anything. `build()` renders every kept page again
 * (start-up, tests).
 */
export class SiteRenderer implements ServedSite {
  private version = 0;
  private known: Set<string> | null = null;
  private prefixes: string[] = [];
  private pinned = new Set<string>();
  /** Rendered pages, least recently used first. */
  private readonly pages = new Map<string, RenderedEntry>();
  private cachedBytes = 0;
  /** A 404 page as sent for unknown paths (its own caching). */
  private readonly notFoundReps = new WeakMap<RenderedEntry, Representation>();
  private readonly inFlight = new Map<string, { version: number; page: Promise<RenderedEntry | undefined> }>();
  private prepared: Promise<{ renderer: PageRenderer; assets: StaticSite | null }> | null = null;
  /** Hashed assets and public files of the renderer build (set once prepared). */
  private assets: StaticSite | null = null;
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private readonly coalescer: Coalescer;
  private readonly pendingReasons = new Set<string>();
  private stopped = false;
  /** Failed renderings in a row (their retries wait longer each time). */
  private failures = 0;
  lastRender: { at: Date; ms: number; ok: boolean; pages: number; error?: string } | null = null;

  constructor(private readonly opts: SiteRendererOptions) {
    this.coalescer = new Coalescer({
      quietMs: opts.quietMs ?? 200,
      maxWaitMs: opts.maxWaitMs ?? 1_000,
      run: () => {
        const reason = [...this.pendingReasons].slice(0, 5).join('; ');
        this.pendingReasons.clear();
        return this.serialised(() => this.render(reason, false));
      },
    });
  }

  /** The site once its first rendering is done; null before (the server answers "being built"). */
  served(): ServedSite | null {
    return this.known ? this : null;
  }

  /** The published state changed: the always-current pages follow (coalesced); the others on their next request. */
  request(reason: string): void {
    this.pendingReasons.add(reason);
    this.coalescer.signal();
  }

  /** Documents were published again: pages follow when one of them is something pages read. */
  published(paths: readonly string[]): void {
    const read = paths.find(pagesRead);
    if (read) this.request(`${read} changed`);
  }

  /** Renders every kept page from the state published so far; resolves when a rendering started after the call ends. */
  build(reason = 'requested'): Promise<void> {
    return this.serialised(() => this.render(reason, true));
  }

  /** Waits for a rendering under way. */
  async idle(): Promise<void> {
    while (this.running || this.queued) await (this.queued ?? this.running);
  }

  stop(): void {
    this.stopped = true;
    this.coalescer.stop();
    void this.prepared?.then(({ renderer }) => renderer.stop(), () => {});
  }

  cached(urlPath: string): Representation | undefined {
    const asset = this.assets?.cached(urlPath);
    if (asset) return asset;
    const key = pageKey(urlPath);
    const entry = this.pages.get(key);
    if (!entry || !this.isCurrent(key, entry)) return undefined;
    this.touch(key, entry);
    return entry.rep;
  }

  async representation(urlPath: string): Promise<Representation | undefined> {
    const { assets } = await this.prepare();
    if (assets?.has(urlPath)) return assets.representation(urlPath);
    const key = pageKey(urlPath);
    if (!this.known?.has(key)) return undefined;
    const entry = this.pages.get(key);
    if (entry && this.isCurrent(key, entry)) return entry.rep;
    const fresh = this.renderPage(key);
    if (!entry) return (await fresh)?.rep;
    fresh.catch(() => {}); // the previous rendering is sent instead; the failure was logged
    const wait = new Promise<'stale'>((resolve) => setTimeout(resolve, this.opts.staleWaitMs ?? 2_000, 'stale').unref());
    const first = await Promise.race([fresh.catch(() => 'stale' as const), wait]);
    if (first === 'stale') return entry.rep;
    return first?.rep;
  }

  async notFoundPage(urlPath: string, acceptLanguage: string | undefined): Promise<Representation | undefined> {
    const prefix = notFoundPrefix(urlPath, acceptLanguage, this.prefixes, this.opts.defaultLocale);
    const entry = (prefix ? this.pages.get(`/${prefix}/404`) : undefined) ?? this.pages.get('/404');
    if (!entry) return undefined;
    let rep = this.notFoundReps.get(entry);
    if (!rep) {
      rep = prepareRepresentation(entry.rep.body, {
        contentType: 'text/html; charset=utf-8',
        cacheControl: NOT_FOUND_CACHE_CONTROL,
        lastModified: entry.rep.lastModified,
        headers: this.pageHeaders(entry.rep.body.identity),
      });
      this.notFoundReps.set(entry, rep);
    }
    return rep;
  }

  private get security(): SecurityHeaderPolicy {
    return this.opts.security ?? { hsts: false };
  }

  /** A page's headers, with the hashes of the inline scripts of this rendering. */
  private pageHeaders(html: Buffer): Record<string, string> {
    return pageSecurityHeaders(this.security, html);
  }

  /** The always-current pages are served even while their new rendering is under way; others only from this version. */
  private isCurrent(key: string, entry: RenderedEntry): boolean {
    return entry.version === this.version || this.pinned.has(key);
  }

  private prepare() {
    this.prepared ??= this.opts.prepare().then(async ({ renderer, assetsDir }) => {
      this.assets = assetsDir ? await StaticSite.load(assetsDir, undefined, this.security) : null;
      return { renderer, assets: this.assets };
    });
    return this.prepared;
  }

  /** One rendering at a time; callers during one share exactly one follow-up. */
  private serialised(task: () => Promise<void>): Promise<void> {
    if (this.queued) return this.queued;
    const start = () => {
      this.running = task().finally(() => {
        this.running = null;
      });
      return this.running;
    };
    if (!this.running) return start();
    this.queued = this.running.then(() => {
      this.queued = null;
      return start();
    });
    return this.queued;
  }

  /**
   * Serves the always-current pages another worker rendered (and the list of pages that came with them), in place of
   * rendering them here; other pages kept from before are rendered again on their next request.
   */
  adoptShared(paths: string[], pages: RenderedPage[]): Promise<void> {
    return this.serialised(async () => {
      if (this.stopped) return;
      const version = this.version + 1;
      this.adopt(new Set(paths.map(pageKey)));
      await Promise.all(pages.map((page) => this.store(page, version)));
      this.version = version;
      this.opts.logger.info({ pages: pages.length }, 'site loaded from the shared rendering');
    });
  }

  private async render(reason: string, everything: boolean): Promise<void> {
    if (this.stopped) return;
    // Another worker renders changes and this one loads what it rendered (a full build, as at start-up, is done here).
    if (!everything && this.known && this.opts.shared && !this.opts.shared.renders()) return;
    const started = Date.now();
    try {
      const { renderer } = await this.prepare();
      if (everything) await this.opts.beforeRender?.();
      const waited = Date.now() - started;
      const version = this.version + 1;
      // Which pages exist comes with the rendering (the first time, before it: it names the always-current ones).
      const listed = this.known ? null : await renderer.render(version, [], true);
      const wanted = listed ? pinnedOf(new Set((listed.paths ?? []).map(pageKey))) : this.pinned;
      const paths = everything ? [...new Set([...wanted, ...this.pages.keys()])] : [...wanted];
      // Each page is served as soon as it is rendered and compressed (the list of pages comes first, so a new page the
      // home page links to is known before the home page is served).
      let known = listed ? new Set((listed.paths ?? []).map(pageKey)) : null;
      const stored: Promise<unknown>[] = [];
      let count = 0;
      const sharedPages: RenderedPage[] = [];
      const take = (page: RenderedPage) => {
        count++;
        if (this.opts.shared && wanted.has(pageKey(page.path))) sharedPages.push(page);
        stored.push(this.store(page, version));
      };
      const rendered = await renderer.render(version, paths, !listed, (progress) => {
        if (progress.paths) this.adopt((known = new Set(progress.paths.map(pageKey))));
        if (progress.page) take(progress.page);
      });
      if (rendered.paths) known = new Set(rendered.paths.map(pageKey));
      rendered.pages.forEach(take);
      await Promise.all(stored);
      this.version = version;
      this.adopt(known ?? new Set());
      this.lastRender = { at: new Date(), ms: Date.now() - started, ok: true, pages: count };
      this.failures = 0;
      this.opts.health?.succeeded('site');
      this.opts.logger.info({ reason, ms: this.lastRender.ms, waited_ms: waited, pages: count, known: this.known!.size, renderer_ms: rendered.timings }, 'site rendered');
      if (this.opts.shared?.renders()) await this.share([...this.known!], sharedPages);
    } catch (error) {
      this.lastRender = { at: new Date(), ms: Date.now() - started, ok: false, pages: 0, error: (error as Error).message };
      if (this.stopped) return;
      this.opts.health?.failed('site', 'rendering the site failed; the pages rendered before stay online');
      this.opts.logger.error({ reason, err: error }, 'site rendering failed; the pages rendered before stay online');
      // Tried again by itself, sooner after a passing failure (the renderer restarting) than after a lasting one
      // (a renderer build that does not compile is tried again too, in case the sources were fixed).
      this.failures++;
      if (this.prepared && (await this.prepared.then(() => false, () => true))) this.prepared = null;
      const retry = setTimeout(() => this.request('retry after a failed rendering'), Math.min(60_000, 500 * 2 ** this.failures));
      retry.unref();
    }
  }

  /** Hands the pages to the other workers; when that fails they keep serving the previous ones until the next change. */
  private async share(paths: string[], pages: RenderedPage[]): Promise<void> {
    try {
      await this.opts.shared!.rendered(paths, pages);
    } catch (error) {
      this.opts.logger.warn({ err: error }, 'the site rendering could not be shared; other workers serve the previous one until the next change');
    }
  }

  /** Takes the list of the site's pages: which exist, which are always current; pages no longer listed are dropped. */
  private adopt(known: Set<string>): void {
    this.known = known;
    this.prefixes = prefixesOf(known).map((p) => p.toLowerCase());
    this.pinned = pinnedOf(known);
    for (const key of [...this.pages.keys()]) if (!known.has(key)) this.forget(key);
  }

  /** Renders one page for the current version, once however many requests ask for it meanwhile. */
  private renderPage(key: string): Promise<RenderedEntry | undefined> {
    const version = this.version;
    const flying = this.inFlight.get(key);
    if (flying && flying.version === version) return flying.page;
    const page = this.prepare()
      .then(({ renderer }) => renderer.render(version, [key]))
      .then(({ pages }) => (pages[0] ? this.store(pages[0], version) : undefined))
      .catch((error: unknown) => {
        this.opts.logger.error({ path: key, err: error }, 'page rendering failed');
        throw error;
      })
      .finally(() => {
        if (this.inFlight.get(key)?.page === page) this.inFlight.delete(key);
      });
    this.inFlight.set(key, { version, page });
    return page;
  }

  private async store(page: RenderedPage, version: number): Promise<RenderedEntry | undefined> {
    const key = pageKey(page.path);
    // A 404 page is itself answered with 404; any other page answering 404 no longer exists.
    const isNotFoundPage = key === '/404' || key.endsWith('/404');
    if (page.status === 404 && !isNotFoundPage) {
      this.forget(key);
      return undefined;
    }
    const previous = this.pages.get(key);
    if (page.status !== 200 && !(isNotFoundPage && page.status === 404)) {
      this.opts.logger.error({ path: key, status: page.status }, 'page rendering failed; its previous rendering stays');
      return previous;
    }
    // A newer rendering may have landed while this one was compressed.
    if (previous && previous.version > version) return previous;
    const html = Buffer.from(page.html);
    // Most pages come out the same when the state moved on elsewhere: same bytes, same ETag and Last-Modified, nothing
    // to compress again.
    const unchanged = previous?.rep.body.identity.equals(html);
    const rep = unchanged
      ? previous!.rep
      : prepareRepresentation(await encodeBody(html, { brotliQuality: 6 }), {
          contentType: 'text/html; charset=utf-8',
          cacheControl: HTML_CACHE_CONTROL,
          lastModified: new Date(),
          headers: this.pageHeaders(html),
        });
    const latest = this.pages.get(key);
    if (latest && latest.version > version) return latest;
    const body = rep.body;
    const entry = { rep, version, bytes: body.identity.length + (body.gzip?.length ?? 0) + (body.br?.length ?? 0) };
    this.forget(key);
    this.pages.set(key, entry);
    this.cachedBytes += entry.bytes;
    this.evict();
    return entry;
  }

  private forget(key: string): void {
    const entry = this.pages.get(key);
    if (!entry) return;
    this.pages.delete(key);
    this.cachedBytes -= entry.bytes;
  }

  /** Least recently used pages out first; the always-current ones stay. */
  private evict(): void {
    const limit = this.opts.cacheBytes ?? 32 * 1024 * 1024;
    for (const [key] of this.pages) {
      if (this.cachedBytes <= limit) return;
      if (!this.pinned.has(key)) this.forget(key);
    }
  }

  /** Map order is insertion order: re-inserting marks the entry as most recently used. */
  private touch(key: string, entry: RenderedEntry): void {
    this.pages.delete(key);
    this.pages.set(key, entry);
  }
}
