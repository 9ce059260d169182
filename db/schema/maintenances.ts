import { sqliteTable, text, integer, primaryKey, uniqueIndex, index } from 'drizzle-orm/sqlite-core';
import { MAINTENANCE_NOTICE_KINDS, MAINTENANCE_NOTICE_STATES, MAINTENANCE_STATUSES } from '../../worker/core/vocabulary.ts';
import { instant } from './_columns.ts';
import { components } from './components.ts';
import { sources } from './sources.ts';

/**
 * A maintenance window: our own (scheduled by an admin, held to the notice rule)
 * or an upstream provider's (recorded from its status page).
 */
export const maintenances = sqliteTable(
  'maintenances',
  {
    id: text('id').primaryKey(),
    title: text('title').notNull(),
    message: text('message').notNull().default(''),
    status: text('status', { enum: MAINTENANCE_STATUSES }).notNull(),
    startsAt: instant('starts_at').notNull(),
    endsAt: instant('ends_at').notNull(),
    startedAt: instant('started_at'),
    completedAt: instant('completed_at'),
    cancelledAt: instant('cancelled_at'),
    /** Whether subscribers are told about this window. */
    notify: integer('notify', { mode: 'boolean' }).notNull().default(true),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
    createdBy: text('created_by').notNull().default('staff'),
    sourceId: text('source_id').references(() => sources.id, { onDelete: 'set null' }),
    upstreamId: text('upstream_id'),
    upstreamUrl: text('upstream_url'),
    /**
     * Bumped whenever the window's times change or it is cancelled: the iCalendar SEQUENCE, and part of
     * the notice keys so a reschedule plans fresh reminders for the new time.
     */
    version: integer('version').notNull().default(0),
    /**
     * The version whose notice told subscribers of the current start: 0 (the announcement) unless a
     * reschedule moved the start earlier, when that reschedule's notice is the one held to the notice rule.
     */
    noticeVersion: integer('notice_version').notNull().default(0),
    cancelReason: text('cancel_reason'),
    /** Set when some subscriber's notice was (or will be) accepted by the mail provider later than the rule allows. */
    lateNoticeAt: instant('late_notice_at'),
    lateNoticeCount: integer('late_notice_count'),
    /** The recurring series this window is an occurrence of, and the start the rule gave it (before any move). */
    seriesId: text('series_id').references(() => maintenanceSeries.id),
    seriesOccurrence: instant('series_occurrence'),
  },
  (t) => [
    uniqueIndex('maintenances_source_upstream_uq').on(t.sourceId, t.upstreamId),
    index('maintenances_starts_at_idx').on(t.startsAt),
    // Each occurrence of a series is scheduled once, even by two workers at the same time.
    uniqueIndex('maintenances_series_occurrence_uq').on(t.seriesId, t.seriesOccurrence),
  ],
);

/**
 * A recurring window ("every first Sunday 02:00–04:00"): an RRULE over a first start read as wall-clock time in
 * `time_zone`. Each occurrence becomes an ordinary window `announce_ahead_ms` before it starts, announced then and held
 * to the same notice rule as any other.
 */
export const maintenanceSeries = sqliteTable('maintenance_series', {
  id: text('id').primaryKey(),
  title: text('title').notNull(),
  message: text('message').notNull().default(''),
  rrule: text('rrule').notNull(),
  /** `2026-12-06T02:00`: the first start as the zone's clock shows it. */
  firstStart: text('first_start').notNull(),
  timeZone: text('time_zone').notNull(),
  durationMs: integer('duration_ms').notNull(),
  announceAheadMs: integer('announce_ahead_ms').notNull(),
  /** JSON array of component ids; empty: every subscriber. */
  componentIds: text('component_ids').notNull().default('[]'),
  createdAt: instant('created_at').notNull(),
  createdBy: text('created_by').notNull().default('staff'),
  /** When the series was stopped: no further occurrence is scheduled (those already scheduled stay). */
  stoppedAt: instant('stopped_at'),
});

export const maintenanceComponents = sqliteTable(
  'maintenance_components',
  {
    maintenanceId: text('maintenance_id')
      .notNull()
      .references(() => maintenances.id, { onDelete: 'cascade' }),
    componentId: text('component_id')
      .notNull()
      .references(() => components.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.maintenanceId, t.componentId] })],
);

/** The window's timeline (scheduled, started, rescheduled, completed…). */
export const maintenanceUpdates = sqliteTable(
  'maintenance_updates',
  {
    id: text('id').primaryKey(),
    maintenanceId: text('maintenance_id')
      .notNull()
      .references(() => maintenances.id, { onDelete: 'cascade' }),
    status: text('status', { enum: MAINTENANCE_STATUSES }).notNull(),
    body: text('body').notNull(),
    createdAt: instant('created_at').notNull(),
  },
  (t) => [index('maintenance_updates_maintenance_idx').on(t.maintenanceId, t.createdAt)],
);

/**
 * Every notice a window causes, planned ahead and recorded once queued, so that after a restart
 * the worker knows exactly which reminders are still owed: none goes twice and none is lost.
 */
export const maintenanceNotices = sqliteTable(
  'maintenance_notices',
  {
    id: text('id').primaryKey(),
    maintenanceId: text('maintenance_id')
      .notNull()
      .references(() => maintenances.id, { onDelete: 'cascade' }),
    /** `MAINTENANCE_NOTICE_KINDS`: announcement | reminder | rescheduled | cancelled | started | completed. */
    kind: text('kind', { enum: MAINTENANCE_NOTICE_KINDS }).notNull(),
    /** The window's version the notice belongs to. */
    version: integer('version').notNull().default(0),
    /** For reminders, how long before the start (ms); 0 otherwise. */
    offsetMs: integer('offset_ms').notNull().default(0),
    dueAt: instant('due_at').notNull(),
    /** `MAINTENANCE_NOTICE_STATES`: planned | queued | skipped | dropped. */
    state: text('state', { enum: MAINTENANCE_NOTICE_STATES }).notNull(),
    queuedAt: instant('queued_at'),
    /** How many messages were queued (one per recipient). */
    recipients: integer('recipients'),
    /** Why a notice was skipped or dropped (window already started, superseded, rescheduled…). */
    reason: text('reason'),
    createdAt: instant('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('maintenance_notices_uq').on(t.maintenanceId, t.kind, t.version, t.offsetMs),
    index('maintenance_notices_due_idx').on(t.state, t.dueAt),
  ],
);
