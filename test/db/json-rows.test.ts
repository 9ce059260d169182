import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { sortedJsonRows, type SortKey } from '../../db/json-rows.ts';

const keys: SortKey[] = [{ by: sql`a` }, { by: sql`b`, desc: true }];
const rows = (json: unknown[][]) => sortedJsonRows(JSON.stringify(json), keys).map((r) => r.id);

describe('rows of a sorted JSON array', () => {
  it('come in the order of their keys, ties broken by the next key, descending where asked', () => {
    expect(rows([[2, 1, { id: 'c' }], [1, 1, { id: 'b' }], [1, 5, { id: 'a' }], [2, 9, { id: 'd' }]])).toEqual(['a', 'b', 'd', 'c']);
  });

  it('put null before numbers and numbers before text, as SQLite sorts', () => {
    expect(rows([['x', 0, { id: 'text' }], [3, 0, { id: 'number' }], [null, 0, { id: 'null' }]])).toEqual(['null', 'number', 'text']);
  });

  it('are none for no array (an aggregate over no row gives none) or an empty one', () => {
    expect(sortedJsonRows(null, keys)).toEqual([]);
    expect(sortedJsonRows('[]', keys)).toEqual([]);
  });
});
