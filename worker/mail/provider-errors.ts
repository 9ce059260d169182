/**
 * What a failed provider call means for the messages in it. Pure: it sees only what the SDK reports
 * (`{ statusCode, name, message }` and the response headers), never the network.
 *
 * The resend SDK never throws for HTTP errors: a JSON error body is passed through as is (Resend's
 * shape is `{ statusCode, name, message }`), a non-JSON error body becomes `application_error` with the
 * HTTP status, and a failed fetch (refused, reset, timed out) becomes `application_error` with
 * `statusCode: null` and no headers. Headers are exposed as a plain object with lower-case names.
 */
import { parseRetryAfter } from './backoff.ts';

export interface ProviderFailure {
  status: number | null;
  name: string;
  message: string;
  headers: Record<string, string> | null;
}

export type FailureKind =
  /** Too many requests: nothing was done; wait as told and repeat. */
  | { kind: 'rate_limited'; retryAfterMs: number }
  /** The account may not send more today / this month: stop sending until the quota is back. */
  | { kind: 'quota'; scope: 'daily' | 'monthly' | 'unknown' }
  /** The key or the account is wrong (401/403, unknown endpoint): nothing will go out until someone fixes it. */
  | { kind: 'misconfigured' }
  /** The request as a whole was refused as invalid (400/422): nothing in it was created. */
  | { kind: 'rejected' }
  /** The key was used before with a different body: the provider will not say what it did with it. */
  | { kind: 'key_conflict' }
  /** The same key is still being processed by another call: ask again shortly. */
  | { kind: 'in_progress'; retryAfterMs: number }
  /** Server error, lost connection or timeout: the outcome is unknown; repeat with the same key. */
  | { kind: 'transient' };

const DEFAULT_RATE_LIMIT_WAIT_MS = 1_000;
/** A Retry-After larger than this is read as a quota-like refusal of the day rather than a pacing hint. */
export const MAX_RETRY_AFTER_MS = 60 * 60_000;

const REJECTED_NAMES = new Set(['validation_error', 'missing_required_field', 'invalid_parameter', 'invalid_idempotency_key', 'invalid_attachment', 'invalid_from_address', 'invalid_region']);
const MISCONFIGURED_NAMES = new Set(['missing_api_key', 'invalid_api_key', 'restricted_api_key', 'invalid_access', 'not_found', 'method_not_allowed', 'security_error']);

export function classifyFailure(failure: ProviderFailure, nowMs: number): FailureKind {
  const { status, name } = failure;
  const message = failure.message ?? '';
  if (name === 'daily_quota_exceeded') return { kind: 'quota', scope: 'daily' };
  if (name === 'monthly_quota_exceeded') return { kind: 'quota', scope: 'monthly' };
  if (status === 429 && /quota/i.test(message)) return { kind: 'quota', scope: /month/i.test(message) ? 'monthly' : /da(y|ily)/i.test(message) ? 'daily' : 'unknown' };
  if (status === 429 || name === 'rate_limit_exceeded') return { kind: 'rate_limited', retryAfterMs: retryAfterMs(failure.headers, nowMs) };
  if (name === 'concurrent_idempotent_requests') return { kind: 'in_progress', retryAfterMs: retryAfterMs(failure.headers, nowMs) };
  if (name === 'invalid_idempotent_request') return { kind: 'key_conflict' };
  if (status === null || status === undefined) return { kind: 'transient' };
  if (status >= 500) return { kind: 'transient' };
  if (status === 401 || status === 403 || MISCONFIGURED_NAMES.has(name)) return { kind: 'misconfigured' };
  if (status === 400 || status === 422 || REJECTED_NAMES.has(name)) return { kind: 'rejected' };
  if (status === 408) return { kind: 'transient' };
  if (status >= 400) return { kind: 'misconfigured' };
  return { kind: 'transient' };
}

/** Retry-After first, then the rate-limit draft's `ratelimit-reset` (seconds), then one second; capped at an hour. */
export function retryAfterMs(headers: Record<string, string> | null, nowMs: number): number {
  const fromRetryAfter = parseRetryAfter(headers?.['retry-after'], nowMs);
  const reset = headers?.['ratelimit-reset'];
  const fromReset = reset !== undefined && /^\d+(\.\d+)?$/.test(reset.trim()) ? Math.round(Number(reset) * 1000) : null;
  const ms = fromRetryAfter ?? fromReset ?? DEFAULT_RATE_LIMIT_WAIT_MS;
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

/** One line for logs and `last_error`. */
export function describeFailure(failure: ProviderFailure): string {
  const status = failure.status === null || failure.status === undefined ? 'no response' : `HTTP ${failure.status}`;
  return `${status} ${failure.name}: ${failure.message}`.slice(0, 1000);
}
