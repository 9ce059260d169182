import { describe, expect, it } from 'vitest';
import { afterFailure, FAILURES_BEFORE_LOCK, FIRST_LOCK_MS, FORGET_AFTER_MS, lockedFor, MAX_LOCK_MS, type FailureState } from '../../worker/accounts/lockout.ts';
import { hashPassword, verifyPassword } from '../../worker/accounts/passwords.ts';

const at = (ms: number) => new Date(Date.UTC(2026, 10, 20) + ms);

function fail(times: number, state: FailureState | null, now: Date) {
  for (let i = 0; i < times; i++) state = afterFailure(state, now);
  return state!;
}

describe('sign-in lock-out', () => {
  it('locks after the threshold, for a short while that doubles and is capped', () => {
    let state = fail(FAILURES_BEFORE_LOCK - 1, null, at(0));
    expect(lockedFor(state, at(0))).toBe(0);
    state = afterFailure(state, at(0));
    expect(lockedFor(state, at(0))).toBe(FIRST_LOCK_MS);
    state = fail(FAILURES_BEFORE_LOCK, state, at(FIRST_LOCK_MS));
    expect(lockedFor(state, at(FIRST_LOCK_MS))).toBe(2 * FIRST_LOCK_MS);
    for (let i = 0; i < 10; i++) state = fail(FAILURES_BEFORE_LOCK, state, at(FIRST_LOCK_MS * (i + 2)));
    expect(lockedFor(state, state.lastFailureAt)).toBe(MAX_LOCK_MS);
  });

  it('forgets a run of failures after a quiet day', () => {
    const state = fail(FAILURES_BEFORE_LOCK * 3, null, at(0));
    const later = afterFailure(state, at(FORGET_AFTER_MS + 1));
    expect(later).toMatchObject({ failures: 1, lockouts: 0 });
  });
});

describe('passwords', () => {
  it('verifies the password hashed and nothing else', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(await verifyPassword('x', 'not-a-hash')).toBe(false);
    expect(await hashPassword('correct horse battery')).not.toBe(hash);
  });
});
