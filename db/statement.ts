import { fillPlaceholders, Param, SQL, StringChunk, type SQLWrapper } from 'drizzle-orm';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';

const dialect = new SQLiteAsyncDialect();

/**
 * A statement whose SQL text is rendered once, then run with named values on whichever handle it is given: the
 * database or a transaction. (drizzle's own prepared queries belong to the handle that prepared them, so they cannot
 * serve transactions that begin later.) drizzle renders a query on every call, walking every table, column and
 * condition in it; for the statements run on every admin write that walk cost more than SQLite's own work.
 *
 * Write the query with drizzle's `sql`, its tables and columns, and `sql.placeholder('name')` for each value given
 * per call (a value written into the query is bound as it is, every time). Values are encoded as drizzle encodes
 * them: by the column a placeholder is compared with, if any.
 */
export function rendered<Values extends Record<string, unknown>>(query: SQLWrapper): (values: Values) => SQL {
  const { sql: text, params } = dialect.sqlToQuery(query.getSQL());
  const parts = text.split('?');
  if (parts.length !== params.length + 1) throw new Error(`a rendered statement may hold no "?" of its own: ${text}`);
  const texts = parts.map((part) => new StringChunk(part));
  return (values) => {
    const bound = fillPlaceholders(params, values);
    const chunks: (StringChunk | Param)[] = [texts[0]!];
    bound.forEach((value, i) => chunks.push(new Param(value), texts[i + 1]!));
    return new SQL(chunks);
  };
}
