/**
 * The adapter registry: for each source type, which endpoints to fetch and how to turn the responses into a
 * snapshot. The registry is pure; poll.ts does the fetching.
 *
 * How a poller uses it (poll.ts implements exactly this):
 * 1. `adapters[type].endpoints(url, options)` lists the endpoints. Fetch each one with `fetchUpstream`, passing the
 *    ETag / Last-Modified kept from the last successful poll, when the adapter is `conditional`.
 * 2. All endpoints answered 304: nothing changed; keep the last snapshot and do not parse.
 * 3. A required endpoint failed: the poll failed; keep the last snapshot (and show its age).
 * 4. Otherwise substitute the kept body for each endpoint that answered 304 (and, marked stale, for an optional
 *    endpoint that failed) and call `parse`. An UpstreamFormatError also keeps the last snapshot.
 * 5. Only after a successful parse store the new bodies and validators; otherwise a 304 on the next poll would hide
 *    a page that is still broken.
 */
import { z } from 'zod';
import type { EndpointSpec } from './endpoint.ts';
import type { FetchOptions, FetchResult } from './fetch-result.ts';
import { parseFeed, feedEndpoints, feedOptionsSchema } from './adapters/feed.ts';
import { googleEndpoints, googleOptionsSchema, parseGoogle } from './adapters/google.ts';
import { HTTP_CHECK_FETCH_OPTIONS, httpCheckOptionsSchema, httpEndpoints, parseHttpCheck } from './adapters/http.ts';
import { incidentioEndpoints, parseIncidentio } from './adapters/incidentio.ts';
import { instatusEndpoints, parseInstatus } from './adapters/instatus.ts';
import { parseStatuspage, statuspageEndpoints } from './adapters/statuspage.ts';
import { componentFilterOptionsSchema, filterSnapshotComponents } from './component-filter.ts';
import type { SourceType } from '../core/vocabulary.ts';
import type { ParseContext, UpstreamSnapshot } from './types.ts';

/** Responses by endpoint key. Non-http adapters only ever receive successful responses with a body. */
export type EndpointResponses = Readonly<Partial<Record<string, FetchResult>>>;

export interface AdapterContext extends ParseContext {
  /** The configured source URL. */
  sourceUrl: string;
  /** Adapter options as configured; validated with `adapterOptionsSchemas[type]`. */
  options?: unknown;
}

export interface UpstreamAdapter {
  readonly type: SourceType;
  /** Send If-None-Match / If-Modified-Since and honour 304s. False for health checks, which must really ask. */
  readonly conditional: boolean;
  /** A failed fetch is an observation (health checks) rather than a failed poll. */
  readonly observesFailures: boolean;
  /** Fetch settings this adapter needs on top of the defaults. */
  readonly fetchOptions: Partial<FetchOptions>;
  endpoints(sourceUrl: string, options?: unknown): EndpointSpec[];
  /** Pure. Throws only UpstreamFormatError for a payload it cannot use. */
  parse(responses: EndpointResponses, ctx: AdapterContext): UpstreamSnapshot;
}

const componentPageOptions = componentFilterOptionsSchema.strict();

/** Per-type option schemas, for the config loader to validate source options with. */
export const adapterOptionsSchemas = {
  statuspage: componentPageOptions,
  incidentio: componentPageOptions,
  instatus: componentPageOptions,
  google: googleOptionsSchema.strict(),
  feed: feedOptionsSchema.strict(),
  http: httpCheckOptionsSchema,
} as const satisfies Record<SourceType, z.ZodType>;

/** A component-based page's snapshot, narrowed to the components the source's `components` setting names. */
function watched(snapshot: UpstreamSnapshot, ctx: AdapterContext): UpstreamSnapshot {
  return filterSnapshotComponents(snapshot, componentFilterOptionsSchema.parse(ctx.options ?? {}).components);
}

/** The body of a successful response, or undefined. */
function bodyOf(responses: EndpointResponses, key: string): string | undefined {
  const response = responses[key];
  return response?.ok ? response.body : undefined;
}

/** The required body; when the caller passes none, the parser reports an empty body. */
function requiredBody(responses: EndpointResponses, key: string): string {
  return bodyOf(responses, key) ?? '';
}

export const adapters: Readonly<Record<SourceType, UpstreamAdapter>> = {
  statuspage: {
    type: 'statuspage',
    conditional: true,
    observesFailures: false,
    fetchOptions: {},
    endpoints: (url) => statuspageEndpoints(url),
    parse: (responses, ctx) =>
      watched(
        parseStatuspage(
          {
            summary: requiredBody(responses, 'summary'),
            incidents: bodyOf(responses, 'incidents'),
            maintenances: bodyOf(responses, 'maintenances'),
          },
          ctx,
        ),
        ctx,
      ),
  },
  incidentio: {
    type: 'incidentio',
    conditional: true,
    observesFailures: false,
    fetchOptions: {},
    endpoints: (url) => incidentioEndpoints(url),
    parse: (responses, ctx) => watched(parseIncidentio(requiredBody(responses, 'summary'), ctx), ctx),
  },
  instatus: {
    type: 'instatus',
    conditional: true,
    observesFailures: false,
    fetchOptions: {},
    endpoints: (url) => instatusEndpoints(url),
    parse: (responses, ctx) =>
      watched(parseInstatus({ summary: requiredBody(responses, 'summary'), components: bodyOf(responses, 'components') }, ctx), ctx),
  },
  google: {
    type: 'google',
    conditional: true,
    observesFailures: false,
    fetchOptions: {},
    endpoints: (url) => googleEndpoints(url),
    parse: (responses, ctx) =>
      parseGoogle(
        { incidents: requiredBody(responses, 'incidents'), products: bodyOf(responses, 'products') },
        ctx,
        googleOptionsSchema.parse(ctx.options ?? {}),
      ),
  },
  feed: {
    type: 'feed',
    conditional: true,
    observesFailures: false,
    fetchOptions: {},
    endpoints: (url) => feedEndpoints(url),
    parse: (responses, ctx) =>
      parseFeed(requiredBody(responses, 'feed'), ctx, feedOptionsSchema.parse(ctx.options ?? {})),
  },
  http: {
    type: 'http',
    conditional: false,
    observesFailures: true,
    fetchOptions: HTTP_CHECK_FETCH_OPTIONS,
    endpoints: (url) => httpEndpoints(url),
    parse: (responses, ctx) => {
      const result: FetchResult = responses.check ?? {
        ok: false,
        error: { kind: 'network', message: 'not fetched', retryable: true },
        latencyMs: 0,
        url: ctx.sourceUrl,
      };
      return parseHttpCheck(result, { ...ctx, url: ctx.sourceUrl }, httpCheckOptionsSchema.parse(ctx.options ?? {}));
    },
  },
};
