/** RSS 2.0 and Atom 1.0 documents from feed entries, written with a real XML builder (it escapes every text). */
import { XMLBuilder } from 'fast-xml-parser';
import type { FeedEntry } from './entries.ts';

export interface FeedMeta {
  title: string;
  description: string;
  /** The page the feed is about. */
  link: string;
  /** The feed's own address. */
  self: string;
  /** Who publishes it: the site's name. */
  author: string;
  /** BCP 47 language of its texts. */
  language: string;
  /** When the feed last changed: its newest entry, or a fixed instant when it has none (never "now"). */
  updated: Date;
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, suppressEmptyNode: true });
const DECLARATION = { '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' } };

/** Characters XML 1.0 does not allow at all (the builder escapes the rest). */
const clean = (text: string) => text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');

export function rssFeed(meta: FeedMeta, entries: FeedEntry[]): string {
  return builder.build({
    ...DECLARATION,
    rss: {
      '@_version': '2.0',
      '@_xmlns:atom': 'http://www.w3.org/2005/Atom',
      channel: {
        title: clean(meta.title),
        link: meta.link,
        description: clean(meta.description),
        language: meta.language,
        lastBuildDate: meta.updated.toUTCString(),
        'atom:link': { '@_href': meta.self, '@_rel': 'self', '@_type': 'application/rss+xml' },
        item: entries.map((e) => ({
          title: clean(e.title),
          link: e.link,
          guid: { '#text': e.id, '@_isPermaLink': 'false' },
          // The date of its latest news, so an updated incident reads as new again.
          pubDate: e.updated.toUTCString(),
          category: e.categories.map(clean),
          description: clean(e.html),
        })),
      },
    },
  });
}

export function atomFeed(meta: FeedMeta, entries: FeedEntry[]): string {
  return builder.build({
    ...DECLARATION,
    feed: {
      '@_xmlns': 'http://www.w3.org/2005/Atom',
      '@_xml:lang': meta.language,
      id: meta.self,
      title: clean(meta.title),
      subtitle: clean(meta.description),
      updated: meta.updated.toISOString(),
      link: [
        { '@_rel': 'self', '@_type': 'application/atom+xml', '@_href': meta.self },
        { '@_rel': 'alternate', '@_type': 'text/html', '@_href': meta.link },
      ],
      author: { name: clean(meta.author) },
      entry: entries.map((e) => ({
        id: e.id,
        title: clean(e.title),
        link: { '@_rel': 'alternate', '@_type': 'text/html', '@_href': e.link },
        published: e.published.toISOString(),
        updated: e.updated.toISOString(),
        category: e.categories.map((term) => ({ '@_term': clean(term) })),
        content: { '@_type': 'html', '#text': clean(e.html) },
      })),
    },
  });
}
