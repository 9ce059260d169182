import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FILE_CONNECTIONS, openDatabase } from '../../db/client.ts';
import { fileDatabase } from '../helpers/db.ts';

/** Runs one statement on every pooled connection at once (calls made in the same turn each borrow their own). */
async function onEveryConnection(client: ReturnType<typeof openDatabase>['client'], sql: string) {
  const results = await Promise.all(Array.from({ length: FILE_CONNECTIONS }, () => client.execute(sql)));
  return results.map((r) => Number(r.rows[0]![0]));
}

describe('a local file database', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('enforces foreign keys and commits without an fsync on every one of its connections', async () => {
    const database = await fileDatabase();
    cleanup = database.cleanup;
    expect(await onEveryConnection(database.client, 'PRAGMA foreign_keys')).toEqual(Array(FILE_CONNECTIONS).fill(1));
    // 1 = NORMAL (2 would be FULL: an fsync per commit).
    expect(await onEveryConnection(database.client, 'PRAGMA synchronous')).toEqual(Array(FILE_CONNECTIONS).fill(1));
    expect((await database.client.execute('PRAGMA journal_mode')).rows[0]![0]).toBe('wal');
  });

  it('sets up each connection when the pool opens it, however late', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigia-db-'));
    const { client, close } = openDatabase(`file:${join(dir, 'late.db')}`);
    cleanup = () => {
      close();
      rmSync(dir, { recursive: true, force: true });
    };
    // One connection so far; a transaction holds it while the others are opened by reads.
    const tx = await client.transaction('write');
    try {
      expect(await onEveryConnection(client, 'PRAGMA foreign_keys')).toEqual(Array(FILE_CONNECTIONS).fill(1));
      expect(await onEveryConnection(client, 'PRAGMA synchronous')).toEqual(Array(FILE_CONNECTIONS).fill(1));
    } finally {
      await tx.rollback();
    }
  });

});
