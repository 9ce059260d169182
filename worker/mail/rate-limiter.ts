/**
 * Paces provider calls: at most `perSecond` request starts in any one-second window, by spacing
 * starts 1/perSecond apart (no bursts: a burst allowance lets a sliding-window limiter on the provider's
 * side see more than the limit within one second). A 429 pushes every later start past its Retry-After.
 */

export interface SlotState {
  /** Earliest instant (ms, monotonic) the next call may start. */
  nextFree: number;
  /** No call starts before this (set from a 429's Retry-After). */
  deferredUntil: number;
}

/** Pure core: reserves the next start slot at or after `now`; returns the wait and the new state. */
export function reserveSlot(state: SlotState, now: number, intervalMs: number): { waitMs: number; state: SlotState } {
  const slot = Math.max(now, state.nextFree, state.deferredUntil);
  return { waitMs: slot - now, state: { nextFree: slot + intervalMs, deferredUntil: state.deferredUntil } };
}

/** Spacing between starts; rounded up to the microsecond so `rate` spacings never sum to under a second. */
export function intervalFor(perSecond: number): number {
  return Math.ceil((1000 / perSecond) * 1000) / 1000;
}

export interface LimiterClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: LimiterClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export class RateLimiter {
  private state: SlotState = { nextFree: 0, deferredUntil: 0 };
  readonly intervalMs: number;

  constructor(
    perSecond: number,
    private readonly clock: LimiterClock = realClock,
  ) {
    if (!(perSecond > 0) || !Number.isFinite(perSecond)) throw new RangeError(`rate must be a positive number of requests per second, got ${perSecond}`);
    this.intervalMs = intervalFor(perSecond);
  }

  /** Resolves when the caller may start its call. Callers are served in the order they asked. */
  async acquire(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      const reserved = reserveSlot(this.state, now, this.intervalMs);
      this.state = reserved.state;
      if (reserved.waitMs > 0) await this.clock.sleep(reserved.waitMs);
      // A 429 seen by another caller while this one slept moves its slot too.
      if (this.state.deferredUntil <= now + reserved.waitMs) return;
    }
  }

  /** No call starts within the next `ms` (the provider said to wait). */
  deferFor(ms: number): void {
    const until = this.clock.now() + ms;
    if (until > this.state.deferredUntil) this.state = { ...this.state, deferredUntil: until };
  }
}
