import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MOST_VALUES_KEPT, STATEMENTS_PER_CONNECTION, StatementKeepingPool } from '../../db/kept-statements.ts';
import { fileDatabase } from '../helpers/db.ts';
import Database from 'libsql';

describe('connections that keep their prepared statements', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('hand back the statement prepared before for the same SQL, the most recently used ones only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigia-kept-'));
    const pool = new StatementKeepingPool(join(dir, 'kept.db'), {}, 1);
    cleanup = () => (pool.close(), rmSync(dir, { recursive: true, force: true }));
    const connection = pool.acquireSync();
    const first = connection.prepare('select 1 as one');
    expect(connection.prepare('select 1 as one')).toBe(first);
    for (let n = 0; n < STATEMENTS_PER_CONNECTION; n++) connection.prepare(`select ${n + 2} as other`);
    const again = connection.prepare('select 1 as one');
    expect(again).not.toBe(first);
    expect(again.all()).toEqual([{ one: 1 }]);
    // A one-off with a long list of values is prepared each time.
    const long = `select ${Array(MOST_VALUES_KEPT + 1).fill('?').join(' + ')} as total`;
    expect(connection.prepare(long)).not.toBe(connection.prepare(long));
    pool.release(connection);
  });

  it('read what was written since, on the same connection and on others', async () => {
    const database = await fileDatabase();
    cleanup = database.cleanup;
    const { client } = database;
    await client.execute('create table notes (id integer primary key, body text not null unique)');
    const count = async () => Number((await client.execute('select count(*) from notes')).rows[0]![0]);
    for (let n = 1; n <= 3; n++) {
      const inserted = await client.execute({ sql: 'insert into notes (body) values (?)', args: [`nota ${n}`] });
      expect(inserted.rowsAffected).toBe(1);
      expect(await count()).toBe(n);
    }
    // Reads overlapping on several connections (each with its own kept statement), then a write on one of them.
    expect(await Promise.all([count(), count(), count()])).toEqual([3, 3, 3]);
    const tx = await client.transaction('write');
    await tx.execute({ sql: 'insert into notes (body) values (?)', args: ['en la transacción'] });
    expect(Number((await tx.execute('select count(*) from notes')).rows[0]![0])).toBe(4);
    expect(await count()).toBe(3);
    await tx.commit();
    expect(await Promise.all([count(), count(), count()])).toEqual([4, 4, 4]);
  });

  it('run again after a statement failed', async () => {
    const database = await fileDatabase();
    cleanup = database.cleanup;
    const { client } = database;
    await client.execute('create table notes (id integer primary key, body text not null unique)');
    const insert = (body: string) => client.execute({ sql: 'insert into notes (body) values (?)', args: [body] });
    await insert('una');
    await expect(insert('una')).rejects.toMatchObject({ code: expect.stringContaining('SQLITE_CONSTRAINT') });
    expect((await insert('otra')).rowsAffected).toBe(1);
    expect((await client.execute('select body from notes order by id')).rows.map((r) => r.body)).toEqual(['una', 'otra']);
  });
});

describe('a connection on which a write failed busy', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('is not reused: the next writes commit and are seen by every other connection', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigia-busy-'));
    const path = join(dir, 'busy.db');
    // One connection in the pool, so the write after the failure would run on the very connection that failed.
    const pool = new StatementKeepingPool(path, { timeout: 100 }, 1);
    const other = new Database(path, { timeout: 100 });
    cleanup = () => (other.close(), pool.close(), rmSync(dir, { recursive: true, force: true }));
    other.exec('PRAGMA journal_mode = WAL; create table notes (body text not null)');

    const write = (sql: string, body: string) => {
      const connection = pool.acquireSync();
      try {
        connection.prepare(sql).run(body);
      } finally {
        pool.release(connection);
      }
    };
    // Another connection holds the write lock: the pool's write fails busy.
    other.exec("BEGIN IMMEDIATE; insert into notes (body) values ('de la otra')");
    expect(() => write('insert into notes (body) values (?)', 'falla')).toThrow(/database is locked/);
    other.exec('COMMIT');

    // Another write once the lock is free: committed, so the other connection sees it and can write.
    write("insert into notes (body) values (? || '')", 'después');
    expect(other.prepare('select body from notes order by rowid').all().map((r) => (r as { body: string }).body)).toEqual(['de la otra', 'después']);
    expect(() => other.exec("BEGIN IMMEDIATE; insert into notes (body) values ('otra vez'); COMMIT")).not.toThrow();
  });
});
