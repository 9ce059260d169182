/**
 * Turns a stream of "something changed" signals into few runs of one task: a run starts after `quietMs` without a
 * new signal, but never later than `maxWaitMs` after the first signal it covers, so a continuous stream still runs
 * the task regularly. Runs never overlap; signals during a run lead to exactly one more run after it.
 */
export interface CoalescerOptions {
  quietMs: number;
  maxWaitMs: number;
  /** The task; its failure is the caller's to log (it is caught here so the coalescer keeps working). */
  run: () => Promise<void>;
  onError?: (error: unknown) => void;
}

export class Coalescer {
  private timer: NodeJS.Timeout | null = null;
  /** When the oldest signal not yet covered by a run arrived. */
  private pendingSince: number | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  /** How many runs have started; a waiter is released when the run it needs (by this count) has finished. */
  private started = 0;
  private waiters: { run: number; resolve: () => void }[] = [];

  constructor(private readonly opts: CoalescerOptions) {}

  /** Records a change; the task runs after the quiet period, or at the latest after the maximum wait. */
  signal(): void {
    if (this.stopped) return;
    const now = Date.now();
    this.pendingSince ??= now;
    if (this.running) return; // the follow-up run is scheduled when the current one ends
    this.arm(now);
  }

  /**
   * Resolves once every signal made so far is covered by a finished run: the run under way when nothing is pending,
   * else the next one to start. Not once the signals stop: under a continuous stream that would never come, and
   * whoever waits (the site build waits for the published snapshot) would wait for ever.
   */
  settled(): Promise<void> {
    if (this.pendingSince === null && !this.running) return Promise.resolve();
    const run = this.pendingSince === null ? this.started : this.started + 1;
    return new Promise((resolve) => this.waiters.push({ run, resolve }));
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pendingSince = null;
    if (!this.running) this.release();
  }

  /** Waits for a run under way (after stop, so nothing outlives its owner). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private arm(now: number): void {
    if (this.timer) clearTimeout(this.timer);
    const deadline = (this.pendingSince ?? now) + this.opts.maxWaitMs;
    const delay = Math.max(0, Math.min(this.opts.quietMs, deadline - now));
    this.timer = setTimeout(() => this.fire(), delay);
    this.timer.unref();
  }

  private fire(): void {
    this.timer = null;
    if (this.stopped || this.pendingSince === null) return;
    this.pendingSince = null;
    const run = ++this.started;
    this.running = this.opts
      .run()
      .catch((error: unknown) => this.opts.onError?.(error))
      .finally(() => {
        this.running = null;
        this.release(this.stopped ? Infinity : run);
        if (this.pendingSince !== null && !this.stopped) this.arm(Date.now());
      });
  }

  /** Releases the waiters covered by runs up to `upTo` (all of them when stopped). */
  private release(upTo = Infinity): void {
    const ready = this.waiters.filter((w) => w.run <= upTo);
    this.waiters = this.waiters.filter((w) => w.run > upTo);
    ready.forEach((w) => w.resolve());
  }
}
