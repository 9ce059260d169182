import { createClient, type Client } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import * as schema from './schema/index.ts';

export type Database = LibSQLDatabase<typeof schema>;
/** The handle given to code that may run inside or outside a transaction. */
export type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
export type DbOrTx = Database | Tx;

export interface DatabaseHandle {
  db: Database;
  client: Client;
  close(): void;
}

/**
 * Opens the database named by a libsql URL: `file:./data/vigia.db` (created with its folder),
 * `:memory:`, or `libsql://…` with an auth token for a remote libSQL server.
 */
export function openDatabase(url: string, authToken?: string): DatabaseHandle {
  if (url.startsWith('file:')) {
    const path = url.slice('file:'.length).split('?')[0] ?? '';
    if (path && path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  }
  // The busy timeout must be given here: a PRAGMA reaches only one of the client's pooled connections.
  const client = createClient({ url, authToken, timeout: 5_000, ...(url.startsWith('file:') ? { concurrency: FILE_CONNECTIONS } : {}) });
  const db = drizzle(client, { schema });
  return { db, client, close: () => client.close() };
}

/**
 * How many connections the client keeps to a local file. The client opens them as calls overlap (a `Promise.all` of
 * reads, a transaction open while others read) and never closes them; `tuneLocalDatabase` sets up each one.
 */
export const FILE_CONNECTIONS = 8;

/**
 * SQLite tuning for a local file: WAL lets readers and the writer run together, and with WAL
 * `synchronous = NORMAL` is still safe against a process crash (only an OS crash may lose the last commits).
 * `journal_mode` belongs to the file; `synchronous` and `foreign_keys` belong to each connection, and the client
 * pools several. Calls made in the same turn each borrow a connection of their own, so issuing one per connection
 * at once reaches them all. (Set on one connection only, the others kept `synchronous = FULL`: an fsync per commit,
 * which blocks the event loop for milliseconds on every write. libsql turns foreign keys on by default; they are
 * set anyway so that does not depend on the driver's build.)
 */
export async function tuneLocalDatabase(client: Client, url: string): Promise<void> {
  if (!url.startsWith('file:')) return;
  await client.execute('PRAGMA journal_mode = WAL');
  await Promise.all(
    Array.from({ length: FILE_CONNECTIONS }, () => client.executeMultiple('PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;')),
  );
}
