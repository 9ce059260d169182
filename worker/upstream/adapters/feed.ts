/**
 * RSS 2.0 and Atom feeds (Statuspage `/history.atom` and `/history.rss`, Google `feed.atom`, others).
 *
 * Each entry/item becomes an incident, or a maintenance when it carries Statuspage's `<maintenanceEndDate>`.
 * - Id: the JSON id from a link like `/incidents/<id>` when present (so it matches the Statuspage API's id), else
 *   the entry `<id>` / `<guid>`, else the link, else `title@date`.
 * - Severity: feeds carry none; it is null (no word to report).
 * - Status, a heuristic on the entry (first match wins):
 *   1. the first `<strong>` label in the content (Statuspage puts the newest update first as
 *      `<strong>Resolved</strong> - …`), if it is a status word;
 *   2. a status word prefixing the title (`RESOLVED: …`, `[Resuelto] …`);
 *   3. a resolution phrase in the first 300 characters of the text (the newest update): "resolved", "resuelto",
 *      "resuelta", "solucionado", "resolvido", "has been restored", "se ha restablecido", "completed";
 *   otherwise `investigating`.
 *   A resolved entry's resolvedAt is its `updated` (Atom) or `pubDate` (RSS) time.
 * - Recency: feeds are archives too, so entries whose newest time is older than `recentDays` (default 7) are left
 *   out, as for Google, whatever their status.
 * - Updates: one per entry, the whole content as plain text; feed formats do not split updates reliably.
 * - Maintenances: startsAt is the item's date, endsAt its maintenanceEndDate; the status is inferred from the window.
 * Titles and content go through the sanitiser: `<script>` and other markup never survive.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import { UpstreamFormatError } from '../errors.ts';
import { type EndpointSpec } from '../endpoint.ts';
import { ParseNotes } from '../notes.ts';
import { safeHttpUrl, toPlainLine, toPlainText } from '../sanitize.ts';
import { incidentStatusForWord } from '../severity.ts';
import { sniffContent } from '../sniff.ts';
import { parseTimestamp } from '../time.ts';
import type { IncidentStatus } from '../../core/vocabulary.ts';
import type { ParseContext, UpstreamIncident, UpstreamMaintenance, UpstreamSnapshot } from '../types.ts';
import { inferMaintenanceStatus } from './maintenance-status.ts';
import { isPlainObject } from './shared.ts';

export const feedOptionsSchema = z.object({
  recentDays: z.number().positive().max(365).default(7),
});
export type FeedOptions = z.input<typeof feedOptionsSchema>;

export function feedEndpoints(sourceUrl: string): EndpointSpec<'feed'>[] {
  return [{ key: 'feed', url: new URL(sourceUrl).href, required: true, expect: 'xml' }];
}

const WHERE = 'feed';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Ids and titles like "2024" must stay strings.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => name === 'entry' || name === 'item' || name === 'link',
  processEntities: { enabled: true, maxTotalExpansions: 1000, maxExpandedLength: 200_000 },
  maxNestedTags: 64,
});

/** The text of a parsed node: a string, `{ '#text': … }`, or the first of a list. */
function textOf(node: unknown): string | undefined {
  if (typeof node === 'string') return node;
  if (typeof node === 'number' || typeof node === 'boolean') return String(node);
  if (Array.isArray(node)) return textOf(node[0]);
  if (isPlainObject(node)) return textOf(node['#text']);
  return undefined;
}

/** Atom `<link href rel>` (several), or RSS `<link>text</link>`. Prefers rel="alternate" or no rel. */
function linkOf(node: unknown): string | undefined {
  const links = Array.isArray(node) ? node : [node];
  let fallback: string | undefined;
  for (const link of links) {
    if (typeof link === 'string') return link;
    if (!isPlainObject(link)) continue;
    const href = typeof link['@_href'] === 'string' ? link['@_href'] : textOf(link);
    if (href === undefined) continue;
    const rel = link['@_rel'];
    if (rel === undefined || rel === 'alternate') return href;
    fallback ??= href;
  }
  return fallback;
}

const STATUS_LABEL = /<strong>\s*([^<]{1,40}?)\s*<\/strong>/i;

const SPANISH_AND_PORTUGUESE_STATUS: Readonly<Record<string, IncidentStatus>> = {
  resuelto: 'resolved',
  resuelta: 'resolved',
  solucionado: 'resolved',
  resolvido: 'resolved',
  monitoreando: 'monitoring',
  monitorando: 'monitoring',
  identificado: 'identified',
  investigando: 'investigating',
};

function statusWord(word: string): IncidentStatus | null {
  const normalized = word.trim().toLowerCase();
  if (normalized === 'completed' || normalized === 'completado') return 'resolved';
  return incidentStatusForWord(normalized) ?? SPANISH_AND_PORTUGUESE_STATUS[normalized] ?? null;
}

/** `[Resolved] …`, `(Resuelto) …`, `RESOLVED: …`, `Resuelto - …` */
const TITLE_PREFIX = /^\s*(?:[[(]\s*([A-Za-zÀ-ÿ]+)\s*[\])]|([A-Za-zÀ-ÿ]+)\s*[:\-–])/;
const RESOLUTION_PHRASE =
  /\b(?:resolved|resuelto|resuelta|solucionado|resolvido|has been restored|se ha restablecido|completed)\b/i;

/** The entry's status from its content and title; see the module comment for the rules. */
export function guessEntryStatus(title: string, contentHtml: string): IncidentStatus {
  const label = STATUS_LABEL.exec(contentHtml.slice(0, 5000))?.[1];
  if (label) {
    const status = statusWord(toPlainLine(label));
    if (status) return status;
  }
  const prefixMatch = TITLE_PREFIX.exec(title);
  const prefix = prefixMatch?.[1] ?? prefixMatch?.[2];
  if (prefix) {
    const status = statusWord(prefix);
    if (status) return status;
  }
  const newest = toPlainText(contentHtml, 300);
  return RESOLUTION_PHRASE.test(newest) ? 'resolved' : 'investigating';
}

function idFrom(link: string | undefined, rawId: string | undefined, fallback: string): string {
  if (link) {
    const match = /\/incidents\/([A-Za-z0-9_-]{1,100})(?:[/?#]|$)/.exec(link);
    if (match?.[1]) return match[1];
  }
  const id = rawId?.trim();
  if (id) return id.slice(0, 300);
  if (link) return link.slice(0, 300);
  return fallback;
}

interface Entry {
  where: string;
  title: string;
  link: string | undefined;
  rawId: string | undefined;
  contentHtml: string;
  published: Date | null;
  updated: Date | null;
  maintenanceEnd: Date | null;
  isMaintenance: boolean;
}

function readDocument(body: unknown): { entries: Entry[]; kind: 'atom' | 'rss' } {
  if (typeof body !== 'string') {
    throw new UpstreamFormatError(`expected XML text at ${WHERE}, got ${body === null ? 'null' : typeof body}`, WHERE);
  }
  const kind = sniffContent(body);
  if (kind !== 'xml') {
    const got = kind === 'html' ? 'an HTML page' : kind === 'json' ? 'JSON' : kind === 'empty' ? 'an empty body' : 'plain text';
    throw new UpstreamFormatError(`expected an RSS or Atom feed at ${WHERE}, got ${got}`, WHERE);
  }
  // The parser quietly repairs mismatched tags, which would read a truncated or broken feed as a short one.
  // Structural errors fail the page; a stray "&" and similar slips of real-world feeds are tolerated.
  const validation = XMLValidator.validate(body);
  if (validation !== true && (validation.err.code === 'InvalidTag' || validation.err.code === 'InvalidXml')) {
    throw new UpstreamFormatError(
      `malformed XML at ${WHERE} (line ${validation.err.line}): ${validation.err.msg.slice(0, 200)}`,
      WHERE,
    );
  }
  let document: unknown;
  try {
    document = parser.parse(body);
  } catch (error) {
    const reason = error instanceof Error ? error.message.slice(0, 200) : 'unreadable';
    throw new UpstreamFormatError(`malformed XML at ${WHERE}: ${reason}`, WHERE);
  }
  if (!isPlainObject(document)) throw new UpstreamFormatError(`malformed XML at ${WHERE}`, WHERE);

  const atom = document.feed;
  if (isPlainObject(atom)) {
    const raw = Array.isArray(atom.entry) ? atom.entry : [];
    return { kind: 'atom', entries: raw.flatMap((entry, index) => atomEntry(entry, `${WHERE} entry[${index}]`)) };
  }
  const rss = document.rss;
  const channel = isPlainObject(rss) ? rss.channel : undefined;
  if (isPlainObject(channel)) {
    const raw = Array.isArray(channel.item) ? channel.item : [];
    return { kind: 'rss', entries: raw.flatMap((item, index) => rssItem(item, `${WHERE} item[${index}]`)) };
  }
  if (rss !== undefined) throw new UpstreamFormatError(`expected <rss> to hold a <channel> at ${WHERE}`, WHERE);
  throw new UpstreamFormatError(`expected an <rss> or <feed> root element at ${WHERE}`, WHERE);
}

function atomEntry(entry: unknown, where: string): Entry[] {
  if (!isPlainObject(entry)) return [{ ...emptyEntry(where) }];
  const contentHtml = textOf(entry.content) ?? textOf(entry.summary) ?? '';
  return [
    {
      where,
      title: toPlainLine(textOf(entry.title)),
      link: linkOf(entry.link),
      rawId: textOf(entry.id),
      contentHtml,
      published: parseTimestamp(textOf(entry.published)),
      updated: parseTimestamp(textOf(entry.updated)),
      maintenanceEnd: null,
      isMaintenance: false,
    },
  ];
}

function rssItem(item: unknown, where: string): Entry[] {
  if (!isPlainObject(item)) return [{ ...emptyEntry(where) }];
  const contentHtml = textOf(item['content:encoded']) ?? textOf(item.description) ?? '';
  const date = parseTimestamp(textOf(item.pubDate)) ?? parseTimestamp(textOf(item['dc:date']));
  const maintenanceEndText = textOf(item.maintenanceEndDate);
  return [
    {
      where,
      title: toPlainLine(textOf(item.title)),
      link: linkOf(item.link) ?? textOf(item.guid),
      rawId: textOf(item.guid),
      contentHtml,
      published: date,
      updated: date,
      maintenanceEnd: parseTimestamp(maintenanceEndText),
      isMaintenance: maintenanceEndText !== undefined,
    },
  ];
}

function emptyEntry(where: string): Entry {
  return {
    where,
    title: '',
    link: undefined,
    rawId: undefined,
    contentHtml: '',
    published: null,
    updated: null,
    maintenanceEnd: null,
    isMaintenance: false,
  };
}

export function parseFeed(body: unknown, ctx: ParseContext, options: FeedOptions = {}): UpstreamSnapshot {
  const { recentDays } = feedOptionsSchema.parse(options);
  const notes = new ParseNotes();
  const { entries } = readDocument(body);
  const oldest = ctx.now.getTime() - recentDays * 24 * 60 * 60 * 1000;
  const incidents: UpstreamIncident[] = [];
  const maintenances: UpstreamMaintenance[] = [];
  const seen = new Set<string>();

  for (const entry of entries) {
    const newest = entry.updated ?? entry.published;
    const start = entry.published ?? entry.updated;
    if (!newest || !start) {
      notes.dropped(entry.where, 'no readable date');
      continue;
    }
    if (entry.title === '') {
      notes.dropped(entry.where, 'no title');
      continue;
    }
    const link = safeHttpUrl(entry.link, ctx.sourceUrl);
    const id = idFrom(link, entry.rawId, `${entry.title}@${start.toISOString()}`);
    if (seen.has(id)) {
      notes.dropped(entry.where, `duplicate entry id ${id}`);
      continue;
    }
    seen.add(id);
    const text = toPlainText(entry.contentHtml);

    if (entry.isMaintenance) {
      if ((entry.maintenanceEnd ?? newest).getTime() < oldest) continue;
      maintenances.push({
        upstreamId: id,
        title: entry.title,
        status: inferMaintenanceStatus(start, entry.maintenanceEnd, ctx.now),
        startsAt: start,
        endsAt: entry.maintenanceEnd,
        ...(link ? { url: link } : {}),
        ...(text ? { body: text } : {}),
        componentUpstreamIds: [],
      });
      continue;
    }

    if (newest.getTime() < oldest) continue;
    const status = guessEntryStatus(entry.title, entry.contentHtml);
    const resolved = status === 'resolved' || status === 'postmortem';
    incidents.push({
      upstreamId: id,
      title: entry.title,
      status,
      impactRaw: null,
      severity: null,
      startedAt: start,
      resolvedAt: resolved ? newest : null,
      ...(link ? { url: link } : {}),
      componentUpstreamIds: [],
      updates: text ? [{ upstreamId: `${id}@${newest.toISOString()}`, status, body: text, createdAt: newest }] : [],
    });
  }

  return { components: [], incidents, maintenances, unknownWords: notes.unknownWords, problems: notes.problems };
}
