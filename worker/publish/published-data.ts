import { createHash } from 'node:crypto';
import type { DbOrTx } from '../../db/client.ts';
import {
  decodeIncidentView,
  loadPublishedState,
  loadSources,
  withSources,
  type IncidentView,
  type IncidentViewText,
  type PublishedState,
  type SourceRow,
} from '../status/read-model.ts';
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
      const incidents = new Map<string, Known<IncidentView>>();
      const read = await loadPublishedState(this.opts.db, now, { incidentView: (text) => this.incidentView(text, incidents) });
      await this.accept(read, incidents);
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
  private async accept(read: PublishedState, readIncidents: Map<string, Known<IncidentView>>): Promise<void> {
    const components = await this.share('components', read.components);
    await nextTurn();
    const incidents = { items: read.incidents, changed: this.keep('incidents', readIncidents) };
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

  /**
   * An incident's view from its text as read (every field, timeline, components, severity history): the object made
   * from the same text before, or a new one.
   */
  private incidentView(read: IncidentViewText, seen: Map<string, Known<IncidentView>>): IncidentView {
    const hash = createHash('sha1').update(read.incident);
    for (const part of [read.updates, read.links, read.history]) hash.update('\0').update(part ?? '');
    const print = hash.digest('base64url');
    const known = this.known.incidents.get(read.id);
    const kept = known?.print === print ? known : { print, item: decodeIncidentView(read) };
    seen.set(read.id, kept);
    return kept.item;
  }

  /** A part's items, each unchanged one as the object read before; whether any differs (or is new, or gone). */
  private async share<K extends 'components' | 'maintenances'>(part: K, items: PublishedState[K]): Promise<{ items: PublishedState[K]; changed: boolean }> {
    type Item = PublishedState[K][number];
    const before = this.known[part] as Map<string, Known<Item>>;
    const after = new Map<string, Known<Item>>();
    const shared = [] as Item[];
    for (const [k, item] of (items as Item[]).entries()) {
      if (k % ITEMS_PER_TURN === ITEMS_PER_TURN - 1) await nextTurn();
      const print = fingerprint(item);
      const known = before.get(item.id);
      const kept = known?.print === print ? known : { print, item };
      after.set(item.id, kept);
      shared.push(kept.item);
    }
    return { items: shared as PublishedState[K], changed: this.keep(part, after) };
  }

  /** Keeps what a read found of a part; whether it differs from the read before (an item new, changed or gone, or the order). */
  private keep<K extends Part>(part: K, after: Map<string, Known<PublishedState[K][number]>>): boolean {
    const before = this.known[part] as Map<string, Known<PublishedState[K][number]>>;
    this.known[part] = after as never;
    if (after.size !== before.size) return true;
    // Documents list the items in the order read: the same ones in another order is a change too.
    const order = [...after.keys()];
    return [...before].some(([id, known], k) => order[k] !== id || after.get(id) !== known);
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
