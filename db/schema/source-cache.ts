import { sqliteTable, text, integer, primaryKey } from 'drizzle-orm/sqlite-core';
import { instant } from './_columns.ts';
import { sources } from './sources.ts';

/**
 * The last good body of each endpoint of a source, with the validators it was served with. A conditional request
 * is sent only while the body it stands for is here, so a 304 always has something to parse. Kept apart from
 * `sources` so the scheduler can read validators without reading bodies; bodies are capped by the fetcher's size
 * limit, and one above `MAX_CACHED_BODY_BYTES` (worker/upstream/cache-store.ts) is not kept at all.
 */
export const sourceHttpCache = sqliteTable(
  'source_http_cache',
  {
    sourceId: text('source_id')
      .notNull()
      .references(() => sources.id, { onDelete: 'cascade' }),
    endpointKey: text('endpoint_key').notNull(),
    etag: text('etag'),
    lastModified: text('last_modified'),
    body: text('body').notNull(),
    bodyBytes: integer('body_bytes').notNull(),
    storedAt: instant('stored_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.sourceId, t.endpointKey] })],
);
