/**
 * The one way Vigía fetches upstream pages. It never throws: every outcome is a FetchResult.
 *
 * - One deadline (AbortController) covers connecting, every redirect hop and the whole body read, so a body that
 *   trickles forever is cut at the deadline: node-fetch rejects a request under way and errors the body stream
 *   being read when the signal aborts.
 * - The body is streamed and counted after decompression; past `maxBytes` the request is aborted (`too_large`) or,
 *   with `overflow: 'truncate'`, the body read so far is returned. A declared Content-Length over the cap fails
 *   before any body is read.
 * - Redirects are followed by hand (at most `maxRedirects`, loops detected), http(s) only.
 * - The egress policy (`egress`, worker/lib/egress.ts) is checked on every hop: an address literal before
 *   connecting, a name in the socket's own DNS lookup (so a redirect to 127.0.0.1 or a name resolving to it is
 *   refused, `refused`, not retryable).
 * - Messages and the URLs reported carry no credentials or secret parameters (worker/lib/redact.ts).
 * - Conditional requests: `previous.etag` / `previous.lastModified` become If-None-Match / If-Modified-Since, and a
 *   304 is `{ ok: true, notModified: true, body: '' }`.
 * - `expect` checks the body's shape (JSON / XML) so an HTML error page served with 200 is `bad_content`.
 * Retry policy in `retryable`: 5xx, 408, 429, timeouts and network errors are worth retrying; other 4xx and
 * anything about the content are not.
 *
 * Built on node-fetch, the HTTP client of the stack (its header validation, manual redirect mode and abort signal
 * are used as they are). node-fetch adds per-request work of its own that cannot be turned off (Request, Headers
 * and Response objects, one more stream pipeline per answer); a poll cycle of a thousand sources is mostly 304s,
 * so everything around it is kept lean:
 * - Sockets are kept alive in the fetcher's own `http.Agent` / `https.Agent`, handed to node-fetch's `agent`
 *   option by protocol. A 304 or a body read to its end gives the socket back to the pool; a body left unread (a
 *   redirect, an error status, a cut at the cap) is destroyed with its socket, so nothing half-read is reused.
 * - `compress: false`: the body is decompressed here, so the cap counts decompressed bytes and stops the
 *   decompressor itself, and exactly the encodings asked for in Accept-Encoding are understood.
 * - The body is read from `response.body` as the Node stream it is, never buffered by text()/arrayBuffer(), and
 *   destroyed where it is left. The signal is never aborted once an answer is complete: node-fetch would build an
 *   AbortError for it and emit it on a stream nobody reads any more.
 */
import http from 'node:http';
import https from 'node:https';
import { pipeline, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import nodeFetch, { FetchError, type Response } from 'node-fetch';
import { guardedAgents, literalAddressProblem, portOf, type EgressPolicy, type GuardedAgents } from '../lib/egress.ts';
import { redactText, redactUrl, withoutCredentials } from '../lib/redact.ts';
import type { ExpectedContent } from './endpoint.ts';
import { sniffContent, type ContentKind } from './sniff.ts';

import { DEFAULT_FETCH_OPTIONS, type FetchErrorKind, type FetchFailure, type FetchOptions, type FetchResult } from './fetch-result.ts';

// The options and results are declared in fetch-result.ts; importers of the fetching find them here too.
export { DEFAULT_FETCH_OPTIONS, USER_AGENT } from './fetch-result.ts';
export type { FetchErrorKind, FetchFailure, FetchOptions, FetchResult, FetchSuccess } from './fetch-result.ts';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function charsetOf(contentType: string | null): string {
  const match = /charset\s*=\s*"?([\w.:-]+)"?/i.exec(contentType ?? '');
  return match?.[1] ?? 'utf-8';
}

function decode(bytes: Buffer, contentType: string | null): string {
  try {
    return new TextDecoder(charsetOf(contentType)).decode(bytes);
  } catch {
    // Unknown charset label: UTF-8 is the best guess for status pages.
    return new TextDecoder('utf-8').decode(bytes);
  }
}

const KIND_NAMES: Readonly<Record<ContentKind, string>> = {
  json: 'JSON',
  html: 'an HTML page',
  xml: 'XML',
  text: 'plain text',
  empty: 'an empty body',
};

/** Whether a body has the expected shape; the message says what it was instead. */
export function checkContent(body: string, contentType: string | null, expect: ExpectedContent): string | null {
  if (expect === 'any') return null;
  const kind = sniffContent(body, contentType);
  if (kind === expect) return null;
  return `expected ${expect === 'json' ? 'JSON' : 'XML'}, got ${KIND_NAMES[kind]}`;
}

/**
 * Keep-alive pools of the fetcher's own, with the settings of Node's global agents: the most recently used socket
 * first (it is the least likely to have been closed by the server), idle sockets dropped after 5 s.
 */
const AGENT_OPTIONS = { keepAlive: true, scheduling: 'lifo', timeout: 5_000 } as const;
/** One pair of pools per egress policy: each socket they open resolves its host through that policy. */
const agentsByPolicy = new WeakMap<EgressPolicy, GuardedAgents>();
function agentsFor(policy: EgressPolicy): (url: URL) => http.Agent | https.Agent {
  let agents = agentsByPolicy.get(policy);
  if (!agents) {
    agents = guardedAgents(policy, AGENT_OPTIONS);
    agentsByPolicy.set(policy, agents);
  }
  const { http: httpAgent, https: httpsAgent } = agents;
  return (url) => (url.protocol === 'https:' ? httpsAgent : httpAgent);
}

/**
 * The URL node-fetch is given. It refuses URLs with credentials, which node:http sends as Basic authorization
 * (unless an Authorization header is set), so they travel as that header here too.
 */
function requestUrl(target: URL, headers: Record<string, string>): string {
  if (target.username === '' && target.password === '') return target.href;
  if (!Object.keys(headers).some((name) => name.toLowerCase() === 'authorization')) {
    const credentials = `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`;
    headers.Authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
  }
  const bare = new URL(target.href);
  bare.username = '';
  bare.password = '';
  return bare.href;
}

/** Sends one GET and resolves with the response head; the body is left to read. */
function request(target: URL, headers: Record<string, string>, signal: AbortSignal, egress: EgressPolicy): Promise<Response> {
  // A header value the client refuses (a hostile validator echoed back) rejects here, like any network failure.
  return nodeFetch(requestUrl(target, headers), { headers, signal, redirect: 'manual', compress: false, agent: agentsFor(egress) });
}

/** Sets a header, replacing one of the same name in any case (node-fetch would send both). */
function setHeader(headers: Record<string, string>, name: string, value: string): void {
  const lower = name.toLowerCase();
  for (const existing of Object.keys(headers)) if (existing.toLowerCase() === lower) delete headers[existing];
  headers[name] = value;
}

/** Request headers: ours, then the caller's, then the validators; a later one replaces an earlier one of its name. */
function requestHeaders(options: FetchOptions): Record<string, string> {
  const headers: Record<string, string> = {
    'User-Agent': options.userAgent,
    'Accept-Encoding': 'gzip, deflate, br',
    Accept:
      options.expect === 'json'
        ? 'application/json'
        : options.expect === 'xml'
          ? 'application/atom+xml, application/rss+xml, application/xml;q=0.9, text/xml;q=0.9'
          : '*/*',
  };
  if (options.headers) for (const [name, value] of Object.entries(options.headers)) setHeader(headers, name, value);
  if (options.previous?.etag) setHeader(headers, 'If-None-Match', options.previous.etag);
  if (options.previous?.lastModified) setHeader(headers, 'If-Modified-Since', options.previous.lastModified);
  return headers;
}

/** The body as sent, decompressed when it says it is compressed. */
function decodedBody(raw: Readable, contentEncoding: string | null): Readable {
  // node-fetch lower-cases Content-Encoding; repeated headers arrive joined by ", " and are left as sent.
  const encoding = (contentEncoding ?? '').trim();
  const decompressor =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? zlib.createGunzip({ flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH })
      : encoding === 'deflate'
        ? zlib.createInflate({ flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH })
        : encoding === 'br'
          ? zlib.createBrotliDecompress()
          : null;
  if (!decompressor) return raw;
  // pipeline passes an error (a cut connection, a broken stream) on and destroys both sides.
  return pipeline(raw, decompressor, () => undefined);
}

/** node-fetch gives the body as a Node stream (its type says only NodeJS.ReadableStream). */
const bodyOf = (response: Response): Readable | null => response.body as Readable | null;

/** Drops an unread body and its socket. */
function discard(response: Response): void {
  bodyOf(response)?.destroy();
}

/**
 * The first value of a header HTTP allows once (ETag, Location, Content-Type…). Node keeps the first of repeats;
 * node-fetch's get() would join them with ", ", which makes neither a URL nor a validator. node-fetch's Headers is
 * a URLSearchParams, whose getAll its typings leave out.
 */
const header = (response: Response, name: string): string | null =>
  (response.headers as unknown as URLSearchParams).getAll(name)[0] ?? null;

/** What went wrong on the network, said as Node says it (node-fetch prefixes "request to <url> failed, reason: "). */
function networkMessage(error: unknown): string {
  if (!(error instanceof Error)) return 'request failed';
  if (error instanceof FetchError && error.type === 'system') {
    const reason = error.message.indexOf(', reason: ');
    if (reason >= 0) return error.message.slice(reason + ', reason: '.length);
  }
  return error.message;
}

export async function fetchUpstream(url: string, overrides: Partial<FetchOptions> = {}): Promise<FetchResult> {
  const options: FetchOptions = { ...DEFAULT_FETCH_OPTIONS, ...overrides };
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);
  const stopFromOutside = (): void => controller.abort();
  if (options.signal?.aborted) controller.abort();
  else options.signal?.addEventListener('abort', stopFromOutside, { once: true });

  let currentUrl = url;
  const fail = (kind: FetchErrorKind, message: string, extra: { status?: number; retryable: boolean; retryAfterMs?: number }): FetchFailure => ({
    ok: false,
    error: { kind, message: redactText(message), ...extra },
    latencyMs: elapsed(),
    url: redactUrl(currentUrl),
  });

  try {
    const visited = new Set<string>();
    for (let hop = 0; ; hop += 1) {
      let target: URL;
      try {
        target = new URL(currentUrl);
      } catch {
        return fail('network', `invalid URL: ${currentUrl.slice(0, 200)}`, { retryable: false });
      }
      if (target.protocol !== 'http:' && target.protocol !== 'https:') {
        return fail('network', `unsupported URL scheme ${target.protocol}`, { retryable: false });
      }
      visited.add(target.href);
      const refused = literalAddressProblem(options.egress, target.hostname, portOf(target));
      if (refused !== null) return fail('refused', refused, { retryable: false });

      const headers = requestHeaders(options);
      const response = await request(target, headers, controller.signal, options.egress);
      const status = response.status;

      const location = header(response, 'location');
      if (REDIRECT_STATUSES.has(status) && location !== null && options.maxRedirects > 0) {
        discard(response);
        let next: URL;
        try {
          next = new URL(location, target);
        } catch {
          return fail('network', `redirect to an invalid URL: ${location.slice(0, 200)}`, { status, retryable: false });
        }
        if (visited.has(next.href)) {
          return fail('redirect_loop', `redirect loop: ${next.href} was already visited`, { status, retryable: false });
        }
        if (hop + 1 > options.maxRedirects) {
          return fail('too_many_redirects', `more than ${options.maxRedirects} redirects`, { status, retryable: false });
        }
        currentUrl = next.href;
        continue;
      }

      const etag = header(response, 'etag') ?? options.previous?.etag ?? null;
      const lastModified = header(response, 'last-modified') ?? options.previous?.lastModified ?? null;
      const contentType = header(response, 'content-type');

      if (status === 304) {
        // A 304 has no body; reading its end hands the socket back to the keep-alive pool.
        bodyOf(response)?.resume();
        return {
          ok: true,
          status: 304,
          body: '',
          etag,
          lastModified,
          notModified: true,
          latencyMs: elapsed(),
          url: withoutCredentials(target.href),
          contentType,
          truncated: false,
        };
      }

      if (!options.acceptStatus(status)) {
        discard(response);
        return fail('http_status', `HTTP ${status} from ${target.href}`, {
          status,
          retryable: isRetryableStatus(status),
          ...(status === 429 || status === 503 ? optionalRetryAfter(parseRetryAfter(header(response, 'retry-after'), Date.now())) : {}),
        });
      }

      const declared = Number(header(response, 'content-length'));
      if (options.overflow === 'error' && Number.isFinite(declared) && declared > options.maxBytes) {
        discard(response);
        return fail('too_large', `declared body of ${declared} bytes exceeds the ${options.maxBytes}-byte cap`, { status, retryable: false });
      }

      const read = await readCapped(response, options.maxBytes);
      if (read.overflowed && options.overflow === 'error') {
        return fail('too_large', `body exceeds the ${options.maxBytes}-byte cap`, { status, retryable: false });
      }
      const body = decode(read.bytes, contentType);
      const contentProblem = checkContent(body, contentType, options.expect);
      if (contentProblem !== null) {
        return fail('bad_content', `${contentProblem} from ${target.href}`, { status, retryable: false });
      }
      return {
        ok: true,
        status,
        body,
        etag,
        lastModified,
        notModified: false,
        latencyMs: elapsed(),
        url: withoutCredentials(target.href),
        contentType,
        truncated: read.overflowed,
      };
    }
  } catch (error) {
    if (options.signal?.aborted && !timedOut) return fail('network', 'request stopped: the poller is shutting down', { retryable: true });
    if (timedOut) {
      return fail('timeout', `no complete answer within ${options.timeoutMs} ms`, { retryable: true });
    }
    if ((error as { code?: unknown }).code === 'EGRESS_REFUSED') return fail('refused', networkMessage(error), { retryable: false });
    // Refused, reset, DNS, a connection cut mid-body, and anything else thrown on the way.
    return fail('network', networkMessage(error).slice(0, 300), { retryable: true });
  } finally {
    // Bodies not read to the end were destroyed where they were left, with their sockets. Aborting here would
    // make node-fetch build an AbortError for a body already read, and emit it on a stream nobody listens to.
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', stopFromOutside);
  }
}

function optionalRetryAfter(ms: number | undefined): { retryAfterMs?: number } {
  return ms === undefined ? {} : { retryAfterMs: ms };
}

/** Reads the (decompressed) body, stopping and destroying the streams as soon as it passes `maxBytes`. */
async function readCapped(response: Response, maxBytes: number): Promise<{ bytes: Buffer; overflowed: boolean }> {
  const raw = bodyOf(response);
  if (raw === null) return { bytes: Buffer.alloc(0), overflowed: false };
  const chunks: Buffer[] = [];
  let total = 0;
  const body = decodedBody(raw, response.headers.get('content-encoding'));
  for await (const chunk of body as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (total + buffer.length > maxBytes) {
      chunks.push(buffer.subarray(0, maxBytes - total));
      total = maxBytes;
      body.destroy();
      raw.destroy();
      return { bytes: Buffer.concat(chunks, total), overflowed: true };
    }
    chunks.push(buffer);
    total += buffer.length;
  }
  return { bytes: Buffer.concat(chunks, total), overflowed: false };
}
