/**
 * Retry timing, kept pure so it can be tested without waiting: exponential back-off with jitter for
 * server errors and lost connections, and the provider's own `Retry-After` for rate limits.
 */

export interface BackoffPolicy {
  /** Delay ceiling for the first retry. */
  baseMs: number;
  /** No retry waits longer than this. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 10 * 60_000 };

/**
 * Delay before retry number `attempt` (1 = the first retry): the ceiling doubles each time up to
 * `maxMs`, and the delay is drawn from the upper half of it. The jitter keeps workers that failed
 * together from retrying together; the lower half is skipped so a retry never comes almost at once.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(ceiling / 2 + (r * ceiling) / 2);
}

/**
 * Parses a `Retry-After` value (RFC 9110: delay-seconds or an HTTP-date) into milliseconds from `nowMs`.
 * Returns null when the value is missing or unreadable, so the caller can fall back to its own delay.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (text === '') return null;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // An HTTP-date always names the weekday and the zone, e.g. "Wed, 21 Oct 2026 07:28:00 GMT".
  if (!/^[A-Za-z]{3},\s/.test(text) || !/GMT$/.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}
