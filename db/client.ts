import { createClient, type Client } from '@libsql/client';
import { Sqlite3Client } from '@libsql/client/sqlite3';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { StatementKeepingPool } from './kept-statements.ts';
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
  const local = localTarget(url);
  if (local && !local.memory) mkdirSync(dirname(local.path), { recursive: true });
  const client = local ? localClient(local.path, local.memory ? 1 : FILE_CONNECTIONS) : createClient({ url, authToken, timeout: BUSY_TIMEOUT_MS });
  const db = drizzle(client, { schema });
  return { db, client, close: () => client.close() };
}

/** The busy timeout is given when a connection opens: a PRAGMA reaches only one of the pooled connections. */
const BUSY_TIMEOUT_MS = 5_000;

/** The file a `file:` URL names (null for `:memory:`, a libSQL server, or a URL with options). */
export function localDatabaseFile(url: string): string | null {
  const local = localTarget(url);
  return local && !local.memory ? local.path : null;
}

/**
 * A local database (a file, or memory) is opened as `createClient` opens it, but on a pool whose connections keep
 * their prepared statements (see `kept-statements.ts`). An in-memory database exists only on the connection that
 * opened it, so it has one connection. Anything else goes to `createClient`.
 */
function localTarget(url: string): { path: string; memory: boolean } | null {
  if (url === ':memory:' || url === 'file::memory:') return { path: 'file::memory:', memory: true };
  if (!url.startsWith('file:') || url.includes('?')) return null;
  let path = url.slice('file:'.length);
  if (path.startsWith('//')) {
    // file://localhost/… or file:///…; any other host (or anything unusual) is left to createClient to refuse.
    const slash = path.indexOf('/', 2);
    if (slash < 0 || !['', 'localhost'].includes(path.slice(2, slash))) return null;
    path = path.slice(slash);
  }
  return path ? { path: decodeURIComponent(path), memory: false } : null;
}

function localClient(path: string, connections: number): Client {
  const pool = new StatementKeepingPool(path, { timeout: BUSY_TIMEOUT_MS }, connections);
  pool.setUpConnection = (connection) => connection.exec(PER_CONNECTION_PRAGMAS);
  // Fail now, not at the first query, if the database cannot be opened at all.
  const probe = pool.acquireSync();
  try {
    probe.prepare('SELECT 1').all();
  } catch (error) {
    pool.close();
    throw error;
  }
  pool.release(probe);
  return new Sqlite3Client(pool, 'number');
}

/**
 * How many connections the client keeps to a local file. The client opens them as calls overlap (a `Promise.all` of
 * reads, a transaction open while others read) and never closes them, setting each one up as it opens it.
 */
export const FILE_CONNECTIONS = 8;

/**
 * What SQLite keeps per connection, set on every connection the pool opens, whenever it opens it. With WAL (see
 * `tuneLocalDatabase`) `synchronous = NORMAL` is still safe against a process crash (only an OS crash may lose the
 * last commits); left at FULL, every commit is an fsync that blocks the event loop for milliseconds. libsql turns
 * foreign keys on by default; they are set anyway so that does not depend on the driver's build.
 */
const PER_CONNECTION_PRAGMAS = 'PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;';

/** The journal mode belongs to the file: WAL lets readers and the writer run together. */
export async function tuneLocalDatabase(client: Client, url: string): Promise<void> {
  if (!url.startsWith('file:')) return;
  await client.execute('PRAGMA journal_mode = WAL');
}
