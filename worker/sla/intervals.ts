/**
 * Unions of half-open time intervals `[start, end)` in epoch ms, kept as flat sorted arrays
 * `[s0, e0, s1, e1, …]` with no overlaps or touching neighbours.
 */

/** Union of intervals given as parallel `starts` / `ends`; empty intervals are dropped. O(n log n). */
export function unionOf(starts: readonly number[], ends: readonly number[]): number[] {
  const order: number[] = [];
  for (let i = 0; i < starts.length; i++) if (ends[i]! > starts[i]!) order.push(i);
  order.sort((a, b) => starts[a]! - starts[b]!);
  const out: number[] = [];
  for (const i of order) {
    const s = starts[i]!;
    const e = ends[i]!;
    const last = out.length - 1;
    if (last > 0 && s <= out[last]!) {
      if (e > out[last]!) out[last] = e;
    } else {
      out.push(s, e);
    }
  }
  return out;
}

/** Total length of a union. */
export function measure(union: readonly number[]): number {
  let total = 0;
  for (let i = 0; i < union.length; i += 2) total += union[i + 1]! - union[i]!;
  return total;
}

/** Length of `union` not covered by `excluded` (both unions), by a merged sweep. O(n + m). */
export function measureOutside(union: readonly number[], excluded: readonly number[]): number {
  let total = 0;
  let j = 0;
  for (let i = 0; i < union.length; i += 2) {
    let cursor = union[i]!;
    const end = union[i + 1]!;
    while (j < excluded.length && excluded[j + 1]! <= cursor) j += 2;
    let k = j;
    while (cursor < end && k < excluded.length && excluded[k]! < end) {
      if (excluded[k]! > cursor) total += excluded[k]! - cursor;
      cursor = Math.max(cursor, excluded[k + 1]!);
      k += 2;
    }
    if (cursor < end) total += end - cursor;
  }
  return total;
}
