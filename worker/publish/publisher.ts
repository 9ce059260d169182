import type { Config } from '../config/load.ts';
import type { Database } from '../../db/client.ts';
import { Coalescer } from '../lib/coalescer.ts';
import type { Logger } from '../lib/logger.ts';
import { securityHeadersFor, securityPolicyFor, type SecurityHeaderPolicy } from '../lib/security-headers.ts';
import { prepareRepresentation, type Representation } from '../http/representation.ts';
import type { PublishedState } from '../status/read-model.ts';
import type { DocumentSourceEntry, PublishedDocument, PublishInput } from './document.ts';
import { DOCUMENT_SOURCES } from './documents/index.ts';
import { encodeBody, etagOf, toBuffer } from './encode.ts';
import { nextTimeDrivenChange } from './next-change.ts';
import { PublishedData } from './published-data.ts';
import { nextTurn } from '../status/turns.ts';

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
  /**
   * The snapshot is rebuilt at least this often, so time-driven content never goes stale for long. Such a rebuild
   * reads only the sources' rows and runs only the sources whose key changed.
   */
  maxAgeMs?: number;
  /** The published state is read in full at least this often, even with no change signalled (default 10 min). */
  stateMaxAgeMs?: number;
  /**
   * False: rebuild only when `rebuildNow()` is called — no coalesced rebuilds on change, no clock-driven ones
   * (tests over a one-connection in-memory database, where a background read would interleave with a transaction).
   */
  scheduled?: boolean;
  /** Called with the paths of the documents a source changed, as soon as they are served (the site's pages follow). */
  onChange?: (paths: string[]) => void;
}

export interface PublishedEntry {
  representation: Representation;
  contentType: string;
}

/** What the publisher keeps of a source's last run: its documents as served, and what decides when it runs again. */
interface SourceRun {
  /** The key it ran with (undefined for a source without one). */
  key: string | undefined;
  /** Runs started so far: a run that ends after a later one started (a forced rebuild beside a heavy run) is dropped. */
  started: number;
  entries: Map<string, PublishedEntry>;
  /** Wall-clock time and local day of the run, and whether a change came since (for throttled sources). */
  ranAt: number;
  day: string;
  dirty: boolean;
  timer: NodeJS.Timeout | null;
}

/** Bodies hashed (and copied into buffers) between two turns of the event loop while a rebuild prepares them. */
const BYTES_PER_TURN = 1_000_000;

/**
 * The published snapshot: every public document computed once per change of what it shows, serialised once,
 * compressed once, and served from memory. Requests never read the database.
 */
export class Publisher {
  private entries = new Map<string, PublishedEntry>();
  private readonly data: PublishedData;
  private readonly coalescer: Coalescer;
  private floorTimer: NodeJS.Timeout | null = null;
  private firstBuild: Promise<void> | null = null;
  /** The heavy sources' run under way, beside the rebuilds. */
  private heavy: Promise<void> | undefined;
  private stopped = false;
  private readonly runs = new Map<string, SourceRun>();
  /** How many rebuilds have run (for tests and health). */
  rebuilds = 0;

  private readonly security: SecurityHeaderPolicy;

  constructor(private readonly opts: PublisherOptions) {
    this.security = securityPolicyFor(opts.config.site.url);
    this.data = new PublishedData({ db: opts.db, maxAgeMs: opts.stateMaxAgeMs ?? 600_000 });
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

  /** Every path a document is served at. */
  paths(): IterableIterator<string> {
    return this.entries.keys();
  }

  /** Whether a first snapshot exists. */
  get ready(): boolean {
    return this.rebuilds > 0;
  }

  /** Published state changed: rebuild soon (coalesced with other changes). */
  changed(_reason: string): void {
    this.data.changed();
    for (const run of this.runs.values()) run.dirty = true;
    if (this.opts.scheduled !== false) this.coalescer.signal();
  }

  /** Builds the first snapshot (once); later calls wait for it. */
  start(): Promise<void> {
    this.firstBuild ??= this.rebuild();
    return this.firstBuild;
  }

  /**
   * Resolves once every change signalled so far is published, by every source but the throttled ones (those follow
   * on their own schedule; `rebuildNow()` runs them too).
   */
  async settled(): Promise<void> {
    await this.start();
    await this.coalescer.settled();
  }

  /**
   * Reads the state again and rebuilds now, heavy sources included, outside the coalescing (tests, and the first
   * build); a source whose key is unchanged still keeps its documents.
   */
  async rebuildNow(): Promise<void> {
    await this.coalescer.settled();
    await this.rebuild(true);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.coalescer.stop();
    if (this.floorTimer) clearTimeout(this.floorTimer);
    for (const run of this.runs.values()) if (run.timer) clearTimeout(run.timer);
    await this.coalescer.idle();
    await this.firstBuild?.catch(() => undefined);
    await this.heavy;
  }

  /**
   * Reads the state once and runs the sources on it. Each source's documents are served as soon as it has run, and
   * the throttled (heavy) sources run after the rebuild, beside the next ones: a change reaches the API without
   * waiting for months of history. The first build and a forced one run everything before they end.
   */
  private async rebuild(force = false): Promise<void> {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const now = this.opts.now();
    const { state, read } = await this.data.current(now, force);
    const readMs = Math.round(performance.now() - started);
    const input: PublishInput = { db: this.opts.db, config: this.opts.config, now, state };
    const inline = force || this.rebuilds === 0;
    const sources = this.opts.sources ?? DOCUMENT_SOURCES;
    // The first snapshot is not a change: nothing was served before it.
    const run = await this.runAll(
      sources.filter((source) => inline || !source.throttle),
      input,
      force,
      this.rebuilds > 0,
    );
    this.rebuilds++;
    this.armFloor(state, now);
    this.log('snapshot rebuilt', started, cpu, { read, read_ms: readMs, ...run });
    if (!inline) this.runHeavy(sources.filter((source) => source.throttle), input);
  }

  /** Runs the heavy sources that are due, unless they are running already (they are marked dirty meanwhile). */
  private runHeavy(sources: DocumentSourceEntry[], input: PublishInput): void {
    if (this.heavy || this.stopped || !sources.length) return;
    const started = performance.now();
    const cpu = process.cpuUsage();
    this.heavy = this.runAll(sources, input, false, true)
      .then(
        (run) => {
          if (run.ran.length) this.log('snapshot rebuilt', started, cpu, { heavy: true, ...run });
        },
        (error: unknown) => {
          this.opts.logger.error({ err: error }, 'publishing failed; the previous snapshot stays online');
          this.retryLater();
        },
      )
      .finally(() => {
        this.heavy = undefined;
        // A change made while they ran is published by a rebuild of its own, which finds them due or arms their timer
        // (once armed, the timer asks for that rebuild).
        const waiting = (source: DocumentSourceEntry) => {
          const run = this.runs.get(source.name);
          return run?.dirty === true && !run.timer;
        };
        if (!this.stopped && this.opts.scheduled !== false && sources.some(waiting)) this.coalescer.signal();
      });
  }

  /**
   * Runs sources one after the other. With `notify`, the documents a source changed are announced (`onChange`) as
   * soon as it has run: what follows them (the site's pages) need not wait for the sources after it.
   */
  private async runAll(sources: DocumentSourceEntry[], input: PublishInput, force: boolean, notify: boolean) {
    const changed: string[] = [];
    const ran: string[] = [];
    /** Wall-clock time of each source that ran, its documents' hashing and compression included. */
    const took: Record<string, number> = {};
    for (const source of sources) {
      const started = performance.now();
      const before = changed.length;
      if (!(await this.run(source, input, force, changed))) continue;
      ran.push(source.name);
      took[source.name] = Math.round(performance.now() - started);
      if (notify && changed.length > before) this.opts.onChange?.(changed.slice(before));
    }
    return { ran, took, changed };
  }

  private log(message: string, started: number, cpu: NodeJS.CpuUsage, fields: Record<string, unknown>): void {
    // The process's CPU meanwhile: the rebuild's own, plus whatever requests ran between its turns.
    const used = process.cpuUsage(cpu);
    const cpuMs = Math.round((used.user + used.system) / 1000);
    const { changed, ...rest } = fields as { changed?: string[] };
    this.opts.logger.debug({ ms: Math.round(performance.now() - started), cpu_ms: cpuMs, ...rest, changed: changed?.length ?? 0 }, message);
  }

  /**
   * Runs a source, or keeps what it produced last time: when its key is unchanged, or, for a throttled one, when it
   * ran recently. Only the documents whose bytes changed are compressed again (their paths go to `changed`); they are
   * served from then on. Whether it ran.
   */
  private async run(source: DocumentSourceEntry, input: PublishInput, force: boolean, changed: string[]): Promise<boolean> {
    const last = this.runs.get(source.name);
    const key = source.key?.(input, this.data.revisions);
    if (last && key !== undefined && last.key === key) return false;
    const wall = Date.now();
    const day = localDay(input.now, this.opts.config.site.timezone);
    if (last && source.throttle && !force && last.day === day && wall - last.ranAt < source.throttle.maxAgeMs) {
      if (!last.dirty) return false;
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
        return false;
      }
    }
    if (last?.timer) clearTimeout(last.timer);
    // Marked clean before running: a change during the run makes it dirty again.
    const record: SourceRun = last ?? { key: undefined, started: 0, entries: new Map(), ranAt: 0, day, dirty: false, timer: null };
    Object.assign(record, { ranAt: wall, day, dirty: false, timer: null });
    const run = ++record.started;
    this.runs.set(source.name, record);
    try {
      const documents = await source.build(input);
      const { entries, renewed } = await this.prepare(documents);
      if (run !== record.started) return false;
      // Served from now on; what the source no longer publishes is gone.
      for (const path of record.entries.keys()) {
        if (entries.has(path)) continue;
        this.entries.delete(path);
        changed.push(path);
      }
      for (const [path, entry] of entries) this.entries.set(path, entry);
      changed.push(...renewed);
      record.entries = entries;
      record.key = key;
    } catch (error) {
      if (run === record.started) {
        record.dirty = true;
        record.key = undefined;
      }
      throw error;
    }
    // Let requests in between sources: the fast path must keep answering while a heavy source runs.
    await nextTurn();
    return true;
  }

  /**
   * Documents as served: an unchanged body keeps its encodings and its Last-Modified; the others (`renewed`) are
   * compressed.
   */
  private async prepare(documents: PublishedDocument[]): Promise<{ entries: Map<string, PublishedEntry>; renewed: string[] }> {
    const entries = new Map<string, PublishedEntry>();
    const renewed: string[] = [];
    let bytes = 0;
    for (const doc of documents) {
      const body = toBuffer(doc.body);
      bytes += body.length;
      if (bytes > BYTES_PER_TURN) {
        bytes = 0;
        await nextTurn();
      }
      const previous = this.entries.get(doc.path);
      const etag = etagOf(body);
      if (previous && previous.contentType === doc.contentType && previous.representation.body.etag === etag) {
        entries.set(doc.path, previous);
        continue;
      }
      entries.set(doc.path, {
        contentType: doc.contentType,
        representation: prepareRepresentation(await encodeBody(body, { etag }), {
          contentType: doc.contentType,
          cacheControl: DOCUMENT_CACHE_CONTROL,
          lastModified: new Date(),
          headers: {
            'access-control-allow-origin': '*',
            ...securityHeadersFor(this.security, doc.contentType, body, { framable: doc.framable }),
            ...doc.headers,
          },
        }),
      });
      renewed.push(doc.path);
    }
    return { entries, renewed };
  }

  /** After a failed rebuild (e.g. the database briefly unavailable), try again within the floor period. */
  private retryLater(): void {
    if (this.stopped || this.opts.scheduled === false) return;
    if (this.floorTimer) clearTimeout(this.floorTimer);
    this.floorTimer = setTimeout(() => this.coalescer.signal(), this.opts.maxAgeMs ?? 30_000);
    this.floorTimer.unref();
  }

  /** The next rebuild with no write: when the clock changes what is shown, and at least every `maxAgeMs`. */
  private armFloor(state: PublishedState, now: Date): void {
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
