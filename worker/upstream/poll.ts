/**
 * One poll of one upstream source: fetch its endpoints (conditionally), decide whether anything changed, parse.
 * Never throws. Recording the outcome and scheduling the next poll belong to the caller:
 * - `unchanged`: every endpoint answered 304; the last snapshot is still current.
 * - `snapshot`: a fresh snapshot; store it and the returned cache.
 * - `failed`: keep the last snapshot and its age; `retryable` says whether an early retry (with back-off) makes sense.
 * The cache is plain JSON so it can be stored next to the snapshot.
 */
import { adapters, type EndpointResponses } from './adapter.ts';
import { UpstreamFormatError } from './errors.ts';
import { fetchUpstream, type FetchOptions, type FetchResult, type FetchSuccess } from './fetch.ts';
import type { AdapterType, UpstreamSnapshot } from './types.ts';

export interface CachedEndpoint {
  etag: string | null;
  lastModified: string | null;
  body: string;
}

/** Last good bodies and validators by endpoint key. */
export type EndpointCache = Readonly<Record<string, CachedEndpoint>>;

export interface UpstreamSource {
  type: AdapterType;
  url: string;
  options?: unknown;
}

export type PollOutcome =
  | { kind: 'unchanged'; cache: EndpointCache; latencyMs: number }
  | { kind: 'snapshot'; snapshot: UpstreamSnapshot; cache: EndpointCache; warnings: string[]; latencyMs: number }
  | {
      kind: 'failed';
      stage: 'fetch' | 'parse' | 'internal';
      message: string;
      retryable: boolean;
      retryAfterMs?: number;
      /** The cache as it was: a failed poll must not replace what was known. */
      cache: EndpointCache;
      latencyMs: number;
    };

export interface PollOptions {
  now: Date;
  /** Fetch settings on top of the defaults and the adapter's own. */
  fetch?: Partial<FetchOptions>;
  /** The fetcher; tests and benches may wrap it. */
  fetcher?: typeof fetchUpstream;
}

export async function pollSource(
  source: UpstreamSource,
  previous: EndpointCache | undefined,
  options: PollOptions,
): Promise<PollOutcome> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  const cache: EndpointCache = previous ?? {};
  const fetcher = options.fetcher ?? fetchUpstream;
  try {
    const adapter = adapters[source.type];
    const endpoints = adapter.endpoints(source.url, source.options);
    const results = await Promise.all(
      endpoints.map(async (endpoint) => {
        const kept = adapter.conditional ? cache[endpoint.key] : undefined;
        const result = await fetcher(endpoint.url, {
          ...adapter.fetchOptions,
          ...options.fetch,
          expect: endpoint.expect,
          // Validators only when we hold the body they stand for; otherwise a 304 would leave us with nothing.
          previous: kept ? { etag: kept.etag, lastModified: kept.lastModified } : undefined,
        });
        return { endpoint, result, kept };
      }),
    );

    if (!adapter.observesFailures) {
      if (results.every(({ result }) => result.ok && result.notModified)) {
        return { kind: 'unchanged', cache, latencyMs: elapsed() };
      }
      const failedRequired = results.find(({ endpoint, result }) => endpoint.required && !result.ok);
      if (failedRequired && !failedRequired.result.ok) {
        const { error } = failedRequired.result;
        return {
          kind: 'failed',
          stage: 'fetch',
          message: `${failedRequired.endpoint.key}: ${error.message}`,
          retryable: error.retryable,
          ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
          cache,
          latencyMs: elapsed(),
        };
      }
    }

    const warnings: string[] = [];
    const responses: Record<string, FetchResult> = {};
    const nextCache: Record<string, CachedEndpoint> = {};
    for (const { endpoint, result, kept } of results) {
      if (result.ok && !result.notModified) {
        responses[endpoint.key] = result;
        nextCache[endpoint.key] = { etag: result.etag, lastModified: result.lastModified, body: result.body };
      } else if (result.ok && kept) {
        responses[endpoint.key] = { ...result, body: kept.body } satisfies FetchSuccess;
        nextCache[endpoint.key] = { etag: result.etag, lastModified: result.lastModified, body: kept.body };
      } else if (adapter.observesFailures) {
        responses[endpoint.key] = result;
      } else if (kept) {
        warnings.push(`${endpoint.key}: ${describeFailure(result)}; using the body from the last good poll`);
        responses[endpoint.key] = { ...stale(endpoint.url), body: kept.body };
        nextCache[endpoint.key] = kept;
      } else if (endpoint.required) {
        return { kind: 'failed', stage: 'fetch', message: `${endpoint.key}: ${describeFailure(result)}`, retryable: true, cache, latencyMs: elapsed() };
      } else {
        warnings.push(`${endpoint.key}: ${describeFailure(result)}; parsed without it`);
      }
    }

    const snapshot = adapter.parse(responses satisfies EndpointResponses, {
      now: options.now,
      sourceUrl: source.url,
      options: source.options,
    });
    return { kind: 'snapshot', snapshot, cache: nextCache, warnings, latencyMs: elapsed() };
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
