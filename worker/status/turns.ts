/**
 * Reading and computing in turns of the event loop. A local database answers synchronously (the driver reads and
 * converts every row before it returns), so reads started together, or one read of thousands of rows, hold the
 * server until they are all done. Spread over turns, requests are answered in between.
 */
import { setImmediate } from 'node:timers/promises';

/**
 * How long computing may go on before requests are let in. Yielding at every step instead starves the computation on a
 * busy server: each turn lets every pending request run first (an admin write costs a few ms), so a rebuild of the
 * published state that yields hundreds of times took tens of seconds under a stream of writes.
 */
export const SLICE_MS = 8;
let sliceStart = performance.now();

/** A turn of the event loop, always: before each of a few large reads. */
const fullTurn = (): Promise<void> =>
  setImmediate().then(() => {
    sliceStart = performance.now();
  });

/** A turn of the event loop, once the current slice of computing is used up; else at once (fine-grained loops). */
export function nextTurn(): Promise<void> {
  if (performance.now() - sliceStart < SLICE_MS) return Promise.resolve();
  return fullTurn();
}

/**
 * The reads' results, as `Promise.all` gives them, but each read starts a turn after the previous one. A remote
 * database still has them all in flight together.
 */
export function inTurns<T extends readonly (() => PromiseLike<unknown>)[]>(...reads: T): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  return Promise.all(
    reads.map(async (read, k) => {
      for (let turn = 0; turn <= k; turn++) await fullTurn();
      return read();
    }),
  ) as Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }>;
}

/** Rows read this many at a time by `inPages`. */
export const PAGE_ROWS = 1_000;

/**
 * Every row of a read done a page at a time, one page per turn: `page(after, limit)` returns up to `limit` rows
 * ordered by a unique text key, those whose key is greater than `after` (all of them for null).
 */
export async function inPages<T>(page: (after: string | null, limit: number) => PromiseLike<T[]>, keyOf: (row: T) => string, limit = PAGE_ROWS): Promise<T[]> {
  const rows: T[] = [];
  for (let after: string | null = null; ; ) {
    await fullTurn();
    const next = await page(after, limit);
    rows.push(...next);
    if (next.length < limit) return rows;
    after = keyOf(next[next.length - 1]!);
  }
}

/**
 * Runs a computation written as a generator, which `yield`s where it may pause: all at once (`runNow`) or a turn of
 * the event loop at each pause (`runInTurns`), so the same pure code serves tests and the server.
 */
export function runNow<R>(steps: Generator<void, R>): R {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

export async function runInTurns<R>(steps: Generator<void, R>): Promise<R> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await nextTurn();
  }
}
