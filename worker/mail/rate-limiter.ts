/**
 * Paces provider calls: at most `perSecond` call starts in any one-second window, by spacing starts
 * at least 1/perSecond apart — no bursts, since a burst allowance lets a sliding-window limiter on the
 * provider's side count more than the limit within one second. A 429 holds every later start until
 * its Retry-After has passed.
 *
 * Spacing is measured between the moments callers actually resume, not planned slots: a busy event
 * loop wakes a caller late, and a late call followed by a punctual one would reach the provider closer
 * together than the limit. A small margin (default 3%) absorbs the jitter between resuming and the
 * request reaching the provider.
 */

/** Spacing between starts, rounded up to the microsecond so `rate` spacings never sum to under a second. */
export function intervalFor(perSecond: number, margin = 0): number {
  return Math.ceil((1000 / perSecond) * (1 + margin) * 1000) / 1000;
}

/** Pure core: the earliest instant the next call may start. */
export function nextStartAt(lastStart: number, deferredUntil: number, intervalMs: number): number {
  return Math.max(lastStart + intervalMs, deferredUntil);
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
  readonly intervalMs: number;
  private lastStart = Number.NEGATIVE_INFINITY;
  private deferredUntil = Number.NEGATIVE_INFINITY;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    perSecond: number,
    private readonly clock: LimiterClock = realClock,
    margin = 0.03,
  ) {
    if (!(perSecond > 0) || !Number.isFinite(perSecond)) throw new RangeError(`rate must be a positive number of requests per second, got ${perSecond}`);
    this.intervalMs = intervalFor(perSecond, margin);
  }

  /** Resolves when the caller may start its call; callers are served in the order they asked. */
  acquire(): Promise<void> {
    const turn = this.queue.then(() => this.waitTurn());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** No call starts within the next `ms` (the provider said to wait). */
  deferFor(ms: number): void {
    this.deferredUntil = Math.max(this.deferredUntil, this.clock.now() + ms);
  }

  private async waitTurn(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      // Re-checked after every sleep: a deferral may have come meanwhile, and timers may fire early.
      const at = nextStartAt(this.lastStart, this.deferredUntil, this.intervalMs);
      if (now >= at) {
        this.lastStart = now;
        return;
      }
      await this.clock.sleep(at - now);
    }
  }
}
