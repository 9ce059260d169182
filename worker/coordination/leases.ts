/**
 * Leases on shared work (the `leases` table): taken, renewed and handed back with one statement each, so that with
 * several workers on one database a lease has one holder at a time. A statement that writes runs under the database's
 * write lock from its first read, so "free or expired, then mine" cannot interleave with another worker's claim.
 */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';

/**
 * Takes the lease `name` until `until` if nobody holds it or its holder let it expire; when `holder` has it already,
 * it is extended, unless `again` is false (a job's tick: taken once, even by the same worker). True when `holder`
 * has taken it now.
 */
export async function claimLease(db: DbOrTx, name: string, holder: string, now: Date, until: Date, again = true): Promise<boolean> {
  const ours = again ? sql` or leases.holder = excluded.holder` : sql``;
  const rows = await db.all<{ name: string }>(sql`
    insert into leases (name, holder, expires_at) values (${name}, ${holder}, ${until.getTime()})
    on conflict (name) do update set holder = excluded.holder, expires_at = excluded.expires_at
      where leases.expires_at <= ${now.getTime()}${ours}
    returning name`);
  return rows.length === 1;
}

/** Moves the end of a lease `holder` has; false when it has lost it (expired and taken by another). */
export async function renewLease(db: DbOrTx, name: string, holder: string, until: Date): Promise<boolean> {
  const rows = await db.all<{ name: string }>(sql`
    update leases set expires_at = ${until.getTime()} where name = ${name} and holder = ${holder} returning name`);
  return rows.length === 1;
}

/** Hands a lease back: whoever asks next gets it at once. */
export async function releaseLease(db: DbOrTx, name: string, holder: string): Promise<void> {
  await db.run(sql`delete from leases where name = ${name} and holder = ${holder}`);
}

/**
 * Hands back every lease `holder` has (a worker stopping), or those whose names start with one of `prefixes`: the work
 * passes to the others at once rather than when the leases would have run out.
 */
export async function releaseLeasesOf(db: DbOrTx, holder: string, prefixes?: string[]): Promise<number> {
  const names = prefixes ? sql` and exists (select 1 from json_each(${JSON.stringify(prefixes)}) where substr(leases.name, 1, length(value)) = value)` : sql``;
  const rows = await db.all<{ name: string }>(sql`delete from leases where holder = ${holder}${names} returning name`);
  return rows.length;
}

/** Who holds a lease now (null when nobody does, or it has expired). */
export async function leaseHolder(db: DbOrTx, name: string, now: Date): Promise<string | null> {
  const rows = await db.all<{ holder: string }>(sql`select holder from leases where name = ${name} and expires_at > ${now.getTime()}`);
  return rows[0]?.holder ?? null;
}
