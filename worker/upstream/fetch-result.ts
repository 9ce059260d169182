/**
 * What an upstream fetch is asked (its options) and what it answers (a FetchResult, never a throw). Declared apart
 * from the fetching so the adapters, which say how each endpoint is fetched, and the poller's cache need no network.
 */
import packageJson from '../../package.json' with { type: 'json' };
import { PUBLIC_ONLY, type EgressPolicy } from '../lib/egress.ts';
import type { ExpectedContent } from './endpoint.ts';

export const USER_AGENT = `Vigia-status/${packageJson.version}`;

export interface FetchOptions {
  /** Deadline for the whole exchange, redirects and body included. */
  timeoutMs: number;
  /** Body cap in bytes, counted after decompression. */
  maxBytes: number;
  /** What to do past maxBytes: fail with `too_large`, or stop reading and return what was read. */
  overflow: 'error' | 'truncate';
  /** Redirects to follow; 0 returns the 3xx answer itself. */
  maxRedirects: number;
  /** Which final statuses are answers (default 2xx); others are `http_status` errors. 304 is always an answer. */
  acceptStatus: (status: number) => boolean;
  /** What the body must look like. */
  expect: ExpectedContent;
  /** Validators from the previous successful fetch of this URL. */
  previous?: { etag?: string | null; lastModified?: string | null } | undefined;
  userAgent: string;
  /** Extra request headers (e.g. authorization for an API that needs it). */
  headers?: Record<string, string>;
  /** Aborts the exchange from outside (the worker is stopping); reported as a network failure. */
  signal?: AbortSignal;
  /** Where connections may go, checked on every hop (default: public addresses only). */
  egress: EgressPolicy;
}

export const DEFAULT_FETCH_OPTIONS: FetchOptions = {
  timeoutMs: 15_000,
  maxBytes: 5 * 1024 * 1024,
  overflow: 'error',
  maxRedirects: 5,
  acceptStatus: (status) => status >= 200 && status <= 299,
  expect: 'any',
  userAgent: USER_AGENT,
  egress: PUBLIC_ONLY,
};

export type FetchErrorKind =
  | 'timeout'
  | 'too_large'
  | 'http_status'
  | 'redirect_loop'
  | 'too_many_redirects'
  | 'network'
  | 'bad_content'
  /** The egress policy refused the address (see worker/lib/egress.ts). */
  | 'refused';

export interface FetchSuccess {
  ok: true;
  status: number;
  /** '' for a 304. */
  body: string;
  etag: string | null;
  lastModified: string | null;
  notModified: boolean;
  latencyMs: number;
  /** The URL that answered, after redirects, without its user and password. */
  url: string;
  contentType: string | null;
  /** True when the body was cut at maxBytes (only with `overflow: 'truncate'`). */
  truncated: boolean;
}

export interface FetchFailure {
  ok: false;
  error: {
    kind: FetchErrorKind;
    message: string;
    status?: number;
    retryable: boolean;
    /** From Retry-After on 429/503, when the upstream says how long to wait. */
    retryAfterMs?: number;
  };
  latencyMs: number;
  /** The URL that failed, redacted (worker/lib/redact.ts). */
  url: string;
}

export type FetchResult = FetchSuccess | FetchFailure;
