import type { Config } from '../config/load.ts';
import type { Database } from '../../db/client.ts';
import { Coalescer } from '../lib/coalescer.ts';
import type { Logger } from '../lib/logger.ts';
import { prepareRepresentation, type Representation } from '../http/representation.ts';
import { loadPublishedState } from '../status/read-model.ts';
import type { DocumentSourceEntry, PublishedDocument } from './document.ts';
import { DOCUMENT_SOURCES } from './documents/index.ts';
import { encodeBody, etagOf, toBuffer } from './encode.ts';
import { nextTimeDrivenChange } from './next-change.ts';
import type { PublishInput } from './document.ts';

/** The local calendar day of an instant in a time zone (throttled sources run again when it changes). */
const localDay = (at: Date, timeZone: string) => at.toLocaleDateString('en-CA', { timeZone });

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
  sources?: DocumentSourceEntry[];
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
  /** Per throttled source: when it last ran, its documents then, and whether a change came since. */
  private readonly throttled = new Map<string, { ranAt: number; day: string; documents: PublishedDocument[]; dirty: boolean; timer: NodeJS.Timeout | null }>();
  /** How many rebuilds have run (for tests and health). */
  rebuilds = 0;

  constructor(private readonly opts: PublisherOptions) {
    this.coalescer = new Coalescer({
      quietMs: opts.quietMs ?? 200,
      maxWaitMs: opts.maxWaitMs ?? 1_000,
      run: () => this.rebuild(),
      onError: (error) => {
        opts.logger.error({ err: error }, 'publishing failed; the previous snapshot stays online');
        this.retryLater();
      },
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
    for (const t of this.throttled.values()) t.dirty = true;
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

  /** Rebuilds everything now, heavy sources included, outside the coalescing (tests, and the first build). */
  async rebuildNow(): Promise<void> {
    await this.coalescer.settled();
    await this.rebuild(true);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.coalescer.stop();
    if (this.floorTimer) clearTimeout(this.floorTimer);
    for (const t of this.throttled.values()) if (t.timer) clearTimeout(t.timer);
    await this.coalescer.idle();
    await this.firstBuild?.catch(() => undefined);
  }

  private async rebuild(force = false): Promise<void> {
    const now = this.opts.now();
    const state = await loadPublishedState(this.opts.db, now);
    const input = { db: this.opts.db, config: this.opts.config, now, state };
    const documents: PublishedDocument[] = [];
    for (const source of this.opts.sources ?? DOCUMENT_SOURCES) {
      documents.push(...(await this.run(source, input, force)));
      // Let requests in between sources: the fast path must keep answering while a heavy source runs.
      await new Promise((r) => setImmediate(r));
    }

    const next = new Map<string, PublishedEntry>();
    const changed: string[] = [];
    for (const [k, doc] of documents.entries()) {
      if (k % 50 === 49) await new Promise((r) => setImmediate(r));
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
    this.armFloor(state, now);
    if (changed.length && this.rebuilds > 1) this.opts.onChange?.(changed);
  }

  /** Runs a source, or, for a throttled one that ran recently, reuses what it produced then. */
  private async run(source: DocumentSourceEntry, input: PublishInput, force: boolean): Promise<PublishedDocument[]> {
    if (!source.throttle) return source.build(input);
    const wall = Date.now();
    const day = localDay(input.now, this.opts.config.site.timezone);
    const last = this.throttled.get(source.name);
    if (last && !force && last.day === day && wall - last.ranAt < source.throttle.maxAgeMs) {
      if (!last.dirty) return last.documents;
      const wait = source.throttle.minIntervalMs - (wall - last.ranAt);
      if (wait > 0) {
        // Come back when the source may run again, so the change is published then even if nothing else happens.
        if (!last.timer && this.opts.scheduled !== false) {
          last.timer = setTimeout(() => {
            last.timer = null;
            this.coalescer.signal();
          }, wait);
          last.timer.unref();
        }
        return last.documents;
      }
    }
    if (last?.timer) clearTimeout(last.timer);
    // Marked clean before running: a change during the run makes it dirty again.
    const entry = { ranAt: wall, day, documents: last?.documents ?? [], dirty: false, timer: null };
    this.throttled.set(source.name, entry);
    entry.documents = await source.build(input);
    return entry.documents;
  }

  /** After a failed rebuild (e.g. the database briefly unavailable), try again within the floor period. */
  private retryLater(): void {
    if (this.stopped || this.opts.scheduled === false) return;
    if (this.floorTimer) clearTimeout(this.floorTimer);
    this.floorTimer = setTimeout(() => this.coalescer.signal(), this.opts.maxAgeMs ?? 30_000);
    this.floorTimer.unref();
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
