/**
 * What the workers rely on from the database, checked the same way on a local file and on a real libSQL server
 * (sqld, reached over HTTP as `DATABASE_URL=http://…`), each through two handles as two workers hold them: foreign keys
 * refuse a dangling reference and cascade on delete on every connection, transactions are real (isolated, rolled
 * back; on the server a writer waits for another's commit rather than failing), and a lease or a source has one
 * holder at a time.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle, type DbOrTx } from '../../db/client.ts';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { migrateDatabase, migrationsFolder } from '../../db/migrate.ts';
import { incidents, incidentUpdates, sources } from '../../db/schema/index.ts';
import { loadIncidentView } from '../../worker/status/read-model.ts';
import { claimLease } from '../../worker/coordination/leases.ts';
import { claimDueSources } from '../../worker/coordination/source-leases.ts';
import { fileDatabase } from '../helpers/db.ts';
import { startSqld, type SqldServer } from '../helpers/sqld.ts';

const T0 = new Date('2026-11-17T16:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

interface Target {
  first: DatabaseHandle;
  second: DatabaseHandle;
  close: () => Promise<void>;
}

const targets: Record<string, () => Promise<Target>> = {
  'a local file': async () => {
    const file = await fileDatabase();
    const second = openDatabase(file.url);
    return { first: file, second, close: async () => (second.close(), file.cleanup()) };
  },
  'a libSQL server over HTTP': async () => {
    const server: SqldServer = await startSqld();
    const first = openDatabase(server.url);
    const second = openDatabase(server.url);
    await migrateDatabase(first.db);
    return { first, second, close: async () => (first.close(), second.close(), await server.stop()) };
  },
};

async function addSource(db: DatabaseHandle['db'], id: string, nextPollAt: Date | null = null): Promise<void> {
  await db.insert(sources).values({ id, name: id, type: 'http', url: `https://${id}.example`, intervalSeconds: 60, nextPollAt, createdAt: T0, updatedAt: T0 });
}

async function cacheRows(db: DatabaseHandle['db'], sourceId: string): Promise<number> {
  const rows = await db.all<{ n: number }>(sql`select count(*) as n from source_http_cache where source_id = ${sourceId}`);
  return Number(rows[0]!.n);
}

/** Why the database refused a statement (drizzle wraps the driver's error), or 'accepted'. */
const refusal = (statement: Promise<unknown>): Promise<string> =>
  statement.then(
    () => 'accepted',
    (error: Error) => String((error.cause as Error | undefined)?.message ?? error.message),
  );

const cacheRow = (sourceId: string) =>
  sql`insert into source_http_cache (source_id, endpoint_key, body, body_bytes, stored_at) values (${sourceId}, 'summary', '{}', 2, ${T0.getTime()})`;

for (const [name, open] of Object.entries(targets)) {
  describe(`the database on ${name}`, () => {
    let target: Target;
    beforeAll(async () => {
      target = await open();
    });
    afterAll(async () => {
      await target?.close();
    });

    it('has foreign keys on for every request at once, from either handle', async () => {
      const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? target.first : target.second).client.execute('PRAGMA foreign_keys')));
      expect(answers.map((r) => Number(r.rows[0]![0]))).toEqual(Array(12).fill(1));
    });

    it('refuses a row that names a source that does not exist', async () => {
      expect(await refusal(target.second.db.run(cacheRow('nowhere')))).toMatch(/FOREIGN KEY constraint failed/);
      expect(await cacheRows(target.first.db, 'nowhere')).toBe(0);
    });

    it('removes a source’s cached bodies with the source, deleted through the other handle', async () => {
      await addSource(target.first.db, 'cascade');
      await target.first.db.run(cacheRow('cascade'));
      expect(await cacheRows(target.second.db, 'cascade')).toBe(1);
      await target.second.db.run(sql`delete from sources where id = 'cascade'`);
      expect(await cacheRows(target.first.db, 'cascade')).toBe(0);
    });

    it('runs a transaction as one: unseen by the other handle until it commits, gone when it throws', async () => {
      const seen = (db: DbOrTx, lease: string) => db.all(sql`select holder from leases where name = ${lease}`);
      await target.first.db.transaction(async (tx) => {
        await tx.run(sql`insert into leases (name, holder, expires_at) values ('tx:kept', 'a', 1)`);
        expect(await seen(tx, 'tx:kept')).toHaveLength(1);
        expect(await seen(target.second.db, 'tx:kept')).toHaveLength(0);
      });
      expect(await seen(target.second.db, 'tx:kept')).toHaveLength(1);

      await expect(
        target.first.db.transaction(async (tx) => {
          await tx.run(sql`insert into leases (name, holder, expires_at) values ('tx:undone', 'a', 1)`);
          throw new Error('undo');
        }),
      ).rejects.toThrow('undo');
      expect(await seen(target.second.db, 'tx:undone')).toHaveLength(0);
    });

    it('gives a lease claimed by ten callers at once through both handles to one of them, every time', async () => {
      for (let round = 0; round < 10; round++) {
        const now = at(round);
        const won = await Promise.all(
          Array.from({ length: 10 }, (_, i) => claimLease((i % 2 ? target.first : target.second).db, `race:${round}`, `h${i}`, now, at(round + 10_000))),
        );
        expect(won.filter(Boolean)).toHaveLength(1);
      }
    });

    it('reads an incident with its timeline in one statement, the later written of two updates at one instant first', async () => {
      // The statement aggregates each part as JSON; the server parses it before SQLite runs it.
      await target.first.db.insert(incidents).values({ id: 'inc', title: 'Caída', status: 'investigating', severity: 2, startedAt: T0, createdAt: T0, updatedAt: T0 });
      await target.first.db.insert(incidentUpdates).values([
        { id: 'u-b', incidentId: 'inc', status: 'investigating', body: 'primera', createdAt: T0, author: 'ops' },
        { id: 'u-a', incidentId: 'inc', status: 'identified', body: 'segunda', createdAt: T0, author: 'ops' },
        { id: 'u-c', incidentId: 'inc', status: 'monitoring', body: 'tercera', createdAt: at(1_000), author: 'ops' },
      ]);
      const view = await loadIncidentView(target.second.db, 'inc');
      expect(view?.updates.map((u) => u.body)).toEqual(['tercera', 'segunda', 'primera']);
    });

    it('splits due sources between two handles claiming at once: none twice, none left', async () => {
      const ids = Array.from({ length: 40 }, (_, i) => `due${String(i).padStart(2, '0')}`);
      for (const id of ids) await addSource(target.first.db, id, at(-1));
      const [a, b] = await Promise.all([
        claimDueSources(target.first.db, 'a', T0, { limit: 40, busy: [] }),
        claimDueSources(target.second.db, 'b', T0, { limit: 40, busy: [] }),
      ]);
      expect(a.filter((id) => b.includes(id))).toEqual([]);
      expect([...a, ...b].filter((id) => id.startsWith('due')).sort()).toEqual(ids);
    });
  });
}

describe('a libSQL server', () => {
  let server: SqldServer;
  let handle: DatabaseHandle;
  let other: DatabaseHandle;
  beforeAll(async () => {
    server = await startSqld();
    handle = openDatabase(server.url);
    other = openDatabase(server.url);
    await migrateDatabase(handle.db);
  });
  afterAll(async () => {
    handle?.close();
    other?.close();
    await server?.stop();
  });

  it('sets foreign keys on each connection itself: a PRAGMA a client sends does not outlive its request', async () => {
    // Over HTTP each request may run on a new connection of the server's: what holds is the server's own setting.
    await handle.client.execute('PRAGMA foreign_keys = OFF');
    expect(Number((await handle.client.execute('PRAGMA foreign_keys')).rows[0]![0])).toBe(1);
    expect(await refusal(handle.db.run(cacheRow('nowhere')))).toMatch(/FOREIGN KEY constraint failed/);
  });

  // On a file the driver's calls block the process while they wait for a lock, so two handles in one process cannot
  // show this; workers are separate processes there, and the multi-worker tests run them so.
  it('makes a writer wait for another’s transaction to commit, then write', async () => {
    let committed = 0;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inside!: () => void;
    const begun = new Promise<void>((resolve) => (inside = resolve));
    const transaction = handle.db.transaction(async (tx) => {
      await tx.run(sql`insert into leases (name, holder, expires_at) values ('wait:first', 'a', 1)`);
      inside();
      await held;
      committed = Date.now();
    });
    await begun;
    let written = 0;
    const write = other.db.run(sql`insert into leases (name, holder, expires_at) values ('wait:second', 'b', 1)`).then(() => (written = Date.now()));
    // The second write reaches the server and waits there (a write that did not wait takes a few milliseconds).
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(written).toBe(0);
    release();
    await transaction;
    expect(await write).toBeGreaterThanOrEqual(committed);
    const rows = await handle.db.all<{ name: string }>(sql`select name from leases where name like 'wait:%' order by name`);
    expect(rows.map((r) => r.name)).toEqual(['wait:first', 'wait:second']);
  });

  it('applies the migrations once when two workers start on an empty database at the same time', async () => {
    const fresh = await startSqld();
    const [a, b] = [openDatabase(fresh.url), openDatabase(fresh.url)];
    try {
      await Promise.all([migrateDatabase(a.db), migrateDatabase(b.db)]);
      const applied = await a.db.all<{ hash: string }>(sql`select hash from __drizzle_migrations`);
      expect(applied.length).toBe(readMigrationFiles({ migrationsFolder }).length);
      expect(new Set(applied.map((m) => m.hash)).size).toBe(applied.length);
    } finally {
      a.close();
      b.close();
      await fresh.stop();
    }
  });

  it('applies the migrations once: a second run changes nothing', async () => {
    const count = async () => Number((await handle.client.execute('select count(*) from __drizzle_migrations')).rows[0]![0]);
    const before = await count();
    expect(before).toBeGreaterThan(0);
    await migrateDatabase(handle.db);
    expect(await count()).toBe(before);
  });
});
