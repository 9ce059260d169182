import { sqliteTable, text, integer } from 'drizzle-orm/sqlite-core';
import { instant } from './_columns.ts';

/**
 * An upstream provider status page (or a plain HTTP health check) and its poll state.
 * Rows come from the config file at start-up and from the admin API.
 */
export const sources = sqliteTable('sources', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** Adapter: statuspage | incidentio | instatus | google | feed | http. */
  type: text('type').notNull(),
  url: text('url').notNull(),
  intervalSeconds: integer('interval_seconds').notNull(),
  /** Adapter-specific settings (expected text, latency threshold…), as JSON. */
  settings: text('settings', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default({}),
  /** Whether incidents from this source count in our own SLA compliance figures. */
  slaCounts: integer('sla_counts', { mode: 'boolean' }).notNull().default(false),
  /** 'config' rows are re-synced from the config file; 'admin' rows belong to the admin API. */
  origin: text('origin').notNull().default('config'),
  paused: integer('paused', { mode: 'boolean' }).notNull().default(false),
  /** Worst component state last reported (operational … major_outage, under_maintenance, unknown). */
  state: text('state').notNull().default('unknown'),
  stateSince: instant('state_since'),
  lastPolledAt: instant('last_polled_at'),
  lastSuccessAt: instant('last_success_at'),
  lastErrorAt: instant('last_error_at'),
  lastError: text('last_error'),
  consecutiveFailures: integer('consecutive_failures').notNull().default(0),
  nextPollAt: instant('next_poll_at'),
  /** Per-endpoint HTTP validators for conditional requests: { [endpointKey]: { etag, lastModified } }. */
  httpCache: text('http_cache', { mode: 'json' })
    .$type<Record<string, { etag?: string | null; lastModified?: string | null }>>()
    .notNull()
    .default({}),
  /** Raw upstream words the mapping tables did not know at the last poll. */
  unknownWords: text('unknown_words', { mode: 'json' }).$type<string[]>().notNull().default([]),
  createdAt: instant('created_at').notNull(),
  updatedAt: instant('updated_at').notNull(),
});
