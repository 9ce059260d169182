/**
 * Pure rules for a source's poll state: what a success or a failure does to it, when the next poll is due, and when
 * a source that cannot be read turns `unknown`.
 *
 * - Success: the state becomes the snapshot's (or, after a 304, the last snapshot's); failures reset; next poll
 *   after one interval.
 * - Failure: the last known state is kept until the source has failed `FAILURES_BEFORE_UNKNOWN` times in a row or
 *   has had no success for `STALE_INTERVALS` intervals; then it is `unknown`, "since" its last success (or its first
 *   failure when it never had one). Nothing recorded from it is touched.
 * - Back-off: delay = min(interval × 2^(failures − 1), cap) for failures worth retrying, one doubling more for the
 *   others (a 404 or a broken page does not fix itself in a minute); cap = max(30 min, interval); ±20 % jitter so
 *   sources that failed together (a network outage) do not come back together; a Retry-After longer than that is
 *   honoured up to six hours.
 */
import type { ComponentState } from '../core/vocabulary.ts';
import { redactText } from '../lib/redact.ts';

export const FAILURES_BEFORE_UNKNOWN = 3;
export const STALE_INTERVALS = 3;
export const MAX_BACKOFF_MS = 30 * 60_000;
export const MAX_RETRY_AFTER_MS = 6 * 3_600_000;
export const JITTER = 0.2;

/** The part of a source row these rules read. */
export interface PollStateRow {
  state: ComponentState;
  stateSince: Date | null;
  reportedState: ComponentState;
  consecutiveFailures: number;
  failingSince: Date | null;
  lastSuccessAt: Date | null;
  intervalSeconds: number;
}

/** The columns a poll writes. */
export interface PollStatePatch {
  state: ComponentState;
  stateSince: Date | null;
  reportedState: ComponentState;
  consecutiveFailures: number;
  failingSince: Date | null;
  lastPolledAt: Date;
  lastSuccessAt: Date | null;
  lastError: string | null;
  lastErrorAt?: Date;
  nextPollAt: Date;
  lastLatencyMs: number;
}

export interface FailureFacts {
  message: string;
  retryable: boolean;
  retryAfterMs?: number;
  latencyMs: number;
}

export const intervalMs = (row: Pick<PollStateRow, 'intervalSeconds'>): number => Math.max(1, row.intervalSeconds) * 1000;

/** How long to wait after the `failures`-th failure in a row. `random` is in [0, 1). */
export function retryDelayMs(input: { intervalMs: number; failures: number; retryable: boolean; retryAfterMs?: number; random: number }): number {
  const doublings = Math.max(0, input.failures - (input.retryable ? 1 : 0));
  const cap = Math.max(MAX_BACKOFF_MS, input.intervalMs);
  // 2^doublings overflows nothing here: the cap is applied before it could matter.
  const base = Math.min(input.intervalMs * 2 ** Math.min(doublings, 30), cap);
  const jittered = base * (1 - JITTER + 2 * JITTER * input.random);
  const asked = input.retryAfterMs === undefined ? 0 : Math.min(Math.max(0, input.retryAfterMs), MAX_RETRY_AFTER_MS);
  return Math.round(Math.max(jittered, asked));
}

/** Whether the source has gone too long without a good poll to keep showing its last state. */
export function isStale(row: Pick<PollStateRow, 'lastSuccessAt' | 'intervalSeconds'>, now: Date): boolean {
  return row.lastSuccessAt !== null && now.getTime() - row.lastSuccessAt.getTime() > STALE_INTERVALS * intervalMs(row);
}

const since = (row: PollStateRow, state: string, now: Date): Date | null => (row.state === state ? row.stateSince : now);

export function afterSuccess(row: PollStateRow, reportedState: ComponentState, now: Date, latencyMs: number): PollStatePatch {
  return {
    state: reportedState,
    stateSince: since(row, reportedState, now),
    reportedState,
    consecutiveFailures: 0,
    failingSince: null,
    lastPolledAt: now,
    lastSuccessAt: now,
    lastError: null,
    nextPollAt: new Date(now.getTime() + intervalMs(row)),
    lastLatencyMs: latencyMs,
  };
}

export function afterFailure(row: PollStateRow, failure: FailureFacts, now: Date, random: number): PollStatePatch {
  const failures = row.consecutiveFailures + 1;
  const failingSince = row.failingSince ?? now;
  const unknown = failures >= FAILURES_BEFORE_UNKNOWN || row.lastSuccessAt === null || isStale(row, now);
  const state = unknown ? 'unknown' : row.state;
  return {
    state,
    // "Unknown since" the moment we last knew something.
    stateSince: row.state === state ? row.stateSince : (row.lastSuccessAt ?? failingSince),
    reportedState: row.reportedState,
    consecutiveFailures: failures,
    failingSince,
    lastPolledAt: now,
    lastSuccessAt: row.lastSuccessAt,
    // Redacted again here: whatever produced the message, no credential is stored with it.
    lastError: redactText(failure.message).slice(0, 1000),
    lastErrorAt: now,
    nextPollAt: new Date(
      now.getTime() +
        retryDelayMs({
          intervalMs: intervalMs(row),
          failures,
          retryable: failure.retryable,
          ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }),
          random,
        }),
    ),
    lastLatencyMs: failure.latencyMs,
  };
}

/** What a poll does to the source's record of unknown periods (see `unknownPeriodStep`). */
export type UnknownPeriodStep = { open: Date } | { close: Date } | null;

/** The part of a source row that says whether the page shows it as unreadable. */
export interface UnknownFacts {
  state: string;
  stateSince: Date | null;
  failingSince: Date | null;
  lastPolledAt: Date | null;
  paused: boolean;
}

/** Whether the page shows the source as unreadable: `unknown` once it has been polled, unless it is paused. */
export const inUnknownPeriod = (row: UnknownFacts): boolean => row.state === 'unknown' && row.lastPolledAt !== null && !row.paused;

/**
 * What a change of a source's row means for its record of unknown periods (`source_unknown_periods`): `open` while
 * it is unreadable (a no-op when its period is already open), from when nothing was known any more — its last success,
 * or its first failure when it never had one, or now when it comes back from a pause —; `close` when it is read again
 * (or paused). Opening on every poll while unreadable, not only on the change, also covers a source that was unknown
 * before periods were recorded.
 */
export function unknownPeriodStep(before: UnknownFacts, after: UnknownFacts, now: Date): UnknownPeriodStep {
  if (inUnknownPeriod(after)) {
    const since = before.paused ? now : (after.stateSince ?? after.failingSince ?? now);
    return { open: since.getTime() > now.getTime() ? now : since };
  }
  return inUnknownPeriod(before) ? { close: now } : null;
}
