import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MOST_VALUES_KEPT, STATEMENTS_PER_CONNECTION, StatementKeepingPool } from '../../db/kept-statements.ts';
import { fileDatabase } from '../helpers/db.ts';

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
