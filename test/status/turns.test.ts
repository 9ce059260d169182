import { describe, expect, it } from 'vitest';
import { inPages, inTurns, runInTurns, runNow, SLICE_MS } from '../../worker/status/turns.ts';

/** Computing for longer than a slice (what a read of thousands of rows does to the loop). */
const busy = () => {
  const until = performance.now() + SLICE_MS + 1;
  while (performance.now() < until);
};

describe('work in turns of the event loop', () => {
  it('gives the reads’ results in order, each started in a turn of its own, so what waits for the loop runs in between', async () => {
    const order: string[] = [];
    // Each read, as it runs, is followed by work waiting for the loop (a request coming in).
    const read = (name: string) => async () => (order.push(name), setImmediate(() => order.push(`request after ${name}`)), name);
    const results = await inTurns(read('first'), read('second'), read('third'));
    expect(results).toEqual(['first', 'second', 'third']);
    expect(order.slice(0, 5)).toEqual(['first', 'request after first', 'second', 'request after second', 'third']);
  });

  it('reads every row a page at a time, by key, whatever the page size', async () => {
    const rows = Array.from({ length: 23 }, (_, k) => ({ id: `r${String(k).padStart(2, '0')}` }));
    for (const limit of [1, 5, 10, 23, 50]) {
      const pages: (string | null)[] = [];
      const read = await inPages(
        async (after, max) => (pages.push(after), rows.filter((r) => after === null || r.id > after).slice(0, max)),
        (row) => row.id,
        limit,
      );
      expect(read).toEqual(rows);
      expect(pages).toHaveLength(Math.floor(rows.length / limit) + 1);
    }
  });

  it('runs a generator to the same result at once or with pauses', async () => {
    function* sum(list: number[]) {
      let total = 0;
      for (const n of list) {
        total += n;
        yield;
      }
      return total;
    }
    let waited = false;
    const seen: boolean[] = [];
    function* noting() {
      seen.push(waited);
      busy();
      yield;
      seen.push(waited);
      return seen.length;
    }
    expect(runNow(sum([1, 2, 3]))).toBe(6);
    expect(runNow(noting())).toBe(2);
    expect(seen).toEqual([false, false]);
    seen.length = 0;
    setImmediate(() => (waited = true));
    expect(await runInTurns(noting())).toBe(2);
    // Work waiting for the loop ran at the pause, once the step had used up its slice.
    expect(seen).toEqual([false, true]);
  });
});
