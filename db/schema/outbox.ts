import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';
import { CHANNELS, NOTICE_KINDS } from '../../worker/core/notices.ts';
import { BATCH_STATES, OUTBOX_STATES } from '../../worker/core/vocabulary.ts';
import { instant } from './_columns.ts';

/**
 * Outgoing notices. Every notice is a row per recipient, written in the same transaction as the event that causes
 * it; a dispatcher delivers pending rows and records what the provider said.
 *
 * A row moves pending → claimed (leased by one worker while it renders) → sending (member of a
 * batch) → sent | failed. A claim whose lease has expired goes back to pending.
 */
export const outbox = sqliteTable(
  'outbox',
  {
    id: text('id').primaryKey(),
    /** Deterministic: the same event for the same recipient always yields the same key, so it is queued once. */
    idempotencyKey: text('idempotency_key').notNull().unique(),
    /** How it is delivered (`email` for every row today). */
    channel: text('channel', { enum: CHANNELS }).notNull(),
    /** Where on that channel: an e-mail address. */
    target: text('target').notNull(),
    subscriberId: text('subscriber_id'),
    /** The notice's kind, as in `notice`. */
    kind: text('kind', { enum: NOTICE_KINDS }).notNull(),
    /** The window the notice is about, and its version when the notice was queued (see `noticeSubject`). */
    maintenanceId: text('maintenance_id'),
    maintenanceVersion: integer('maintenance_version'),
    /** The incident the notice is about. */
    incidentId: text('incident_id'),
    locale: text('locale').notNull(),
    /** The zone the reader's times are shown in, frozen when queued; null: the subscriber's stored zone, else the page's. */
    timeZone: text('time_zone'),
    /** The typed notice (`worker/notices/notice.ts`), checked when queued and again when delivered. */
    notice: text('notice', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    /** `OUTBOX_STATES`: pending | claimed | sending | sent | failed | cancelled. */
    state: text('state', { enum: OUTBOX_STATES }).notNull().default('pending'),
    /** Render attempts while pending, then the provider calls made for its batch. */
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: instant('next_attempt_at').notNull(),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: instant('lease_expires_at'),
    /** The batch this message is (or was last) sent in; its membership is fixed before the provider is called. */
    batchId: text('batch_id'),
    /** Send alone: set after a whole batch was rejected, so one bad message cannot hold back the others. */
    solo: integer('solo', { mode: 'boolean' }).notNull().default(false),
    providerId: text('provider_id'),
    lastError: text('last_error'),
    createdAt: instant('created_at').notNull(),
    /** When the provider's acceptance was confirmed to us (never earlier than the acceptance itself). */
    sentAt: instant('sent_at'),
  },
  (t) => [
    index('outbox_due_idx').on(t.state, t.nextAttemptAt),
    index('outbox_maintenance_idx').on(t.maintenanceId, t.kind, t.maintenanceVersion),
    index('outbox_incident_idx').on(t.incidentId, t.kind),
    index('outbox_batch_idx').on(t.batchId),
    index('outbox_created_idx').on(t.createdAt),
    // The global cap on confirmation mails counts one kind's rows of the last hour.
    index('outbox_kind_created_idx').on(t.kind, t.createdAt),
    // Partial: solo rows are rare, so finding one never scans the whole pending queue.
    index('outbox_solo_due_idx').on(t.state, t.nextAttemptAt).where(sql`solo = 1`),
  ],
);

/**
 * One provider call's worth of messages (at most 100). The membership, the idempotency key and the
 * exact request body are stored before the provider is called, so every retry — by this worker or,
 * after a crash, by another — repeats the same request under the same key and the provider answers
 * it without sending twice.
 *
 * State: pending (formed or waiting for a retry) → sending (leased, call in flight) → sent | failed |
 * split (rejected as a whole; its messages went back to the queue to be sent one by one).
 */
export const outboxBatches = sqliteTable(
  'outbox_batches',
  {
    id: text('id').primaryKey(),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    /** `BATCH_STATES`. */
    state: text('state', { enum: BATCH_STATES }).notNull(),
    /** Provider calls that reached an outcome (a 429 or a quota refusal is not counted). */
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: instant('next_attempt_at').notNull(),
    /** The worker that holds (or last held) the batch. */
    leaseOwner: text('lease_owner'),
    /** Null when nobody holds it; another worker may take it over once this has passed. */
    leaseExpiresAt: instant('lease_expires_at'),
    memberCount: integer('member_count').notNull(),
    /** The member ids in order and the exact request body, kept until the batch is settled so a retry is byte-for-byte the same. */
    payload: text('payload', { mode: 'json' }).$type<{ messageIds: string[]; emails: Record<string, unknown>[] }>(),
    lastError: text('last_error'),
    /** What the provider answered on success: its ids and any per-message errors. */
    providerResponse: text('provider_response', { mode: 'json' }).$type<Record<string, unknown>>(),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
    sentAt: instant('sent_at'),
  },
  (t) => [index('outbox_batches_due_idx').on(t.state, t.nextAttemptAt)],
);

/** Small key/value facts the worker keeps about itself (last dispatch time…). */
export const workerState = sqliteTable('worker_state', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: instant('updated_at').notNull(),
});

/**
 * The Resend webhook deliveries already handled, by their `svix-id`: a delivery replayed (or retried) while it is
 * kept here is answered without being processed again. Kept a day, well past the signature's five-minute window.
 */
export const resendWebhookReceipts = sqliteTable(
  'resend_webhook_receipts',
  {
    svixId: text('svix_id').primaryKey(),
    receivedAt: instant('received_at').notNull(),
  },
  (t) => [index('resend_webhook_receipts_received_idx').on(t.receivedAt)],
);
