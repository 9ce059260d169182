/**
 * Leases on one database file shared by two handles, as two workers share it: a lease has one holder at a time, runs
 * out when not renewed, and due sources are split between workers without overlap.
 */
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../db/client.ts';
import { sources } from '../../db/schema/index.ts';
import { claimLease, leaseHolder, releaseLease, releaseLeasesOf, renewLease } from '../../worker/coordination/leases.ts';
import { announcePoller, claimDueSources, renewSourceLeases } from '../../worker/coordination/source-leases.ts';
import { fileDatabase } from '../helpers/db.ts';

const T0 = new Date('2026-11-17T16:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const eqId = (id: string) => eq(sources.id, id);

let first: Awaited<ReturnType<typeof fileDatabase>>;
let second: DatabaseHandle;

beforeEach(async () => {
  first = await fileDatabase();
  second = openDatabase(first.url);
});
afterEach(() => {
  second.close();
  first.cleanup();
});

async function seedSources(n: number, intervalSeconds = 60): Promise<string[]> {
  const ids = Array.from({ length: n }, (_, i) => `s${String(i).padStart(3, '0')}`);
  await first.db.insert(sources).values(
    ids.map((id, i) => ({ id, name: id, type: 'http' as const, url: `https://${id}.example`, intervalSeconds, nextPollAt: at(-i), createdAt: T0, updatedAt: T0 })),
  );
  return ids;
}

describe('a named lease', () => {
  it('has one holder among workers claiming it at once, and passes on only once it has run out', async () => {
    const results = await Promise.all([
      claimLease(first.db, 'job:x', 'a', T0, at(10_000)),
      claimLease(second.db, 'job:x', 'b', T0, at(10_000)),
      claimLease(first.db, 'job:x', 'c', T0, at(10_000)),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const holder = await leaseHolder(first.db, 'job:x', T0);
    const other = holder === 'a' ? 'b' : 'a';
    expect(await claimLease(second.db, 'job:x', other, at(9_999), at(20_000))).toBe(false);
    // The holder extends it; another cannot, and cannot take it before the new end.
    expect(await renewLease(first.db, 'job:x', holder!, at(15_000))).toBe(true);
    expect(await renewLease(first.db, 'job:x', other, at(99_000))).toBe(false);
    expect(await claimLease(second.db, 'job:x', other, at(12_000), at(20_000))).toBe(false);
    expect(await claimLease(second.db, 'job:x', other, at(15_000), at(25_000))).toBe(true);
    expect(await leaseHolder(first.db, 'job:x', at(15_000))).toBe(other);
    expect(await leaseHolder(first.db, 'job:x', at(25_000))).toBeNull();
  });

  it('is free at once when handed back, by name or all of a holder’s together', async () => {
    await claimLease(first.db, 'job:x', 'a', T0, at(10_000));
    await claimLease(first.db, 'job:y', 'a', T0, at(10_000));
    await claimLease(first.db, 'source:s1', 'a', T0, at(10_000));
    await releaseLease(first.db, 'job:x', 'b');
    expect(await leaseHolder(second.db, 'job:x', T0)).toBe('a');
    await releaseLease(first.db, 'job:x', 'a');
    expect(await claimLease(second.db, 'job:x', 'b', T0, at(10_000))).toBe(true);
    expect(await releaseLeasesOf(first.db, 'a', ['source:'])).toBe(1);
    expect(await leaseHolder(second.db, 'job:y', T0)).toBe('a');
    expect(await releaseLeasesOf(first.db, 'a')).toBe(1);
    expect(await leaseHolder(second.db, 'job:y', T0)).toBeNull();
  });
});

describe('source leases', () => {
  it('split the due sources between workers claiming at once: none twice, none left', async () => {
    const ids = await seedSources(50);
    const [a, b] = await Promise.all([
      claimDueSources(first.db, 'a', T0, { limit: 50, busy: [] }),
      claimDueSources(second.db, 'b', T0, { limit: 50, busy: [] }),
    ]);
    expect(a.filter((id) => b.includes(id))).toEqual([]);
    expect([...a, ...b].sort()).toEqual(ids);
    // Nothing is left for either.
    expect(await claimDueSources(first.db, 'a', T0, { limit: 50, busy: a })).toEqual([]);
    expect(await claimDueSources(second.db, 'b', T0, { limit: 50, busy: b })).toEqual([]);
  });

  it('give each polling worker its share of what is due', async () => {
    await seedSources(50);
    await announcePoller(second.db, 'b', T0);
    const { due, pollers } = await announcePoller(first.db, 'a', T0);
    expect({ due, pollers }).toEqual({ due: 50, pollers: 2 });
    const a = await claimDueSources(first.db, 'a', T0, { limit: Math.ceil(due / pollers), busy: [] });
    const b = await claimDueSources(second.db, 'b', T0, { limit: Math.ceil(due / pollers), busy: [] });
    expect([a.length, b.length]).toEqual([25, 25]);
    // A worker that stopped ticking no longer counts once its presence has run out.
    expect((await announcePoller(first.db, 'a', at(2_500))).pollers).toBe(1);
  });

  it('last a third of the interval while renewed, and pass to another worker once not renewed', async () => {
    await seedSources(3, 30);
    const a = await claimDueSources(first.db, 'a', T0, { limit: 10, busy: [] });
    expect(a).toHaveLength(3);
    // A third of 30 s: still held at 9.9 s, free at 10 s, unless renewed.
    expect(await claimDueSources(second.db, 'b', at(9_900), { limit: 10, busy: [] })).toEqual([]);
    expect(await renewSourceLeases(first.db, 'a', [a[0]!], at(9_900))).toEqual([a[0]]);
    const b = await claimDueSources(second.db, 'b', at(10_000), { limit: 10, busy: [] });
    expect(b.sort()).toEqual([a[1], a[2]].sort());
    // The worker that lost them cannot renew them.
    expect(await renewSourceLeases(first.db, 'a', a, at(10_000))).toEqual([a[0]]);
  });

  it('are not claimed for paused sources nor before the source is due', async () => {
    await seedSources(2);
    await first.db.update(sources).set({ paused: true }).where(eqId('s000'));
    await first.db.update(sources).set({ nextPollAt: at(60_000) }).where(eqId('s001'));
    expect(await claimDueSources(first.db, 'a', T0, { limit: 10, busy: [] })).toEqual([]);
    expect(await claimDueSources(first.db, 'a', at(60_000), { limit: 10, busy: [] })).toEqual(['s001']);
  });
});
