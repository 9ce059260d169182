/**
 * What a body looks like, judged from its first characters. Hosts lie in Content-Type (and some answer every path
 * with a 200 HTML page), so the body decides; the declared type is only a tie-breaker for text that starts with "<".
 */
export type ContentKind = 'json' | 'html' | 'xml' | 'text' | 'empty';

const HTML_START = /^<(?:!doctype\s+html|html|head|body|meta|title|script|div|p|br|!--)[\s>/]/i;
const XML_START = /^<(?:\?xml|rss|feed|rdf:rdf)[\s>]/i;

export function sniffContent(body: string, contentType?: string | null): ContentKind {
  const head = body.slice(0, 2048).replace(/^\ufeff/, '').trimStart();
  if (head === '') return 'empty';
  const first = head[0];
  if (first === '{' || first === '[') return 'json';
  if (first !== '<') {
    // JSON scalars are valid JSON documents but never a status page; a quoted string or number is still "json".
    if (/^(?:"|-?\d|true\b|false\b|null\b)/.test(head)) return 'json';
    return 'text';
  }
  if (XML_START.test(head)) {
    // An XML declaration followed by an XHTML page is still a page, not a feed.
    return /<html[\s>]/i.test(head) && !/<(?:rss|feed)[\s>]/i.test(head) ? 'html' : 'xml';
  }
  if (HTML_START.test(head)) return 'html';
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('html')) return 'html';
  return 'xml';
}
