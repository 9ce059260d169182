import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  afterFailure,
  afterSuccess,
  inUnknownPeriod,
  FAILURES_BEFORE_UNKNOWN,
  JITTER,
  MAX_BACKOFF_MS,
  MAX_RETRY_AFTER_MS,
  retryDelayMs,
  unknownPeriodStep,
  type PollStateRow,
} from '../../worker/upstream/poll-state.ts';

const NOW = new Date('2026-11-17T16:00:00Z');
const MINUTE = 60_000;

function row(patch: Partial<PollStateRow> = {}): PollStateRow {
  return {
    state: 'operational',
    stateSince: new Date('2026-11-17T10:00:00Z'),
    reportedState: 'operational',
    consecutiveFailures: 0,
    failingSince: null,
    lastSuccessAt: new Date('2026-11-17T15:59:00Z'),
    intervalSeconds: 60,
    ...patch,
  };
}

const failure = { message: 'fetch: HTTP 503', retryable: true, latencyMs: 12 };

describe('retryDelayMs', () => {
  it('doubles per failure from one interval for retryable failures, one step further for the others, up to the cap', () => {
    const delays = [1, 2, 3, 4].map((failures) => retryDelayMs({ intervalMs: MINUTE, failures, retryable: true, random: 0.5 }));
    expect(delays).toEqual([MINUTE, 2 * MINUTE, 4 * MINUTE, 8 * MINUTE]);
    expect(retryDelayMs({ intervalMs: MINUTE, failures: 1, retryable: false, random: 0.5 })).toBe(2 * MINUTE);
    expect(retryDelayMs({ intervalMs: MINUTE, failures: 40, retryable: true, random: 0.5 })).toBe(MAX_BACKOFF_MS);
    // A source polled less often than the cap is never polled more often because it fails.
    expect(retryDelayMs({ intervalMs: 2 * MAX_BACKOFF_MS, failures: 1, retryable: true, random: 0.5 })).toBe(2 * MAX_BACKOFF_MS);
  });

  it('stays within ±20 % of the back-off whatever the jitter draw', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.boolean(), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (failures, retryable, random) => {
        const base = retryDelayMs({ intervalMs: MINUTE, failures, retryable, random: 0.5 });
        const delay = retryDelayMs({ intervalMs: MINUTE, failures, retryable, random });
        expect(delay).toBeGreaterThanOrEqual(Math.floor(base * (1 - JITTER)));
        expect(delay).toBeLessThanOrEqual(Math.ceil(base * (1 + JITTER)));
      }),
    );
    expect(retryDelayMs({ intervalMs: MINUTE, failures: 1, retryable: true, random: 0 })).toBe(48_000);
    expect(retryDelayMs({ intervalMs: MINUTE, failures: 1, retryable: true, random: 0.999999 })).toBe(72_000);
  });

  it('honours a longer Retry-After, up to six hours, and never polls sooner because of a short one', () => {
    expect(retryDelayMs({ intervalMs: MINUTE, failures: 1, retryable: true, retryAfterMs: 10 * MINUTE, random: 0.5 })).toBe(10 * MINUTE);
    expect(retryDelayMs({ intervalMs: MINUTE, failures: 1, retryable: true, retryAfterMs: 1000, random: 0.5 })).toBe(MINUTE);
    expect(retryDelayMs({ intervalMs: MINUTE, failures: 1, retryable: true, retryAfterMs: 100 * 3_600_000, random: 0.5 })).toBe(MAX_RETRY_AFTER_MS);
  });
});

describe('afterFailure', () => {
  it('keeps the last known state for the first failures and shows the error', () => {
    const patch = afterFailure(row(), failure, NOW, 0.5);
    expect(patch).toMatchObject({ state: 'operational', consecutiveFailures: 1, failingSince: NOW, lastError: 'fetch: HTTP 503', lastErrorAt: NOW, lastPolledAt: NOW });
    expect(patch.nextPollAt).toEqual(new Date(NOW.getTime() + MINUTE));
  });

  it(`turns unknown after ${FAILURES_BEFORE_UNKNOWN} failures in a row, unknown since the last success`, () => {
    let state = row();
    const lastSuccess = state.lastSuccessAt;
    for (let i = 1; i <= FAILURES_BEFORE_UNKNOWN; i++) {
      const patch = afterFailure(state, failure, new Date(NOW.getTime() + i * 1000), 0.5);
      state = { ...state, ...patch };
      expect(state.state).toBe(i < FAILURES_BEFORE_UNKNOWN ? 'operational' : 'unknown');
    }
    expect(state.stateSince).toEqual(lastSuccess);
    expect(state.reportedState).toBe('operational');
  });

  it('turns unknown at once when the last success is older than three intervals, or there never was one', () => {
    expect(afterFailure(row({ lastSuccessAt: new Date(NOW.getTime() - 3 * MINUTE - 1) }), failure, NOW, 0.5).state).toBe('unknown');
    const never = afterFailure(row({ state: 'unknown', stateSince: null, lastSuccessAt: null }), failure, NOW, 0.5);
    expect(never).toMatchObject({ state: 'unknown', stateSince: null, failingSince: NOW });
  });
});

describe('afterSuccess', () => {
  it('takes the reported state, resets failures and clears the error; "since" moves only when the state changes', () => {
    const failing = row({ state: 'unknown', stateSince: new Date('2026-11-17T15:00:00Z'), consecutiveFailures: 5, failingSince: new Date('2026-11-17T15:01:00Z') });
    expect(afterSuccess(failing, 'degraded_performance', NOW, 40)).toEqual({
      state: 'degraded_performance',
      stateSince: NOW,
      reportedState: 'degraded_performance',
      consecutiveFailures: 0,
      failingSince: null,
      lastPolledAt: NOW,
      lastSuccessAt: NOW,
      lastError: null,
      nextPollAt: new Date(NOW.getTime() + MINUTE),
      lastLatencyMs: 40,
    });
    expect(afterSuccess(row(), 'operational', NOW, 1).stateSince).toEqual(row().stateSince);
  });
});

describe('unknownPeriodStep', () => {
  const seen = { state: 'operational', stateSince: new Date('2026-11-17T10:00:00Z'), failingSince: null, lastPolledAt: new Date('2026-11-17T15:59:00Z'), paused: false };
  const since = new Date('2026-11-17T15:00:00Z');

  it('opens from the last success when the source turns unknown, and keeps asking while it stays so', () => {
    const unknown = { ...seen, state: 'unknown', stateSince: since, failingSince: new Date('2026-11-17T15:01:00Z') };
    expect(unknownPeriodStep(seen, unknown, NOW)).toEqual({ open: since });
    expect(unknownPeriodStep(unknown, unknown, NOW)).toEqual({ open: since });
  });

  it('closes when the source is read again or paused; nothing happens while it is known', () => {
    const unknown = { ...seen, state: 'unknown', stateSince: since };
    expect(unknownPeriodStep(unknown, { ...seen, stateSince: NOW }, NOW)).toEqual({ close: NOW });
    expect(unknownPeriodStep(unknown, { ...unknown, paused: true }, NOW)).toEqual({ close: NOW });
    expect(unknownPeriodStep(seen, seen, NOW)).toBeNull();
  });

  it('does not count a source never polled, and opens from the first failure when it never succeeded', () => {
    const fresh = { state: 'unknown', stateSince: null, failingSince: null, lastPolledAt: null, paused: false };
    expect(inUnknownPeriod(fresh)).toBe(false);
    expect(unknownPeriodStep(fresh, { ...fresh, failingSince: NOW, lastPolledAt: NOW }, NOW)).toEqual({ open: NOW });
  });

  it('opens from now, not from the last success, when an unreadable source is resumed', () => {
    const paused = { ...seen, state: 'unknown', stateSince: since, paused: true };
    expect(unknownPeriodStep(paused, { ...paused, paused: false }, NOW)).toEqual({ open: NOW });
  });
});
