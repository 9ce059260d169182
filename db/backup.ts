/**
 * Backups of a local database file: `VACUUM INTO` writes a consistent copy from one read transaction, so workers
 * go on reading and writing while it runs (under WAL a reader does not block writers). The copy is written under a
 * temporary name and renamed once complete, so a file with a backup's name is always a whole backup.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { localDatabaseFile, openDatabase } from './client.ts';

export interface BackupOptions {
  /** DATABASE_URL: only `file:` URLs can be backed up this way. */
  url: string;
  /** The folder backups are written to (created if missing). */
  dir: string;
  /** How many backups to keep, newest first; older ones are removed. Unset: keep all. */
  keep?: number;
  now?: Date;
}

export interface BackupResult {
  path: string;
  bytes: number;
  removed: string[];
}

export class BackupError extends Error {}

const NAME = /^vigia-\d{8}T\d{9}Z\.db$/;

/** `vigia-20261201T213000123Z.db`: sorts by time, and is safe as a file name everywhere. */
export function backupFileName(now: Date): string {
  return `vigia-${now.toISOString().replace(/[-:.]/g, '')}.db`;
}

/** Of the names in a backup folder, the backups beyond the newest `keep` (other files are never touched). */
export function backupsToRemove(names: readonly string[], keep: number): string[] {
  const backups = names.filter((n) => NAME.test(n)).sort();
  return backups.slice(0, Math.max(0, backups.length - keep));
}

export async function backupDatabase(options: BackupOptions): Promise<BackupResult> {
  const file = localDatabaseFile(options.url);
  if (!file) {
    throw new BackupError(
      `only a local database file can be backed up with this command (DATABASE_URL=file:…), not "${options.url.replace(/\?.*$/, '')}": ` +
        'a libSQL server or Turso keeps its own backups (see docs/DEPLOY.md)',
    );
  }
  if (!existsSync(file)) throw new BackupError(`no database file at ${resolve(file)}`);
  if (options.keep !== undefined && (!Number.isInteger(options.keep) || options.keep < 1)) throw new BackupError(`--keep must be a whole number of at least 1, not ${options.keep}`);

  mkdirSync(options.dir, { recursive: true });
  const name = backupFileName(options.now ?? new Date());
  const path = resolve(options.dir, name);
  if (existsSync(path)) throw new BackupError(`${path} exists already`);
  const partial = `${path}.partial`;
  rmSync(partial, { force: true });
  const database = openDatabase(options.url);
  try {
    await database.client.execute({ sql: 'VACUUM INTO ?', args: [partial] });
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    database.close();
  }
  renameSync(partial, path);

  const removed = options.keep === undefined ? [] : backupsToRemove(readdirSync(options.dir), options.keep).map((n) => join(resolve(options.dir), n));
  for (const old of removed) rmSync(old, { force: true });
  return { path, bytes: statSync(path).size, removed };
}
