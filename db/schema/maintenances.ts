import { sqliteTable, text, integer, primaryKey, uniqueIndex, index } from 'drizzle-orm/sqlite-core';
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
    /** scheduled | in_progress | verifying | completed (Statuspage's values) | cancelled. */
    status: text('status').notNull(),
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
  },
  (t) => [
    uniqueIndex('maintenances_source_upstream_uq').on(t.sourceId, t.upstreamId),
    index('maintenances_starts_at_idx').on(t.startsAt),
  ],
);

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
    status: text('status').notNull(),
    body: text('body').notNull(),
    createdAt: instant('created_at').notNull(),
  },
  (t) => [index('maintenance_updates_maintenance_idx').on(t.maintenanceId, t.createdAt)],
);
