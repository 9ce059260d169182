import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { COMPONENT_STATES, SOURCE_TYPES } from '../../worker/core/vocabulary.ts';
import { instant } from './_columns.ts';

/**
 * An upstream provider status page (or a plain HTTP health check) and its poll state.
 * Rows come from the config file at start-up and from the admin API.
 */
export const sources = sqliteTable('sources', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** Which adapter reads it. */
  type: text('type', { enum: SOURCE_TYPES }).notNull(),
  /** The address, never with credentials in it (they live in `credentials`). */
  url: text('url').notNull(),
  /**
   * `user:password` (percent-encoded, as written in a URL) sent as Basic authorization to the source's host; kept
   * apart from the URL so the address can be shown and logged. Never shown: the admin API says only whether it is set.
   */
  credentials: text('credentials'),
  intervalSeconds: integer('interval_seconds').notNull(),
  /** Adapter-specific settings (expected text, latency threshold…), as JSON. */
  settings: text('settings', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default({}),
  /** Whether incidents from this source count in our own SLA compliance figures. */
  slaCounts: integer('sla_counts', { mode: 'boolean' }).notNull().default(false),
  /** 'config' rows are re-synced from the config file; 'admin' rows belong to the admin API. */
  origin: text('origin').notNull().default('config'),
  paused: integer('paused', { mode: 'boolean' }).notNull().default(false),
  /**
   * What the page shows for this source: the worst component state of the last good snapshot, or `unknown`
   * while the source cannot be read (several failures in a row, or no success for three intervals).
   */
  state: text('state', { enum: COMPONENT_STATES }).notNull().default('unknown'),
  /** Since when `state` holds; for `unknown`, the last success (or the first failure when there was none). */
  stateSince: instant('state_since'),
  /** The worst component state of the last good snapshot, kept while `state` is `unknown` so a 304 can restore it. */
  reportedState: text('reported_state', { enum: COMPONENT_STATES }).notNull().default('unknown'),
  lastPolledAt: instant('last_polled_at'),
  lastSuccessAt: instant('last_success_at'),
  lastErrorAt: instant('last_error_at'),
  /** The current error; cleared by the next successful poll. */
  lastError: text('last_error'),
  consecutiveFailures: integer('consecutive_failures').notNull().default(0),
  /** When the current run of failures began. */
  failingSince: instant('failing_since'),
  nextPollAt: instant('next_poll_at'),
  lastLatencyMs: integer('last_latency_ms'),
  /** What the last good poll had to work around (an optional file that failed, rows dropped…). */
  lastWarnings: text('last_warnings', { mode: 'json' }).$type<string[]>().notNull().default([]),
  /** Raw upstream words the mapping tables did not know, as first seen (at most 100). */
  unknownWords: text('unknown_words', { mode: 'json' }).$type<string[]>().notNull().default([]),
  createdAt: instant('created_at').notNull(),
  updatedAt: instant('updated_at').notNull(),
});

/**
 * When a source could not be read: each period runs from the moment nothing was known any more (its last success,
 * or its first failure when it never had one) to the poll that read it again; the open one has no end. A period is
 * open exactly while the page shows the source `unknown` (polled at least once, not paused), so at most one per
 * source. Written with the poll state (worker/upstream/unknown-periods.ts); the uptime bars show these days apart.
 */
export const sourceUnknownPeriods = sqliteTable(
  'source_unknown_periods',
  {
    id: text('id').primaryKey(),
    sourceId: text('source_id')
      .notNull()
      .references(() => sources.id, { onDelete: 'cascade' }),
    startedAt: instant('started_at').notNull(),
    endedAt: instant('ended_at'),
  },
  (t) => [
    index('source_unknown_periods_source_idx').on(t.sourceId, t.startedAt),
    uniqueIndex('source_unknown_periods_open_uq').on(t.sourceId).where(sql`${t.endedAt} is null`),
  ],
);
