import { feedEntries, type FeedEntry } from '../../feeds/entries.ts';
import { embedStrings } from '../../feeds/strings.ts';
import { atomFeed, rssFeed, type FeedMeta } from '../../feeds/xml.ts';
import type { IncidentView, MaintenanceView, PublishedState } from '../../status/read-model.ts';
import { nextTurn } from '../../status/turns.ts';
import type { DocumentSource, PublishedDocument } from '../document.ts';
import { absoluteUrl, localizedPath } from '../public-url.ts';

export const RSS_TYPE = 'application/rss+xml; charset=utf-8';
export const ATOM_TYPE = 'application/atom+xml; charset=utf-8';

/**
 * One scope's two feeds as last written, with the entries and the words they were written from. Kept as the bytes
 * published, so the snapshot and this memo hold one copy.
 */
interface WrittenFeeds {
  entries: FeedEntry[];
  title: string;
  updated: number;
  rss: Buffer;
  atom: Buffer;
}

/**
 * What the feeds were written from, per database (the publisher passes the same handle on every rebuild): entries by
 * incident or window object per locale (the published state keeps the object of an unchanged item), and each scope's
 * feeds. Made anew when the components' names change, which entries and titles show.
 */
interface FeedsMemo {
  names: string;
  entries: Map<string, WeakMap<IncidentView | MaintenanceView, FeedEntry>>;
  written: Map<string, WrittenFeeds>;
}
const memos = new WeakMap<object, FeedsMemo>();

/** Each component's incidents and windows, found in one pass (hundreds of component feeds on a large page). */
function byComponent(state: PublishedState): Map<string, Pick<PublishedState, 'incidents' | 'maintenances'>> {
  const parts = new Map(state.components.map((c) => [c.id, { incidents: [] as IncidentView[], maintenances: [] as MaintenanceView[] }]));
  for (const incident of state.incidents) for (const id of new Set(incident.components.map((c) => c.componentId))) parts.get(id)?.incidents.push(incident);
  for (const window of state.maintenances) for (const id of new Set(window.componentIds)) parts.get(id)?.maintenances.push(window);
  return parts;
}

const sameEntries = (a: FeedEntry[], b: FeedEntry[]) => a.length === b.length && a.every((entry, k) => entry === b[k]);

/**
 * RSS 2.0 and Atom feeds of incidents and maintenance windows, for the whole page (`/feed.rss`, `/feed.atom`) and
 * per component (`/components/<id>/feed.rss`, `.atom`), in every locale of the page (others under `/<locale>/`).
 * A write touches a few components: the feeds whose entries are the same objects as last time keep their text.
 */
export const feedDocuments: DocumentSource = async ({ db, config, state }) => {
  const { site } = config;
  const names = JSON.stringify(state.components.map((c) => [c.id, c.name]));
  let memo = memos.get(db);
  if (!memo || memo.names !== names) memos.set(db, (memo = { names, entries: new Map(), written: new Map() }));
  const documents: PublishedDocument[] = [];
  const parts = byComponent(state);
  // The whole page's feed last: by then the components' feeds have written most of its entries, a few at a time.
  const scopes = state.components
    .map((c) => ({ base: `/components/${c.id}/`, page: `/components/${c.id}/`, name: c.name as string | undefined, state: { ...state, ...parts.get(c.id)! } }))
    .concat([{ base: '/', page: '/', name: undefined, state }]);
  // A feed with no entries still needs a stable date: when the oldest component appeared.
  const fallback = new Date(state.components.length ? Math.min(...state.components.map((c) => c.createdAt.getTime())) : 0);
  const written = new Map<string, WrittenFeeds>();
  for (const locale of site.locales) {
    const s = embedStrings(locale);
    const path = (p: string) => localizedPath(locale, site.default_locale, p);
    let entryMemo = memo.entries.get(locale);
    if (!entryMemo) memo.entries.set(locale, (entryMemo = new WeakMap()));
    for (const scope of scopes) {
      // Hundreds of feeds on a large page: let requests in between, so a rebuild never holds the server for long.
      await nextTurn();
      const entries = feedEntries({ config, state: scope.state, locale, memo: entryMemo });
      const title = `${site.name}: ${scope.name ? s.componentFeedTitle(scope.name) : s.feedTitle}`;
      const updated = entries[0]?.updated ?? fallback;
      const rss = path(`${scope.base}feed.rss`);
      const atom = path(`${scope.base}feed.atom`);
      const before = memo.written.get(rss);
      let feeds: WrittenFeeds;
      if (before && before.title === title && before.updated === updated.getTime() && sameEntries(before.entries, entries)) feeds = before;
      else {
        const meta = (self: string): FeedMeta => ({
          title,
          description: s.feedDescription,
          link: absoluteUrl(site.url, path(scope.page)),
          self: absoluteUrl(site.url, self),
          author: site.name,
          language: locale,
          updated,
        });
        feeds = { entries, title, updated: updated.getTime(), rss: Buffer.from(rssFeed(meta(rss), entries)), atom: Buffer.from(atomFeed(meta(atom), entries)) };
      }
      written.set(rss, feeds);
      documents.push({ path: rss, contentType: RSS_TYPE, body: feeds.rss });
      documents.push({ path: atom, contentType: ATOM_TYPE, body: feeds.atom });
    }
  }
  memo.written = written;
  return documents;
};
