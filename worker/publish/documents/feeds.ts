import { feedEntries } from '../../feeds/entries.ts';
import { embedStrings } from '../../feeds/strings.ts';
import { atomFeed, rssFeed, type FeedMeta } from '../../feeds/xml.ts';
import { nextTurn } from '../../status/turns.ts';
import type { DocumentSource, PublishedDocument } from '../document.ts';
import { absoluteUrl, localizedPath } from '../public-url.ts';

export const RSS_TYPE = 'application/rss+xml; charset=utf-8';
export const ATOM_TYPE = 'application/atom+xml; charset=utf-8';

/**
 * RSS 2.0 and Atom feeds of incidents and maintenance windows, for the whole page (`/feed.rss`, `/feed.atom`) and
 * per component (`/components/<id>/feed.rss`, `.atom`), in every locale of the page (others under `/<locale>/`).
 */
export const feedDocuments: DocumentSource = async ({ config, state }) => {
  const { site } = config;
  const documents: PublishedDocument[] = [];
  // The whole page's feed last: by then the components' feeds have written most of its entries, a few at a time.
  const scopes = state.components
    .map((c) => ({ base: `/components/${c.id}/`, page: `/components/${c.id}/`, componentId: c.id as string | undefined, name: c.name as string | undefined }))
    .concat([{ base: '/', page: '/', componentId: undefined, name: undefined }]);
  // A feed with no entries still needs a stable date: when the oldest component appeared.
  const fallback = new Date(state.components.length ? Math.min(...state.components.map((c) => c.createdAt.getTime())) : 0);
  for (const locale of site.locales) {
    const s = embedStrings(locale);
    const path = (p: string) => localizedPath(locale, site.default_locale, p);
    const memo = new Map();
    for (const scope of scopes) {
      // Hundreds of feeds on a large page: let requests in between, so a rebuild never holds the server for long.
      await nextTurn();
      const entries = feedEntries({ config, state, locale, componentId: scope.componentId, memo });
      const meta = (self: string): FeedMeta => ({
        title: `${site.name}: ${scope.name ? s.componentFeedTitle(scope.name) : s.feedTitle}`,
        description: s.feedDescription,
        link: absoluteUrl(site.url, path(scope.page)),
        self: absoluteUrl(site.url, self),
        author: site.name,
        language: locale,
        updated: entries[0]?.updated ?? fallback,
      });
      const rss = path(`${scope.base}feed.rss`);
      const atom = path(`${scope.base}feed.atom`);
      documents.push({ path: rss, contentType: RSS_TYPE, body: rssFeed(meta(rss), entries) });
      documents.push({ path: atom, contentType: ATOM_TYPE, body: atomFeed(meta(atom), entries) });
    }
  }
  return documents;
};
