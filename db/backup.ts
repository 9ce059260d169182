/**
 * Backups of the database: of a local file, `VACUUM INTO` writes a consistent copy from one read transaction, so
 * workers go on reading and writing while it runs (under WAL a reader does not block writers); of a libSQL server or
 * Turso, every table is read in one read transaction into a new local file, which is then checked
 * (`remote-copy.ts`). Either way the copy is a plain SQLite file, written under a temporary name and renamed once
 * complete, so a file with a backup's name is always a whole backup.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { localDatabaseFile, openDatabase } from './client.ts';
import { copyRemoteDatabase, RemoteCopyError } from './remote-copy.ts';

export interface BackupOptions {
  /** DATABASE_URL: a `file:` URL, or a libSQL server's (`http(s)://`, `libsql://`, `ws(s)://`). */
  url: string;
  /** DATABASE_AUTH_TOKEN, for a libSQL server that asks for one. */
  authToken?: string;
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
/** A libSQL server's address, as the client takes it (a URL with options is left to the client to judge). */
const REMOTE = /^(https?|libsql|wss?):\/\//;

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
  const remote = !file && REMOTE.test(options.url);
  if (!file && !remote) {
    throw new BackupError(
      `only a local database file (DATABASE_URL=file:…) or a libSQL server (http://, https://, libsql://) can be backed up with this command, not "${options.url.replace(/\?.*$/, '')}"`,
    );
  }
  if (file && !existsSync(file)) throw new BackupError(`no database file at ${resolve(file)}`);
  if (options.keep !== undefined && (!Number.isInteger(options.keep) || options.keep < 1)) throw new BackupError(`--keep must be a whole number of at least 1, not ${options.keep}`);

  mkdirSync(options.dir, { recursive: true });
  const name = backupFileName(options.now ?? new Date());
  const path = resolve(options.dir, name);
  if (existsSync(path)) throw new BackupError(`${path} exists already`);
  const partial = `${path}.partial`;
  rmSync(partial, { force: true });
  try {
    if (remote) await copyRemoteDatabase(options.url, options.authToken, partial);
    else await vacuumInto(options.url, partial);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error instanceof RemoteCopyError ? new BackupError(error.message) : error;
  }
  renameSync(partial, path);

  const removed = options.keep === undefined ? [] : backupsToRemove(readdirSync(options.dir), options.keep).map((n) => join(resolve(options.dir), n));
  for (const old of removed) rmSync(old, { force: true });
  return { path, bytes: statSync(path).size, removed };
}

async function vacuumInto(url: string, path: string): Promise<void> {
  const database = openDatabase(url);
  try {
    await database.client.execute({ sql: 'VACUUM INTO ?', args: [path] });
  } finally {
    database.close();
  }
}
