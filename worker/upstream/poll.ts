/**
 * One poll of one upstream source: fetch its endpoints (conditionally), decide whether anything changed, parse.
 * Never throws. Recording the outcome and scheduling the next poll belong to the caller:
 * - `unchanged`: every endpoint answered 304; the last snapshot is still current.
 * - `snapshot`: a fresh snapshot; store it and the returned cache.
 * - `failed`: keep the last snapshot and its age; `retryable` says whether an early retry (with back-off) makes sense.
 * The cache is plain JSON so it can be stored next to the snapshot. The caller may pass the validators alone and a
 * `loadBodies` function: kept bodies are then read only when some endpoint changed, so a poll that ends in 304s
 * never reads them.
 */
import { adapters, type EndpointResponses } from './adapter.ts';
import { UpstreamFormatError } from './errors.ts';
import { fetchUpstream, type FetchOptions, type FetchResult, type FetchSuccess } from './fetch.ts';
import type { EndpointSpec } from './endpoint.ts';
import { redactUrl, withCredentials, withoutCredentials } from '../lib/redact.ts';
import type { CachedEndpoint, KeptCache, KeptEndpoint, PollOutcome, UpstreamSource } from './poll-outcome.ts';

// The kept cache and the outcomes are declared in poll-outcome.ts; importers of the polling find them here too.
export type { CachedEndpoint, EndpointCache, KeptCache, KeptEndpoint, PollOutcome, UpstreamSource } from './poll-outcome.ts';

export interface PollOptions {
  now: Date;
  /** Fetch settings on top of the defaults and the adapter's own. */
  fetch?: Partial<FetchOptions>;
  /** The fetcher; tests and benches may wrap it. */
  fetcher?: typeof fetchUpstream;
  /**
   * Ask the endpoints that show the current state first, and the secondary ones (history, catalogue) only if those
   * changed. The caller decides how often every endpoint must still be asked (edits to past incidents).
   */
  skipSecondary?: boolean;
  /** Reads kept bodies the `previous` cache left out; called at most once per poll, only when needed. */
  loadBodies?: (keys: string[]) => Promise<Readonly<Record<string, string>>>;
}

export async function pollSource(
  source: UpstreamSource,
  previous: KeptCache | undefined,
  options: PollOptions,
): Promise<PollOutcome> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  let cache: KeptCache = previous ?? {};
  const fetcher = options.fetcher ?? fetchUpstream;
  try {
    const adapter = adapters[source.type];
    // Credentials go into the endpoints' URLs for the request alone (sent as Basic authorization on that host); the
    // adapter's parse and every message see the bare address.
    const endpoints = adapter.endpoints(withCredentials(source.url, source.credentials), source.options);
    const fetchOne = async (endpoint: EndpointSpec) => {
      const kept = adapter.conditional ? cache[endpoint.key] : undefined;
      const result = await fetcher(endpoint.url, {
        ...adapter.fetchOptions,
        ...options.fetch,
        expect: endpoint.expect,
        // Validators only when we hold the body they stand for; otherwise a 304 would leave us with nothing.
        previous: kept ? { etag: kept.etag, lastModified: kept.lastModified } : undefined,
      });
      return { endpoint, result, kept };
    };
    type Fetched = Awaited<ReturnType<typeof fetchOne>>;

    /** Nothing new: every endpoint answered 304, or failed as optional and was never kept (parsed without it). */
    const sameAsLastTime = (fetched: Fetched[]): boolean =>
      fetched.some(({ result }) => result.ok) &&
      fetched.every(({ endpoint, result, kept }) => (result.ok && result.notModified) || (!result.ok && !endpoint.required && kept === undefined));
    const failedRequired = (fetched: Fetched[]): PollOutcome | undefined => {
      const failed = fetched.find(({ endpoint, result }) => endpoint.required && !result.ok);
      if (!failed || failed.result.ok) return undefined;
      const { error } = failed.result;
      return {
        kind: 'failed',
        stage: 'fetch',
        message: `${failed.endpoint.key}: ${error.message}`,
        retryable: error.retryable,
        ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
        cache,
        latencyMs: elapsed(),
      };
    };

    // With `skipSecondary`, the endpoints that show the current state are asked first; history endpoints only
    // when something changed.
    const twoRounds = options.skipSecondary === true && adapter.conditional && endpoints.some((e) => e.secondary) && endpoints.some((e) => !e.secondary);
    let results: Fetched[];
    if (twoRounds) {
      const first = await Promise.all(endpoints.filter((e) => !e.secondary).map(fetchOne));
      if (sameAsLastTime(first)) {
        return { kind: 'unchanged', cache, latencyMs: elapsed(), skipped: endpoints.filter((e) => e.secondary).map((e) => e.key) };
      }
      const failure = failedRequired(first);
      if (failure) return failure;
      const second = await Promise.all(endpoints.filter((e) => e.secondary).map(fetchOne));
      results = endpoints.map((e) => [...first, ...second].find((f) => f.endpoint === e)!);
    } else {
      results = await Promise.all(endpoints.map(fetchOne));
    }

    if (!adapter.observesFailures) {
      if (sameAsLastTime(results)) return { kind: 'unchanged', cache, latencyMs: elapsed(), skipped: [] };
      const failure = failedRequired(results);
      if (failure) return failure;
    }

    // Kept bodies are needed only now that something changed: read the missing ones in one go.
    const needed = results
      .filter(({ result, kept }) => kept !== undefined && kept.body === undefined && (!result.ok || result.notModified))
      .map(({ endpoint }) => endpoint.key);
    const loaded = needed.length > 0 && options.loadBodies ? await options.loadBodies(needed) : {};
    const bodyOf = (key: string, kept: KeptEndpoint | undefined): CachedEndpoint | undefined => {
      const body = kept?.body ?? loaded[key];
      return kept && body !== undefined ? { etag: kept.etag, lastModified: kept.lastModified, body } : undefined;
    };
    const lost = needed.filter((key) => loaded[key] === undefined);
    if (lost.length > 0) {
      // Validators without their body must not be sent again, or the next 304 would leave nothing to parse.
      cache = Object.fromEntries(Object.entries(cache).filter(([key]) => !lost.includes(key)));
    }

    const warnings: string[] = [];
    const fresh: string[] = [];
    const responses: Record<string, FetchResult> = {};
    const nextCache: Record<string, CachedEndpoint> = {};
    for (const { endpoint, result, kept: keptValidators } of results) {
      const kept = bodyOf(endpoint.key, keptValidators);
      if (result.ok && !result.notModified) {
        responses[endpoint.key] = result;
        // Bodies are kept only for conditional requests; a health check never sends validators.
        if (adapter.conditional) {
          nextCache[endpoint.key] = { etag: result.etag, lastModified: result.lastModified, body: result.body };
          fresh.push(endpoint.key);
        }
      } else if (result.ok && kept) {
        responses[endpoint.key] = { ...result, body: kept.body } satisfies FetchSuccess;
        nextCache[endpoint.key] = { etag: result.etag, lastModified: result.lastModified, body: kept.body };
      } else if (adapter.observesFailures) {
        responses[endpoint.key] = result;
      } else if (kept) {
        warnings.push(`${endpoint.key}: ${describeFailure(result)}; using the body from the last good poll`);
        responses[endpoint.key] = { ...stale(withoutCredentials(endpoint.url)), body: kept.body };
        nextCache[endpoint.key] = kept;
      } else if (endpoint.required) {
        return { kind: 'failed', stage: 'fetch', message: `${endpoint.key}: ${describeFailure(result)}`, retryable: true, cache, latencyMs: elapsed() };
      } else {
        warnings.push(`${endpoint.key}: ${describeFailure(result)}; parsed without it`);
      }
    }

    const snapshot = adapter.parse(responses satisfies EndpointResponses, {
      now: options.now,
      // Links are resolved against it and a page without its own address is linked to it: never with a secret.
      sourceUrl: redactUrl(source.url),
      options: source.options,
    });
    return { kind: 'snapshot', snapshot, cache: nextCache, fresh, warnings, latencyMs: elapsed() };
  } catch (error) {
    if (error instanceof UpstreamFormatError) {
      return { kind: 'failed', stage: 'parse', message: error.message, retryable: false, cache, latencyMs: elapsed() };
    }
    // Last line of defence: nothing an upstream sends may throw out of a poll.
    const message = error instanceof Error ? `${error.name}: ${error.message}` : 'unexpected failure';
    return { kind: 'failed', stage: 'internal', message: message.slice(0, 500), retryable: false, cache, latencyMs: elapsed() };
  }
}

function describeFailure(result: FetchResult): string {
  if (result.ok) return 'answered 304 but no body is kept';
  return result.error.message;
}

function stale(url: string): FetchSuccess {
  return {
    ok: true,
    status: 200,
    body: '',
    etag: null,
    lastModified: null,
    notModified: true,
    latencyMs: 0,
    url,
    contentType: null,
    truncated: false,
  };
}
