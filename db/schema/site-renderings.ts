import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { instant } from './_columns.ts';

/**
 * The site's always-current pages (home and 404 of every language) as last rendered by the worker holding the `site`
 * lease, with the list of pages the site has: one row, its `version` moved on every rendering, so the other workers
 * serve those pages without rendering them again. Written by `worker/coordination/site-rendering.ts` alone.
 */
export const siteRenderings = sqliteTable('site_renderings', {
  /** Always 1: there is one shared rendering. */
  id: integer('id').primaryKey(),
  version: integer('version').notNull(),
  /** The worker that rendered it. */
  holder: text('holder').notNull(),
  renderedAt: instant('rendered_at').notNull(),
  /** JSON array of the site's page paths. */
  paths: text('paths').notNull(),
  /** JSON array of `{ path, status, html }`. */
  pages: text('pages').notNull(),
});
