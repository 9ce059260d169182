import { ConnectionPool } from '@libsql/client/sqlite3';

type Connection = ReturnType<ConnectionPool['acquireSync']>;
type Statement = ReturnType<Connection['prepare']>;

/** How many prepared statements each connection keeps (the most recently used ones). */
export const STATEMENTS_PER_CONNECTION = 100;

/**
 * A statement with more values than this is a one-off (a list of hundreds of ids, a bulk insert): its text changes
 * with the length of the list, and SQLite's statement for it is large, so it is prepared each time and not kept.
 */
export const MOST_VALUES_KEPT = 64;

const valuesIn = (sql: string) => {
  let count = 0;
  for (let i = sql.indexOf('?'); i >= 0; i = sql.indexOf('?', i + 1)) count++;
  return count;
};

/**
 * The libsql client's own connection pool, whose connections keep the statements they prepare. The client prepares
 * every statement afresh on each call — SQLite parses and plans it again — which cost a fifth of an admin write's
 * CPU; drizzle's prepared queries keep only the SQL text, not SQLite's statement. Each connection here hands back the
 * statement it prepared before for the same SQL text (SQLite prepares it again by itself if the schema changed since),
 * except one-offs with long lists of values.
 * A statement is run to its end on every use (the client reads all rows), so a kept one holds no read open.
 */
export class StatementKeepingPool extends ConnectionPool {
  /** Run once on each connection the pool opens, before its first use: what SQLite sets per connection (PRAGMAs). */
  setUpConnection: ((connection: Connection) => void) | null = null;

  // Every connection the pool opens comes through here (`acquire` calls it too).
  override acquireSync(forTransaction?: boolean): Connection {
    const connection = super.acquireSync(forTransaction);
    if (!keeping.has(connection)) {
      this.setUpConnection?.(connection);
      keepStatements(connection);
    }
    return connection;
  }

  /**
   * A connection on which a statement failed busy is closed instead of reused. The binding resets a statement before
   * it runs it, not after its step fails, so such a statement stays in progress until it is run again or collected;
   * meanwhile SQLite does not end the connection's implicit transactions: its next writes would stay uncommitted,
   * invisible to every other connection, and hold the write lock. Nothing else runs on it.
   */
  override release(connection: Connection): void {
    if (!failedBusy.has(connection)) {
      super.release(connection);
      return;
    }
    failedBusy.delete(connection);
    try {
      connection.close();
    } catch {
      // Closing is best effort: the pool drops a closed or broken connection either way.
    }
    super.release(connection);
    // The pool drops a closed connection without handing anything to a caller waiting for one: hand it a new one.
    let fresh: Connection;
    try {
      fresh = this.acquireSync();
    } catch {
      return; // the pool itself was closed
    }
    super.release(fresh);
  }
}

const keeping = new WeakSet<Connection>();
/** Connections on which a statement failed with SQLITE_BUSY or SQLITE_LOCKED (see `release`). */
const failedBusy = new WeakSet<Connection>();
const isBusy = (error: unknown) => /^SQLITE_(BUSY|LOCKED)/.test(String((error as { code?: unknown } | null)?.code ?? ''));

/** Marks the connection when one of the statement's runs fails busy. */
function watchBusyFailures(connection: Connection, statement: Statement): void {
  for (const method of ['run', 'get', 'all'] as const) {
    const run = (statement[method] as (...args: unknown[]) => unknown).bind(statement);
    (statement as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      try {
        return run(...args);
      } catch (error) {
        if (isBusy(error)) failedBusy.add(connection);
        throw error;
      }
    };
  }
}

function keepStatements(connection: Connection): void {
  keeping.add(connection);
  const prepare = connection.prepare.bind(connection);
  const close = connection.close.bind(connection);
  // In use order: a hit moves to the end, the first is the least recently used.
  const statements = new Map<string, Statement>();
  connection.prepare = ((sql: string) => {
    const kept = statements.get(sql);
    if (kept) {
      statements.delete(sql);
      statements.set(sql, kept);
      return kept;
    }
    const statement = prepare(sql);
    watchBusyFailures(connection, statement);
    if (valuesIn(sql) > MOST_VALUES_KEPT) return statement;
    if (!statement.reader) statement.raw = returnsNoRows;
    statements.set(sql, statement);
    if (statements.size > STATEMENTS_PER_CONNECTION) statements.delete(statements.keys().next().value!);
    return statement;
  }) as Connection['prepare'];
  connection.close = () => {
    statements.clear();
    return close();
  };
}

/**
 * The client asks every statement for raw rows and takes a throw as "this statement returns no rows"; libsql builds
 * a new error with its stack trace for that on every call (inserts, updates, BEGIN, COMMIT). A kept statement that
 * returns no rows throws this one, made once.
 */
const NO_ROWS = new TypeError('The raw() method is only for statements that return data');
function returnsNoRows(): never {
  throw NO_ROWS;
}
