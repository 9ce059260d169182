/**
 * A copy of a database on a libSQL server (or Turso) into a new local file, for `npm run backup`: the server cannot
 * `VACUUM INTO` a file of ours, so every table is read through the client inside one read transaction (one snapshot:
 * what workers write meanwhile is in the copy whole or not at all) and written to the file, rows keeping their rowids
 * (some reads break ties by them). The copy is then checked: the same number of rows in every table as the snapshot,
 * `PRAGMA integrity_check` and `PRAGMA foreign_key_check` clean.
 */
import { createClient, type Client, type InValue, type Transaction } from '@libsql/client';

/**
 * How many bytes of rows one request reads at most, against the server's response limit (10 MB by default): rows
 * are counted by their values' bytes, twice over for their JSON encoding. A table's pages hold as many of its widest
 * row as fit, from 1 (a cached body of several megabytes) to `MAX_PAGE_ROWS`.
 */
const PAGE_BYTES = 2 * 1024 * 1024;
const MAX_PAGE_ROWS = 1_000;

export interface RemoteCopy {
  tables: number;
  rows: number;
}

export class RemoteCopyError extends Error {}

interface SchemaEntry {
  type: string;
  name: string;
  sql: string;
}

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function copyRemoteDatabase(url: string, authToken: string | undefined, path: string): Promise<RemoteCopy> {
  // Integers as bigint: a number would round those beyond 2^53.
  const remote = createClient({ url, authToken, intMode: 'bigint' });
  const local = createClient({ url: `file:${path}`, intMode: 'bigint' });
  try {
    const snapshot = await remote.transaction('read');
    try {
      const copied = await copyInto(snapshot, local);
      await check(local, copied.counts);
      return { tables: copied.counts.size, rows: [...copied.counts.values()].reduce((a, b) => a + b, 0) };
    } finally {
      snapshot.close();
    }
  } finally {
    remote.close();
    local.close();
  }
}

interface Table {
  name: string;
  columns: string[];
  /** Whether a column is the rowid itself (an INTEGER PRIMARY KEY); otherwise the rowid is copied as such. */
  rowidAlias: boolean;
  rows: number;
  pageRows: number;
}

async function copyInto(snapshot: Transaction, local: Client): Promise<{ counts: Map<string, number> }> {
  const entries = (
    await snapshot.execute("select type, name, sql from sqlite_master where sql is not null and name not like 'sqlite\\_%' escape '\\' order by rowid")
  ).rows.map((r) => ({ type: String(r.type), name: String(r.name), sql: String(r.sql) }) as SchemaEntry);
  const tables = await describeTables(
    snapshot,
    entries.filter((e) => e.type === 'table').map((e) => e.name),
  );
  // Tables first, their rows, then indexes, triggers and views (built once over the rows; no trigger fires on the copy).
  for (const entry of entries.filter((e) => e.type === 'table')) await local.execute(entry.sql);
  const counts = new Map<string, number>();
  const writing = await local.transaction('write');
  try {
    for (const table of tables) {
      const copied = await copyTable(snapshot, writing, table);
      if (copied !== table.rows) throw new RemoteCopyError(`table ${table.name}: ${copied} rows copied of ${table.rows}`);
      counts.set(table.name, copied);
    }
    if (await hasSequence(snapshot)) {
      for (const row of (await snapshot.execute('select name, seq from sqlite_sequence')).rows) {
        await writing.execute({ sql: 'insert into sqlite_sequence (name, seq) values (?, ?)', args: [row.name as InValue, row.seq as InValue] });
      }
    }
    await writing.commit();
  } finally {
    writing.close();
  }
  for (const entry of entries.filter((e) => e.type !== 'table')) await local.execute(entry.sql);
  return { counts };
}

async function hasSequence(snapshot: Transaction): Promise<boolean> {
  return Number((await snapshot.execute("select count(*) from sqlite_master where name = 'sqlite_sequence'")).rows[0]![0]) > 0;
}

/** Each table's columns, row count and widest row, read in two requests for all of them. */
async function describeTables(snapshot: Transaction, names: string[]): Promise<Table[]> {
  if (!names.length) return [];
  const infos = await snapshot.batch(names.map((name) => ({ sql: 'select name, pk, type from pragma_table_info(?)', args: [name] })));
  const described = names.map((name, i) => {
    const columns = infos[i]!.rows.map((r) => ({ name: String(r.name), pk: Number(r.pk), type: String(r.type).toUpperCase() }));
    const keys = columns.filter((c) => c.pk > 0);
    return { name, columns: columns.map((c) => c.name), rowidAlias: keys.length === 1 && keys[0]!.type === 'INTEGER' };
  });
  const sizes = await snapshot.batch(
    described.map((t) => `select count(*), coalesce(max(${t.columns.map((c) => `coalesce(length(cast(${quoted(c)} as blob)), 0)`).join(' + ') || '0'}), 0) from ${quoted(t.name)}`),
  );
  return described.map((t, i) => {
    const row = sizes[i]!.rows[0]!;
    const [rows, widest] = [row[0], row[1]];
    const pageRows = Math.max(1, Math.min(MAX_PAGE_ROWS, Math.floor(PAGE_BYTES / (2 * (Number(widest) + 16 * t.columns.length)))));
    return { ...t, rows: Number(rows), pageRows };
  });
}

/** Copies one table's rows in rowid order, a page at a time, each with its rowid. */
async function copyTable(snapshot: Transaction, local: Transaction, table: Table): Promise<number> {
  const names = table.columns;
  const target = table.rowidAlias ? names : ['rowid', ...names];
  const insert = `insert into ${quoted(table.name)} (${target.map(quoted).join(', ')}) values (${target.map(() => '?').join(', ')})`;
  const select = `select rowid as "__rowid", ${names.map(quoted).join(', ')} from ${quoted(table.name)} where rowid > ? order by rowid limit ${table.pageRows}`;
  let after: InValue = -(2n ** 63n);
  let copied = 0;
  for (;;) {
    const page = await snapshot.execute({ sql: select, args: [after] });
    await local.batch(
      page.rows.map((row) => {
        const values = names.map((n) => row[n] as InValue);
        return { sql: insert, args: table.rowidAlias ? values : [row.__rowid as InValue, ...values] };
      }),
    );
    copied += page.rows.length;
    if (page.rows.length < table.pageRows) return copied;
    after = page.rows.at(-1)!.__rowid as InValue;
  }
}

async function check(local: Client, counts: Map<string, number>): Promise<void> {
  const integrity = (await local.execute('PRAGMA integrity_check')).rows.map((r) => String(r[0]));
  if (integrity.join() !== 'ok') throw new RemoteCopyError(`the copy fails PRAGMA integrity_check: ${integrity.slice(0, 5).join('; ')}`);
  const dangling = (await local.execute('PRAGMA foreign_key_check')).rows;
  if (dangling.length) throw new RemoteCopyError(`the copy has ${dangling.length} rows naming rows that do not exist (first in ${String(dangling[0]![0])})`);
  for (const [table, expected] of counts) {
    const found = Number((await local.execute(`select count(*) from ${quoted(table)}`)).rows[0]![0]);
    if (found !== expected) throw new RemoteCopyError(`table ${table}: ${found} rows in the copy of ${expected}`);
  }
}
