import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, tuneLocalDatabase, type DatabaseHandle } from '../../db/client.ts';
import { migrateDatabase } from '../../db/migrate.ts';

/** A real, migrated libsql database in memory (one connection: use `tx` inside transactions). */
export async function memoryDatabase(): Promise<DatabaseHandle> {
  const handle = openDatabase(':memory:');
  await migrateDatabase(handle.db);
  return handle;
}

/** A real, migrated libsql database in a temporary file; `cleanup` closes and deletes it. */
export async function fileDatabase(): Promise<DatabaseHandle & { url: string; dir: string; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'vigia-db-'));
  const url = `file:${join(dir, 'vigia.db')}`;
  const handle = openDatabase(url);
  await tuneLocalDatabase(handle.client, url);
  await migrateDatabase(handle.db);
  return {
    ...handle,
    url,
    dir,
    cleanup: () => {
      handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
