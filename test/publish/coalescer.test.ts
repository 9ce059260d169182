import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Coalescer } from '../../worker/lib/coalescer.ts';

/** Runs with fake timers: each run takes `runMs` of (fake) time. */
function harness(opts: { quietMs: number; maxWaitMs: number; runMs: number }) {
  const runs: { start: number; end: number }[] = [];
  let active = 0;
  let overlapped = false;
  const coalescer = new Coalescer({
    quietMs: opts.quietMs,
    maxWaitMs: opts.maxWaitMs,
    run: async () => {
      if (active++) overlapped = true;
      const start = Date.now();
      await new Promise((r) => setTimeout(r, opts.runMs));
      runs.push({ start, end: Date.now() });
      active--;
    },
  });
  return { coalescer, runs, overlapped: () => overlapped };
}

describe('coalescing changes', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs once for a burst, after the quiet period', async () => {
    const h = harness({ quietMs: 200, maxWaitMs: 1_000, runMs: 50 });
    for (let i = 0; i < 20; i++) {
      h.coalescer.signal();
      await vi.advanceTimersByTimeAsync(10);
    }
    await vi.advanceTimersByTimeAsync(1_000);
    expect(h.runs).toHaveLength(1);
    expect(h.runs[0]!.start).toBe(190 + 200);
  });

  it('still runs at least every maximum wait under a continuous stream, never overlapping', async () => {
    const h = harness({ quietMs: 200, maxWaitMs: 1_000, runMs: 300 });
    for (let t = 0; t < 10_000; t += 50) {
      h.coalescer.signal();
      await vi.advanceTimersByTimeAsync(50);
    }
    // Without a maximum wait, a signal every 50 ms with a 200 ms quiet period would never run the task.
    expect(h.runs.length).toBeGreaterThanOrEqual(7);
    const gaps = h.runs.slice(1).map((r, i) => r.start - h.runs[i]!.end);
    // After a run, the signals that came during it start the next one within the maximum wait.
    expect(Math.max(...gaps)).toBeLessThanOrEqual(1_000);
    expect(h.overlapped()).toBe(false);
  });

  it('runs once more after a run for the signals that came during it', async () => {
    const h = harness({ quietMs: 100, maxWaitMs: 500, runMs: 1_000 });
    h.coalescer.signal();
    await vi.advanceTimersByTimeAsync(150); // the run has started
    h.coalescer.signal();
    h.coalescer.signal();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(h.runs).toHaveLength(2);
  });

  it('settles under a continuous stream, once a run covers the signals made before the call', async () => {
    const h = harness({ quietMs: 200, maxWaitMs: 1_000, runMs: 300 });
    const settledAt: number[] = [];
    for (let t = 0; t < 6_000; t += 50) {
      h.coalescer.signal();
      if (t === 2_000) void h.coalescer.settled().then(() => settledAt.push(Date.now()));
      await vi.advanceTimersByTimeAsync(50);
    }
    // The signals never stop, yet the wait ends: at the end of the first run that started after the call.
    expect(settledAt).toHaveLength(1);
    const covering = h.runs.find((r) => r.start > 2_000)!;
    expect(settledAt[0]).toBe(covering.end);
  });

  it('settles with the run under way when nothing is pending', async () => {
    const h = harness({ quietMs: 100, maxWaitMs: 500, runMs: 1_000 });
    let settled = false;
    h.coalescer.signal();
    await vi.advanceTimersByTimeAsync(150); // the run has started; nothing pending
    void h.coalescer.settled().then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(900);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(settled).toBe(true);
  });

  it('settles once nothing is pending, and runs nothing after stop', async () => {
    const h = harness({ quietMs: 100, maxWaitMs: 500, runMs: 10 });
    let settled = false;
    h.coalescer.signal();
    void h.coalescer.settled().then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(50);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(settled).toBe(true);
    h.coalescer.stop();
    h.coalescer.signal();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(h.runs).toHaveLength(1);
  });
});
