import type { Config } from '../config/load.ts';
import type { Database } from '../../db/client.ts';
import { Coalescer } from '../lib/coalescer.ts';
import type { Logger } from '../lib/logger.ts';
import { prepareRepresentation, type Representation } from '../http/representation.ts';
import { loadPublishedState } from '../status/read-model.ts';
import type { DocumentSource, PublishedDocument } from './document.ts';
import { DOCUMENT_SOURCES } from './documents/index.ts';
import { encodeBody, etagOf, toBuffer } from './encode.ts';
import { nextTimeDrivenChange } from './next-change.ts';

/**
 * Caching for public documents: browsers and proxies may reuse a body for 10 s and keep serving it for 30 s more
 * while they revalidate (a CDN in front may do the same, `s-maxage`), so an outage's refresh storm mostly ends in
 * caches or in cheap `304`s.
 */
export const DOCUMENT_CACHE_CONTROL = 'public, max-age=10, s-maxage=10, stale-while-revalidate=30';

export interface PublisherOptions {
  db: Database;
  config: Config;
  now: () => Date;
  logger: Logger;
  sources?: DocumentSource[];
  /** Quiet period after a change before rebuilding (a burst costs one rebuild). */
  quietMs?: number;
  /** The longest a change waits under a continuous stream of changes. */
  maxWaitMs?: number;
  /** The snapshot is rebuilt at least this often, so time-driven content never goes stale for long. */
  maxAgeMs?: number;
  /**
   * False: rebuild only when `rebuildNow()` is called — no coalesced rebuilds on change, no clock-driven ones
   * (tests over a one-connection in-memory database, where a background read would interleave with a transaction).
   */
  scheduled?: boolean;
  /** Called after a rebuild that changed at least one document (the static site is rebuilt from them). */
  onChange?: (paths: string[]) => void;
}

export interface PublishedEntry {
  representation: Representation;
  contentType: string;
}

/**
 * The published snapshot: every public document computed once per change of published state, serialised once,
 * compressed once, and served from memory. Requests never read the database.
 */
export class Publisher {
  private entries = new Map<string, PublishedEntry>();
  private readonly coalescer: Coalescer;
  private floorTimer: NodeJS.Timeout | null = null;
  private firstBuild: Promise<void> | null = null;
  private stopped = false;
  /** How many rebuilds have run (for tests and health). */
  rebuilds = 0;
  lastRebuild: { at: Date; ms: number; changed: number } | null = null;

  constructor(private readonly opts: PublisherOptions) {
    this.coalescer = new Coalescer({
      quietMs: opts.quietMs ?? 200,
      maxWaitMs: opts.maxWaitMs ?? 1_000,
      run: () => this.rebuild(),
      onError: (error) => opts.logger.error({ err: error }, 'publishing failed; the previous snapshot stays online'),
    });
  }

  /** The document at a path, or undefined (query strings are the caller's to strip). */
  get(path: string): PublishedEntry | undefined {
    return this.entries.get(path);
  }

  /** Whether a first snapshot exists. */
  get ready(): boolean {
    return this.entries.size > 0;
  }

  /** Published state changed: rebuild soon (coalesced with other changes). */
  changed(_reason: string): void {
    if (this.opts.scheduled !== false) this.coalescer.signal();
  }

  /** Builds the first snapshot (once); later calls wait for it. */
  start(): Promise<void> {
    this.firstBuild ??= this.rebuild();
    return this.firstBuild;
  }

  /** Resolves once every change signalled so far is published. */
  async settled(): Promise<void> {
    await this.start();
    await this.coalescer.settled();
  }

  /** Rebuilds now, outside the coalescing (tests, and the first build). */
  async rebuildNow(): Promise<void> {
    await this.coalescer.settled();
    await this.rebuild();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.coalescer.stop();
    if (this.floorTimer) clearTimeout(this.floorTimer);
    await this.coalescer.idle();
    await this.firstBuild?.catch(() => undefined);
  }

  private async rebuild(): Promise<void> {
    const started = Date.now();
    const now = this.opts.now();
    const state = await loadPublishedState(this.opts.db, now);
    const input = { db: this.opts.db, config: this.opts.config, now, state };
    const documents: PublishedDocument[] = [];
    for (const source of this.opts.sources ?? DOCUMENT_SOURCES) documents.push(...(await source(input)));

    const next = new Map<string, PublishedEntry>();
    const changed: string[] = [];
    for (const doc of documents) {
      const previous = this.entries.get(doc.path);
      const body = toBuffer(doc.body);
      // An unchanged body keeps its encodings and its Last-Modified: only what changed is compressed again.
      if (previous && previous.representation.body.etag === etagOf(body) && previous.contentType === doc.contentType) {
        next.set(doc.path, previous);
        continue;
      }
      next.set(doc.path, {
        contentType: doc.contentType,
        representation: prepareRepresentation(await encodeBody(body), {
          contentType: doc.contentType,
          cacheControl: DOCUMENT_CACHE_CONTROL,
          lastModified: new Date(),
          headers: { 'access-control-allow-origin': '*', ...doc.headers },
        }),
      });
      changed.push(doc.path);
    }
    for (const path of this.entries.keys()) if (!next.has(path)) changed.push(path);
    this.entries = next;
    this.rebuilds++;
    this.lastRebuild = { at: new Date(), ms: Date.now() - started, changed: changed.length };
    this.armFloor(state, now);
    if (changed.length && this.rebuilds > 1) this.opts.onChange?.(changed);
  }

  /** The next rebuild with no write: when the clock changes what is shown, and at least every `maxAgeMs`. */
  private armFloor(state: Parameters<typeof nextTimeDrivenChange>[0], now: Date): void {
    if (this.stopped || this.opts.scheduled === false) return;
    if (this.floorTimer) clearTimeout(this.floorTimer);
    const maxAge = this.opts.maxAgeMs ?? 30_000;
    const next = nextTimeDrivenChange(state, now);
    // A few milliseconds past the instant, so the rebuild's clock reads it as passed.
    const delay = Math.min(maxAge, next ? next.getTime() - now.getTime() + 5 : maxAge);
    this.floorTimer = setTimeout(() => this.coalescer.signal(), Math.max(0, delay));
    this.floorTimer.unref();
  }
}
