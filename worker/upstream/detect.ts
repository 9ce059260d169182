/**
 * Which adapter fits a status page, found by probing. Every probe checks the body's shape, not only the status
 * code: some hosts answer 200 with the same HTML page for every path.
 *
 * Order: `/api/v2/summary.json` (Statuspage: `page` plus `status` or `components`) → `/summary.json` (Instatus:
 * `page` and `activeIncidents`) → `/api/v1/summary` (incident.io: `ongoing_incidents`) → `/index.json` (Better Stack:
 * `data` and `included`; recognised, but there is no adapter for it yet) → `incidents.json` (Google: a top-level
 * array whose rows have `status_impact`) → feeds (`/history.atom`, `/history.rss`, `/feed.atom`, `/en/feed.atom`,
 * then the URL itself).
 * A URL that already points at a JSON file or a feed is tried first, as itself.
 * incident.io pages often also answer the Statuspage path with only a page-level indicator; a Statuspage answer
 * without components is therefore kept as a fallback while the incident.io probe gets its chance.
 * What was tried is reported with each probe's URL redacted; a probe that got no answer (refused, reset, timed out,
 * closed) reads as one outcome, so detection tells nothing of a port's state. A refusal by the egress policy says so.
 */
import { XMLParser } from 'fast-xml-parser';
import { isPlainObject } from './adapters/shared.ts';
import { underBase } from './endpoint.ts';
import { fetchUpstream, type FetchOptions } from './fetch.ts';
import { sniffContent } from './sniff.ts';
import { redactText, redactUrl } from '../lib/redact.ts';
import { choiceSettingOf, pageComponentsIn, type ChoiceSetting, type PageComponent } from './page-components.ts';
import { pollSource } from './poll.ts';
import type { FetchFailure } from './fetch-result.ts';
import type { SourceType } from '../core/vocabulary.ts';

export type DetectResult =
  | { type: SourceType; url: string }
  | { error: string; tried: { url: string; outcome: string }[] };

/** A body's format; `statuspage-without-components` is a page-level-only summary, `betterstack` has no adapter yet. */
export type DetectedShape = SourceType | 'statuspage-without-components' | 'betterstack' | null;

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body.replace(/^\ufeff/, '')) as unknown;
  } catch {
    return undefined;
  }
}

const feedParser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, processEntities: false, maxNestedTags: 64 });

/** The format a body has, judged by its shape alone. */
export function classifyBody(body: string): DetectedShape {
  const kind = sniffContent(body);
  if (kind === 'xml') {
    try {
      const document = feedParser.parse(body) as unknown;
      if (isPlainObject(document) && (isPlainObject(document.feed) || (isPlainObject(document.rss) && isPlainObject(document.rss.channel)))) {
        return 'feed';
      }
    } catch {
      return null;
    }
    return null;
  }
  if (kind !== 'json') return null;
  const value = parseJson(body);
  if (Array.isArray(value)) {
    return value.length > 0 && value.every((row) => isPlainObject(row) && 'status_impact' in row) ? 'google' : null;
  }
  if (!isPlainObject(value)) return null;
  if (isPlainObject(value.page) && 'activeIncidents' in value) return 'instatus';
  if (isPlainObject(value.page) && (isPlainObject(value.status) || Array.isArray(value.components))) {
    return Array.isArray(value.components) && value.components.length > 0 ? 'statuspage' : 'statuspage-without-components';
  }
  if ('ongoing_incidents' in value && Array.isArray(value.ongoing_incidents)) return 'incidentio';
  if (isPlainObject(value.data) && Array.isArray(value.included)) return 'betterstack';
  return null;
}

interface Probe {
  url: string;
  /** The source URL to configure when this probe matches. */
  sourceFor: (type: SourceType) => string;
  accepts: readonly DetectedShape[];
}

const KNOWN_FILE =
  /(?:api\/v2\/[\w/-]+\.json|api\/v1\/summary|v\d\/components\.json|summary\.json|incidents\.json|products\.json|index\.json|history\.(?:atom|rss)|(?:[a-z]{2}\/)?feed\.atom)$/i;

function looksLikeFile(url: URL): boolean {
  return KNOWN_FILE.test(url.pathname) || /\.(?:json|atom|rss|xml)$/i.test(url.pathname);
}

/** The page's root for a URL that may point at one of its files: `…/api/v2/summary.json` → `…/`. */
function pageBase(url: URL): string {
  const root = new URL(url.href);
  root.search = '';
  root.hash = '';
  const known = KNOWN_FILE.exec(root.pathname);
  if (known) root.pathname = root.pathname.slice(0, known.index);
  else if (looksLikeFile(root)) return new URL('.', root).href;
  return root.href;
}

/** Said of every probe that got no usable answer, whatever the socket did. */
export const NO_STATUS_PAGE = 'could not read a status page at this address';

/** What a failed probe reports: an HTTP status or the policy's refusal; anything else is the one neutral outcome. */
function failureOutcome(result: FetchFailure): string {
  if (result.error.kind === 'refused') return result.error.message;
  if (result.error.kind === 'http_status' && result.error.status !== undefined) return `HTTP ${result.error.status}`;
  return NO_STATUS_PAGE;
}

export async function detectUpstream(
  inputUrl: string,
  options: { fetch?: Partial<FetchOptions>; fetcher?: typeof fetchUpstream } = {},
): Promise<DetectResult> {
  let input: URL;
  try {
    input = new URL(inputUrl);
    if (input.protocol !== 'http:' && input.protocol !== 'https:') throw new Error('scheme');
  } catch {
    return { error: `not an http(s) URL: ${redactUrl(inputUrl.slice(0, 200))}`, tried: [] };
  }
  const fetcher = options.fetcher ?? fetchUpstream;
  const base = pageBase(input);
  const at = (path: string): string => underBase(base, path);
  const itself = (): string => input.href;

  const probes: Probe[] = [];
  if (looksLikeFile(input)) {
    probes.push({ url: input.href, sourceFor: (type) => (type === 'feed' || type === 'google' ? input.href : base), accepts: ['statuspage', 'instatus', 'incidentio', 'google', 'feed'] });
  }
  probes.push(
    { url: at('api/v2/summary.json'), sourceFor: () => base, accepts: ['statuspage', 'statuspage-without-components'] },
    { url: at('summary.json'), sourceFor: () => base, accepts: ['instatus'] },
    { url: at('api/v1/summary'), sourceFor: () => base, accepts: ['incidentio'] },
    { url: at('index.json'), sourceFor: () => base, accepts: ['betterstack'] },
    { url: at('incidents.json'), sourceFor: () => base, accepts: ['google'] },
    { url: at('history.atom'), sourceFor: () => at('history.atom'), accepts: ['feed'] },
    { url: at('history.rss'), sourceFor: () => at('history.rss'), accepts: ['feed'] },
    { url: at('feed.atom'), sourceFor: () => at('feed.atom'), accepts: ['feed'] },
    { url: at('en/feed.atom'), sourceFor: () => at('en/feed.atom'), accepts: ['feed'] },
    { url: input.href, sourceFor: itself, accepts: ['feed'] },
  );

  const tried: { url: string; outcome: string }[] = [];
  let statuspageFallback: string | undefined;
  const probed = new Set<string>();
  for (const probe of probes) {
    if (probed.has(probe.url)) continue;
    probed.add(probe.url);
    const result = await fetcher(probe.url, { timeoutMs: 10_000, maxBytes: 2 * 1024 * 1024, ...options.fetch, expect: 'any' });
    if (!result.ok) {
      tried.push({ url: redactUrl(probe.url), outcome: failureOutcome(result) });
      continue;
    }
    const shape = classifyBody(result.body);
    if (shape === null || !probe.accepts.includes(shape)) {
      tried.push({ url: redactUrl(probe.url), outcome: shape === null ? `HTTP ${result.status}, not a known format` : `looks like ${shape}, not expected here` });
      continue;
    }
    if (shape === 'statuspage-without-components') {
      statuspageFallback ??= probe.sourceFor('statuspage');
      tried.push({ url: redactUrl(probe.url), outcome: 'Statuspage summary without components; trying the others first' });
      continue;
    }
    if (shape === 'betterstack') {
      return { error: 'this looks like a Better Stack page (index.json); there is no adapter for it yet', tried: [...tried, { url: redactUrl(probe.url), outcome: 'Better Stack' }] };
    }
    return { type: shape, url: probe.sourceFor(shape) };
  }
  if (statuspageFallback !== undefined) return { type: 'statuspage', url: statuspageFallback };
  return { error: 'no known status-page format answered at this address', tried };
}

/** What a detected page names, for choosing which components to follow before the source exists. */
export interface DetectedComponents {
  setting: ChoiceSetting | null;
  components: PageComponent[];
  /** Why the page gave no list (a failed read, a body the adapter refused), or null. */
  error: string | null;
}

/**
 * Reads a detected page once through its adapter, every endpoint and no choice applied, and lists the components it
 * names. Formats without components (feeds, HTTP checks) are not read again.
 */
export async function detectedComponents(
  detected: { type: SourceType; url: string; credentials?: string | null },
  options: { now: Date; fetch?: Partial<FetchOptions>; fetcher?: typeof fetchUpstream },
): Promise<DetectedComponents> {
  const setting = choiceSettingOf(detected.type);
  if (setting === null) return { setting, components: [], error: null };
  const outcome = await pollSource({ type: detected.type, url: detected.url, credentials: detected.credentials ?? null, options: {} }, undefined, {
    now: options.now,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.fetcher ? { fetcher: options.fetcher } : {}),
  });
  if (outcome.kind !== 'snapshot') return { setting, components: [], error: outcome.kind === 'failed' ? redactText(outcome.message) : null };
  return { setting, components: pageComponentsIn(outcome.snapshot), error: null };
}
