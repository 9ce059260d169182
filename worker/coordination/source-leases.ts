/**
 * Leases on polling sources, one row per source (`source:<id>`): a worker polls a source only while it holds that
 * source's lease, so with several workers each due source is polled by one of them. A lease lasts a third of the
 * source's interval (at least 2 s, at most `maxLeaseMs`) and is renewed every tick while its poll is queued or under
 * way; when a worker dies its leases run out and the next worker to tick takes the sources over, so a source goes
 * unpolled for at most its interval, plus the lease, plus a tick (and the poll's own time): under two intervals from
 * 5 s up. A finished poll needs no release: recording it moved `next_poll_at` on, so
 * nobody claims the source before it is due again, and by then the lease has run out.
 *
 * Workers that poll say so every tick (`poller:<holder>`, 2.5 s long, so a dead one stops counting about when its
 * leases run out): each claims at most its share of what
 * is due, so polls spread across the workers instead of going to whichever ticks first.
 */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';

/** The shortest a source's lease lasts (ms): renewed every tick (1 s), it must outlive a late tick. */
export const MIN_SOURCE_LEASE_MS = 2_000;
/** The longest by default (ms): how long a dead worker's sources wait, at most, when their interval is long. */
export const DEFAULT_MAX_SOURCE_LEASE_MS = 30_000;
/** How long a poller counts as alive after it last ticked (ms). */
export const POLLER_PRESENCE_MS = 2_500;

const leaseEnd = (now: number, maxLeaseMs: number) =>
  sql`${now} + min(max(sources.interval_seconds * 1000 / 3, ${MIN_SOURCE_LEASE_MS}), ${maxLeaseMs})`;

/**
 * Says `holder` polls (for a few seconds) and returns how many sources are due and how many workers poll now, for
 * the holder's share. Presence rows long gone are deleted on the way.
 */
export async function announcePoller(db: DbOrTx, holder: string, now: Date): Promise<{ due: number; pollers: number }> {
  const at = now.getTime();
  await db.run(sql`
    insert into leases (name, holder, expires_at) values (${`poller:${holder}`}, ${holder}, ${at + POLLER_PRESENCE_MS})
    on conflict (name) do update set expires_at = excluded.expires_at`);
  await db.run(sql`delete from leases where name like 'poller:%' and expires_at < ${at - 60_000}`);
  const [row] = await db.all<{ due: number; pollers: number }>(sql`
    select (select count(*) from sources where paused = 0 and (next_poll_at is null or next_poll_at <= ${at})) as due,
           (select count(*) from leases where name like 'poller:%' and expires_at > ${at}) as pollers`);
  return { due: Number(row?.due ?? 0), pollers: Math.max(1, Number(row?.pollers ?? 1)) };
}

/**
 * Takes the leases of up to `limit` due, unpaused sources that nobody else holds (the longest due first), leaving
 * out `busy` (polls this worker runs already). One statement: two workers claiming at once get different sources.
 * Returns the ids now held.
 */
export async function claimDueSources(
  db: DbOrTx,
  holder: string,
  now: Date,
  options: { limit: number; busy: Iterable<string>; maxLeaseMs?: number },
): Promise<string[]> {
  if (options.limit <= 0) return [];
  const at = now.getTime();
  const max = options.maxLeaseMs ?? DEFAULT_MAX_SOURCE_LEASE_MS;
  const rows = await db.all<{ name: string }>(sql`
    with picked as (
      select sources.id as id from sources
      left join leases held on held.name = 'source:' || sources.id
      where sources.paused = 0 and (sources.next_poll_at is null or sources.next_poll_at <= ${at})
        and (held.name is null or held.expires_at <= ${at} or held.holder = ${holder})
        and sources.id not in (select value from json_each(${JSON.stringify([...options.busy])}))
      order by sources.next_poll_at limit ${options.limit})
    insert into leases (name, holder, expires_at)
    select 'source:' || sources.id, ${holder}, ${leaseEnd(at, max)} from sources where sources.id in (select id from picked)
    on conflict (name) do update set holder = excluded.holder, expires_at = excluded.expires_at
      where leases.expires_at <= ${at} or leases.holder = excluded.holder
    returning name`);
  return rows.map((r) => r.name.slice('source:'.length));
}

/** Extends the leases `holder` has on these sources (polls queued or under way); returns the ids it still holds. */
export async function renewSourceLeases(db: DbOrTx, holder: string, ids: string[], now: Date, maxLeaseMs = DEFAULT_MAX_SOURCE_LEASE_MS): Promise<string[]> {
  if (ids.length === 0) return [];
  const at = now.getTime();
  const rows = await db.all<{ name: string }>(sql`
    update leases set expires_at = coalesce(
      (select ${leaseEnd(at, maxLeaseMs)} from sources where sources.id = substr(leases.name, 8)), ${at + MIN_SOURCE_LEASE_MS})
    where holder = ${holder} and name in (select 'source:' || value from json_each(${JSON.stringify(ids)}))
    returning name`);
  return rows.map((r) => r.name.slice('source:'.length));
}

/**
 * Of these sources, the ids whose lease `holder` still has: the fence a poll passes before it is recorded. Run first in
 * the recording transaction: it is a write on the lease rows (a no-op one), so the transaction holds the database's
 * write lock from here to its commit and no other worker can take one of these leases in between. A lease that ran
 * out but that nobody took is still ours: no one else polled the source, and once the record commits its
 * `next_poll_at` has moved on, so nobody claims it before it is due again. A lease another worker took (this one
 * stalled past its end) or that was handed back is not: that poll is dropped, not recorded after the other's.
 */
export async function stillHeldSources(tx: DbOrTx, holder: string, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx.all<{ name: string }>(sql`
    update leases set holder = holder
    where holder = ${holder} and name in (select 'source:' || value from json_each(${JSON.stringify(ids)}))
    returning name`);
  return new Set(rows.map((r) => r.name.slice('source:'.length)));
}
