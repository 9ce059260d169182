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
  /** The components (with the sources linked to each): changes when a read finds any of them different. */
  components: number;
  /** The published incidents, with their timelines, components and severity histories. */
  incidents: number;
  /** The published maintenance windows, with their timelines and components. */
  maintenances: number;
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

/** An item of a part as last read: a hash of every field, and the object the state holds for it. */
interface Known<T> {
  print: string;
  item: T;
}

type Part = 'components' | 'incidents' | 'maintenances';

/**
 * The published state kept between rebuilds. It is read in full only after a signalled change, when a rebuild is
 * forced, or when older than `maxAgeMs`; any other rebuild (the clock's) reads the sources' few rows again and
 * reuses the rest. A read that finds what was there already keeps the revisions, so nothing is built again.
 *
 * An incident, window or component read again exactly as it was (every field, its timeline and links included)
 * keeps the object of the state before: what is computed from one item (its v2 form, its feed entries) can be kept
 * by object from one rebuild to the next, and a changed item is a new object.
 */
export class PublishedData {
  private state: PublishedState | null = null;
  private readAt = 0;
  /** Changes signalled so far, and how many of them the last full read covers. */
  private changes = 0;
  private covered = 0;
  private stamps = { links: '', sources: '' };
  private known: { [K in Part]: Map<string, Known<PublishedState[K][number]>> } = { components: new Map(), incidents: new Map(), maintenances: new Map() };
  readonly revisions: Revisions = { data: 0, components: 0, incidents: 0, maintenances: 0, sources: 0 };

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

  /**
   * Takes a freshly read state: each item read as it was keeps its object, and the revision of each part that
   * differs from what was read before goes up.
   */
  private async accept(read: PublishedState): Promise<void> {
    const components = await this.share('components', read.components);
    await nextTurn();
    const incidents = await this.share('incidents', read.incidents);
    await nextTurn();
    const maintenances = await this.share('maintenances', read.maintenances);
    const links = linksStamp(read);
    const sources = sourcesStamp(read.sources);
    const componentsChanged = components.changed || links !== this.stamps.links;
    const dataChanged = componentsChanged || incidents.changed || maintenances.changed;
    if (this.state && !dataChanged && sources === this.stamps.sources) return;
    if (componentsChanged) this.revisions.components++;
    if (incidents.changed) this.revisions.incidents++;
    if (maintenances.changed) this.revisions.maintenances++;
    if (dataChanged) this.revisions.data++;
    if (sources !== this.stamps.sources) this.revisions.sources++;
    this.state = { ...read, components: components.items, incidents: incidents.items, maintenances: maintenances.items };
    this.stamps = { links, sources };
  }

  /** A part's items, each unchanged one as the object read before; whether any differs (or is new, or gone). */
  private async share<K extends Part>(part: K, items: PublishedState[K]): Promise<{ items: PublishedState[K]; changed: boolean }> {
    type Item = PublishedState[K][number];
    const before = this.known[part] as Map<string, Known<Item>>;
    const after = new Map<string, Known<Item>>();
    let changed = items.length !== before.size;
    const shared = [] as Item[];
    for (const [k, item] of (items as Item[]).entries()) {
      if (k % ITEMS_PER_TURN === ITEMS_PER_TURN - 1) await nextTurn();
      const print = fingerprint(item);
      const known = before.get(item.id);
      const kept = known?.print === print ? known : { print, item };
      if (kept !== known) changed = true;
      after.set(item.id, kept);
      shared.push(kept.item);
    }
    // Same items in another order is a change too (documents list them in the order read).
    if (!changed) changed = [...before.keys()].some((id, k) => (items as Item[])[k]?.id !== id);
    this.known[part] = after as never;
    return { items: shared as PublishedState[K], changed };
  }
}

/** Items fingerprinted between two turns of the event loop. */
const ITEMS_PER_TURN = 500;

/** Every field of an item, its dates and nested rows included, as a short hash. */
const fingerprint = (item: unknown) => createHash('sha1').update(JSON.stringify(item)).digest('base64url');

/** Which sources feed each component. */
function linksStamp(state: PublishedState): string {
  const links = [...state.sourcesByComponent].map(([componentId, list]) => [componentId, list.map((s) => s.id)]);
  return createHash('sha1').update(JSON.stringify(links)).digest('base64url');
}

function sourcesStamp(rows: SourceRow[]): string {
  return createHash('sha1').update(JSON.stringify(rows)).digest('base64url');
}
