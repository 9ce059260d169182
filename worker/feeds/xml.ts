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

/** The whole RSS document, as the builder writes it. */
function rssDocument(meta: FeedMeta, entries: FeedEntry[]): string {
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

/** The whole Atom document, as the builder writes it. */
function atomDocument(meta: FeedMeta, entries: FeedEntry[]): string {
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

/**
 * A feed is its head (the feed's own elements), its entries and a fixed tail, and the builder writes an entry the same
 * wherever it stands: each entry's text is written once and kept (a page's feeds share entries, and a rebuild keeps the
 * entries of what did not change), and a feed is put together from them. The same text as the whole document built at
 * once (tests compare them).
 */
function assembled(document: (meta: FeedMeta, entries: FeedEntry[]) => string, tail: string) {
  const texts = new WeakMap<FeedEntry, string>();
  const emptyOf = (meta: FeedMeta) => document(meta, []);
  const placeholder: FeedMeta = { title: '', description: '', link: '', self: '', author: '', language: '', updated: new Date(0) };
  const start = emptyOf(placeholder).length - tail.length;
  const textOf = (entry: FeedEntry) => {
    let text = texts.get(entry);
    if (text === undefined) {
      const alone = document(placeholder, [entry]);
      texts.set(entry, (text = alone.slice(start, alone.length - tail.length)));
    }
    return text;
  };
  return (meta: FeedMeta, entries: FeedEntry[]): string => {
    const empty = emptyOf(meta);
    // Written otherwise than expected (never, with this builder): the whole document at once.
    if (!empty.endsWith(tail)) return document(meta, entries);
    return empty.slice(0, empty.length - tail.length) + entries.map(textOf).join('') + tail;
  };
}

export const rssFeed = assembled(rssDocument, '  </channel>\n</rss>\n');
export const atomFeed = assembled(atomDocument, '</feed>\n');

/** The feeds as the builder writes them in one go (what the assembled ones are compared with). */
export const wholeFeeds = { rss: rssDocument, atom: atomDocument };

