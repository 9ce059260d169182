/**
 * What every poller of one database shares, whoever started the poll (the scheduler or the admin API's "poll
 * now"): a lock that runs the watch's database work one piece at a time (libsql `:memory:` has a single
 * connection, and an open transaction holds it), and the polls under way, so a source is never polled twice at once.
 */
import type { Database } from '../../db/client.ts';

export class SerialLock {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `work` after everything queued before it; a failure does not block what comes next. */
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

export interface WatchRuntime {
  lock: SerialLock;
  /** Polls under way by source id; settles when the poll is recorded. */
  inFlight: Map<string, Promise<unknown>>;
  /** Sources picked by the scheduler and waiting for a slot; a poll now takes a source out of here. */
  queued: Set<string>;
  /** When each source last had every endpoint asked, secondary ones included (ms). */
  fullCheckAt: Map<string, number>;
  /** A digest of the last snapshot recorded in full per source (see run.ts); forget it when what it means changes. */
  fingerprints: Map<string, string>;
  /**
   * How many times each source's meaning (settings, components) changed or it was removed. A poll started before
   * such a change is not recorded: it was read with the old settings, and recording it would also put back the
   * cache and the next poll time the change had just cleared.
   */
  changes: Map<string, number>;
}

const runtimes = new WeakMap<Database, WatchRuntime>();

/**
 * After a change to a source's settings or components (or its removal), its next snapshot is reconciled in full,
 * and a poll of it still under way is not recorded. Called under the watch's lock.
 */
export function forgetSnapshot(db: Database, sourceId: string): void {
  const runtime = runtimes.get(db);
  runtime?.fingerprints.delete(sourceId);
  runtime?.fullCheckAt.delete(sourceId);
  runtime?.changes.set(sourceId, (runtime.changes.get(sourceId) ?? 0) + 1);
}

export function watchRuntime(db: Database): WatchRuntime {
  let runtime = runtimes.get(db);
  if (!runtime) {
    runtime = { lock: new SerialLock(), inFlight: new Map(), queued: new Set(), fullCheckAt: new Map(), fingerprints: new Map(), changes: new Map() };
    runtimes.set(db, runtime);
  }
  return runtime;
}
