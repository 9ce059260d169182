/**
 * Repeated failed sign-ins. Failures are counted per account and address together (so someone elsewhere cannot
 * lock a known admin out of their own address) and per address alone (so one address cannot try many accounts).
 * After `FAILURES_BEFORE_LOCK` failures the key is locked for a short while that doubles with each lock-out in a run
 * of failures, up to a cap; a success, or a quiet day, ends the run.
 */
export const FAILURES_BEFORE_LOCK = 5;
export const FIRST_LOCK_MS = 60_000;
export const MAX_LOCK_MS = 15 * 60_000;
/** Failures from one address, on any accounts, before that address is locked too. */
export const ADDRESS_FAILURES_BEFORE_LOCK = 20;
/** A run of failures is forgotten after this long without one. */
export const FORGET_AFTER_MS = 24 * 3600_000;

export interface FailureState {
  failures: number;
  lockouts: number;
  lockedUntil: Date | null;
  lastFailureAt: Date;
}

/** The state after one more failure at `now`. */
export function afterFailure(previous: FailureState | null, now: Date, threshold = FAILURES_BEFORE_LOCK): FailureState {
  const fresh = !previous || now.getTime() - previous.lastFailureAt.getTime() > FORGET_AFTER_MS;
  const failures = (fresh ? 0 : previous.failures) + 1;
  const lockouts = fresh ? 0 : previous.lockouts;
  if (failures < threshold) return { failures, lockouts, lockedUntil: fresh ? null : previous.lockedUntil, lastFailureAt: now };
  const length = Math.min(FIRST_LOCK_MS * 2 ** lockouts, MAX_LOCK_MS);
  return { failures: 0, lockouts: lockouts + 1, lockedUntil: new Date(now.getTime() + length), lastFailureAt: now };
}

/** Milliseconds until the key may try again; 0 when it may now. */
export const lockedFor = (state: FailureState | null, now: Date) => (state?.lockedUntil ? Math.max(0, state.lockedUntil.getTime() - now.getTime()) : 0);
