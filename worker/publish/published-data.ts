import { createHash } from 'node:crypto';
import type { DbOrTx } from '../../db/client.ts';
import { loadPublishedState, loadSources, withSources, type PublishedState, type SourceRow } from '../status/read-model.ts';
import { nextTurn } from '../status/turns.ts';

/**
 * Which version of the published data a rebuild sees, per part. A document source's key is built from these (and
 * from the clock's facts when it depends on them), so it is run again only when something it shows changed.
 */
export interface Revisions {
  /** Components, incidents and windows: changes when a read finds any of them different. */
  data: number;
  /** The sources' rows (state, last success, last error), which polls write without signalling a change. */
  sources: number;
}

export interface PublishedDataOptions {
  db: DbOrTx;
  /**
   * The state is read in full at least this often even with no change signalled: what a read depends on moves with
   * time (closed incidents leave the 90 days shown), and a write that forgot to signal still shows within it.
   */
  maxAgeMs: number;
}

/**
 * The published state kept between rebuilds. It is read in full only after a signalled change, when a rebuild is
 * forced, or when older than `maxAgeMs`; any other rebuild (the clock's) reads the sources' few rows again and
 * reuses the rest. A read that finds what was there already keeps the revisions, so nothing is built again.
 */
export class PublishedData {
  private state: PublishedState | null = null;
  private readAt = 0;
  /** Changes signalled so far, and how many of them the last full read covers. */
  private changes = 0;
  private covered = 0;
  private stamps = { data: '', sources: '' };
  readonly revisions: Revisions = { data: 0, sources: 0 };

  constructor(private readonly opts: PublishedDataOptions) {}

  /** Something published was written: the next rebuild reads the state in full. */
  changed(): void {
    this.changes++;
  }

  /** The state at `now`, read as little as it can be (see the class). */
  async current(now: Date, force = false): Promise<{ state: PublishedState; read: 'full' | 'sources' }> {
    const wall = Date.now();
    if (force || !this.state || this.changes !== this.covered || wall - this.readAt >= this.opts.maxAgeMs) {
      // Taken before reading: a change signalled during the read calls for another one.
      const changes = this.changes;
      await this.accept(await loadPublishedState(this.opts.db, now));
      this.covered = changes;
      this.readAt = wall;
      return { state: this.state!, read: 'full' };
    }
    const rows = await loadSources(this.opts.db);
    const stamp = sourcesStamp(rows);
    if (stamp !== this.stamps.sources) {
      this.state = withSources(this.state, rows, now);
      this.stamps.sources = stamp;
      this.revisions.sources++;
    }
    return { state: this.state, read: 'sources' };
  }

  /** Takes a freshly read state, bumping the revision of each part that differs from what was read before. */
  private async accept(state: PublishedState): Promise<void> {
    const stamps = { data: await dataStamp(state), sources: sourcesStamp(state.sources) };
    if (this.state && stamps.data === this.stamps.data && stamps.sources === this.stamps.sources) return;
    if (stamps.data !== this.stamps.data) this.revisions.data++;
    if (stamps.sources !== this.stamps.sources) this.revisions.sources++;
    this.state = state;
    this.stamps = stamps;
  }
}

/** Everything read but the sources' rows, as a short hash of every field (so no change can slip through), a part per turn. */
async function dataStamp(state: PublishedState): Promise<string> {
  const links = [...state.sourcesByComponent].map(([componentId, list]) => [componentId, list.map((s) => s.id)]);
  const hash = createHash('sha1');
  for (const part of [state.components, links, state.incidents, state.maintenances]) {
    hash.update(JSON.stringify(part)).update('\n');
    await nextTurn();
  }
  return hash.digest('base64url');
}

function sourcesStamp(rows: SourceRow[]): string {
  return createHash('sha1').update(JSON.stringify(rows)).digest('base64url');
}
