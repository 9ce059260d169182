import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';
import { instant } from './_columns.ts';

/**
 * Outgoing mail. Every message is a row written in the same transaction as the event
 * that causes it; a dispatcher sends pending rows and records what the provider said.
 */
export const outbox = sqliteTable(
  'outbox',
  {
    id: text('id').primaryKey(),
    /** Deterministic: the same event for the same recipient always yields the same key, so it is queued once. */
    idempotencyKey: text('idempotency_key').notNull().unique(),
    recipient: text('recipient').notNull(),
    subscriberId: text('subscriber_id'),
    template: text('template').notNull(),
    /** What the message is about, for reporting (e.g. `maintenance:<id>`, `incident:<id>`). */
    ref: text('ref'),
    locale: text('locale').notNull(),
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    /** pending | sending | sent | failed. */
    state: text('state').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: instant('next_attempt_at').notNull(),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: instant('lease_expires_at'),
    providerId: text('provider_id'),
    lastError: text('last_error'),
    createdAt: instant('created_at').notNull(),
    sentAt: instant('sent_at'),
  },
  (t) => [index('outbox_due_idx').on(t.state, t.nextAttemptAt), index('outbox_ref_idx').on(t.ref, t.template)],
);

/** Small key/value facts the worker keeps about itself (last dispatch time…). */
export const workerState = sqliteTable('worker_state', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: instant('updated_at').notNull(),
});
