import { getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';

/**
 * A table's rows read as one JSON object each (`json_object` of its columns) and decoded by the table's own
 * columns, exactly as drizzle decodes a selected row (a null stays null; anything else goes through the column's
 * `mapFromDriverValue`: milliseconds become a Date, 0/1 a boolean).
 *
 * Why: the libsql driver's cost per statement grows with the number of result columns (it reads every column's
 * metadata twice and defines a property per value), so a whole incident row costs about three times as much as
 * seventeen columns as it does as one JSON column; and rows of several tables can come back from one statement
 * (`json_group_array` in subqueries) instead of a statement each. Used where a statement runs on every admin write.
 */
export interface JsonRows<Row> {
  /** `json_object('column', "table"."column", …)`: one row as JSON (in a select list, or in `json_group_array`). */
  object: SQL;
  /** A row from its JSON object. */
  decode(value: Record<string, unknown>): Row;
  /** Rows from a JSON array of objects (`json_group_array`); null (no row at all) gives none. */
  decodeArray(json: string | null): Row[];
  /** Rows from a `sortedJsonArray` of `object` by `keys`, in that order. */
  decodeSorted(json: string | null, keys: readonly SortKey[]): Row[];
}

/** Every column of `table`, or only the `keys` given (then `object` names the table by `tableAlias` if given). */
export function jsonRows<T extends SQLiteTable>(table: T): JsonRows<T['$inferSelect']>;
export function jsonRows<T extends SQLiteTable, K extends keyof T['$inferSelect'] & string>(
  table: T,
  keys: readonly K[],
  tableAlias?: string,
): JsonRows<Pick<T['$inferSelect'], K>>;
export function jsonRows(table: SQLiteTable, keys?: readonly string[], tableAlias?: string): JsonRows<Record<string, unknown>> {
  const all = getTableColumns(table);
  const columns = keys ? keys.map((k) => [k, all[k]!] as const) : Object.entries(all);
  const name = tableAlias ?? getTableName(table);
  const object = sql.raw(`json_object(${columns.map(([, column]) => `'${column.name}', "${name}"."${column.name}"`).join(', ')})`);
  const decode = (value: Record<string, unknown>) => {
    const row: Record<string, unknown> = {};
    for (const [key, column] of columns) {
      const raw = value[column.name];
      row[key] = raw === null || raw === undefined ? null : column.mapFromDriverValue(raw);
    }
    return row;
  };
  return {
    object,
    decode,
    decodeArray: (json) => (json ? (JSON.parse(json) as Record<string, unknown>[]).map(decode) : []),
    decodeSorted: (json, keys) => sortedJsonRows(json, keys).map(decode),
  };
}

/** A key `sortedJsonArray` orders its rows by: a column (or `rowid`) of the aggregated table. */
export interface SortKey {
  by: SQL;
  desc?: boolean;
}

/**
 * `json_group_array` of `object`, each element tagged with its sort keys (`[key…, row]`), for `sortedJsonRows` to put
 * in order. The order is not written inside the aggregate (`json_group_array(x order by y)`, SQLite 3.44's syntax): a
 * libSQL server parses each statement itself before SQLite runs it, and sqld 0.24's parser refuses that syntax. An
 * ordered subquery would be in order only as SQLite chooses to run it; a sort when decoded is exact.
 */
export function sortedJsonArray(object: SQL, keys: readonly SortKey[]): SQL {
  return sql`json_group_array(json_array(${sql.join(
    keys.map((k) => k.by),
    sql`, `,
  )}, ${object}))`;
}

/** The rows of a `sortedJsonArray`, in its keys' order (null first, as SQLite sorts; text by code unit). */
export function sortedJsonRows(json: string | null, keys: readonly SortKey[]): Record<string, unknown>[] {
  if (!json) return [];
  const tagged = JSON.parse(json) as unknown[][];
  tagged.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const order = compareSqlValues(a[i], b[i]);
      if (order !== 0) return keys[i]!.desc ? -order : order;
    }
    return 0;
  });
  return tagged.map((t) => t[keys.length] as Record<string, unknown>);
}

/** SQLite's order of values: NULL, then numbers, then text. */
function compareSqlValues(a: unknown, b: unknown): number {
  const rank = (v: unknown) => (v === null || v === undefined ? 0 : typeof v === 'number' ? 1 : 2);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 0) return 0;
  return (a as number | string) < (b as number | string) ? -1 : (a as number | string) > (b as number | string) ? 1 : 0;
}
