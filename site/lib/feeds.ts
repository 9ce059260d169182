/** Addresses of the published feeds and badges a page links to (the worker publishes them; see README). */
import { localePath, t, type Locale } from './i18n.ts';

export interface Alternate {
  href: string;
  type: string;
  title: string;
}

/** Feeds exist in the configured languages; a page in another language points at the root's. */
export const feedPath = (locale: Locale, configured: readonly string[], path: string) => (configured.includes(locale) ? localePath(locale, path) : path);

/** RSS and Atom of the whole page (`base` = `/`) or of one component (`base` = `/components/<id>/`). */
export function feedAlternates(locale: Locale, configured: readonly string[], base: string, name: string): Alternate[] {
  const title = `${name}: ${t(locale).feeds.feedTitle}`;
  return [
    { href: feedPath(locale, configured, `${base}feed.rss`), type: 'application/rss+xml', title: `${title} (RSS)` },
    { href: feedPath(locale, configured, `${base}feed.atom`), type: 'application/atom+xml', title: `${title} (Atom)` },
  ];
}
