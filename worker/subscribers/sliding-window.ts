/**
 * An in-memory sliding-window limit: at most `limit` hits per key within `windowMs`.
 * One process only; it guards the subscription form against a single client hammering it.
 */
export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    /** Keys kept at most; the oldest are dropped first so a flood of addresses cannot exhaust memory. */
    private readonly maxKeys = 50_000,
  ) {}

  /** Records a hit unless the key is over its limit; when refused, says how long until a slot frees up. */
  hit(key: string, now: number): { allowed: true } | { allowed: false; retryAfterMs: number } {
    const since = now - this.windowMs;
    const recent = (this.hits.get(key) ?? []).filter((at) => at > since);
    if (recent.length >= this.limit) {
      this.hits.set(key, recent);
      return { allowed: false, retryAfterMs: Math.max(1, recent[0]! + this.windowMs - now) };
    }
    recent.push(now);
    // Re-inserting moves the key to the end of the map's order: the first keys are the least recently used.
    this.hits.delete(key);
    this.hits.set(key, recent);
    if (this.hits.size > this.maxKeys) this.evict(since);
    return { allowed: true };
  }

  private evict(since: number): void {
    for (const [key, times] of this.hits) {
      if (times.every((at) => at <= since)) this.hits.delete(key);
    }
    for (const key of this.hits.keys()) {
      if (this.hits.size <= this.maxKeys) break;
      this.hits.delete(key);
    }
  }
}
