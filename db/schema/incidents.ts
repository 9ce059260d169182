import { sqliteTable, text, integer, primaryKey, uniqueIndex, index } from 'drizzle-orm/sqlite-core';
import { COMPONENT_STATUSES, INCIDENT_STATUSES, type Severity } from '../../worker/core/vocabulary.ts';
import { instant } from './_columns.ts';
import { components } from './components.ts';
import { sources } from './sources.ts';

/**
 * An incident, either declared by staff or recorded from an upstream provider
 * (then `sourceId` + `upstreamId` identify it and deduplicate repeat polls).
 */
export const incidents = sqliteTable(
  'incidents',
  {
    id: text('id').primaryKey(),
    title: text('title').notNull(),
    status: text('status', { enum: INCIDENT_STATUSES }).notNull(),
    /** Vigía severity: 1 critical … 4 low. */
    severity: integer('severity').$type<Severity>().notNull(),
    startedAt: instant('started_at').notNull(),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
    monitoringAt: instant('monitoring_at'),
    /** First staff update after the incident was opened: the SLA response. */
    respondedAt: instant('responded_at'),
    resolvedAt: instant('resolved_at'),
    /** Calendar whose clock counts the SLA targets (from the first affected component). */
    calendarId: text('calendar_id'),
    responseDueAt: instant('response_due_at'),
    resolutionDueAt: instant('resolution_due_at'),
    /** Whether this incident counts in our SLA compliance figures. */
    slaCounts: integer('sla_counts', { mode: 'boolean' }).notNull().default(true),
    sourceId: text('source_id').references(() => sources.id, { onDelete: 'set null' }),
    upstreamId: text('upstream_id'),
    upstreamUrl: text('upstream_url'),
  },
  (t) => [
    uniqueIndex('incidents_source_upstream_uq').on(t.sourceId, t.upstreamId),
    index('incidents_started_at_idx').on(t.startedAt),
    index('incidents_status_idx').on(t.status),
  ],
);

/** The incident's timeline. */
export const incidentUpdates = sqliteTable(
  'incident_updates',
  {
    id: text('id').primaryKey(),
    incidentId: text('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    status: text('status', { enum: INCIDENT_STATUSES }).notNull(),
    body: text('body').notNull(),
    createdAt: instant('created_at').notNull(),
    /** 'staff' for updates written through the admin API, 'upstream' for updates copied from a provider, 'system' for automatic ones. */
    author: text('author').notNull(),
    /** Who posted a staff update: the account's e-mail or the API token's name (as the audit log names them). */
    postedBy: text('posted_by'),
    upstreamId: text('upstream_id'),
  },
  (t) => [
    index('incident_updates_incident_idx').on(t.incidentId, t.createdAt),
    uniqueIndex('incident_updates_upstream_uq').on(t.incidentId, t.upstreamId),
  ],
);

/** Components affected by an incident, with the state the incident puts them in. */
export const incidentComponents = sqliteTable(
  'incident_components',
  {
    incidentId: text('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    componentId: text('component_id')
      .notNull()
      .references(() => components.id, { onDelete: 'cascade' }),
    status: text('status', { enum: COMPONENT_STATUSES }).notNull(),
    /** Position in the incident's list; the first component's calendar counts the SLA. */
    position: integer('position').notNull().default(0),
  },
  // By component too: a component's condition is read from the open incidents that name it, on every admin write.
  (t) => [primaryKey({ columns: [t.incidentId, t.componentId] }), index('incident_components_component_idx').on(t.componentId)],
);

/** Every change of an incident's severity: from, to, when, who, why. */
export const severityChanges = sqliteTable(
  'severity_changes',
  {
    id: text('id').primaryKey(),
    incidentId: text('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    fromSeverity: integer('from_severity').$type<Severity>().notNull(),
    toSeverity: integer('to_severity').$type<Severity>().notNull(),
    changedAt: instant('changed_at').notNull(),
    changedBy: text('changed_by').notNull(),
    reason: text('reason'),
  },
  (t) => [index('severity_changes_incident_idx').on(t.incidentId, t.changedAt)],
);
