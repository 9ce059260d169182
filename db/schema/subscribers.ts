import { sqliteTable, text, integer, primaryKey, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { LOCALES, SUBSCRIBER_STATUSES } from '../../worker/core/vocabulary.ts';
import { instant } from './_columns.ts';
import { components } from './components.ts';

/** A person who receives e-mail notices. Only `confirmed` subscribers are sent notices. */
export const subscribers = sqliteTable(
  'subscribers',
  {
    id: text('id').primaryKey(),
    /** Normalised (trimmed, lower-case) address. */
    email: text('email').notNull().unique(),
    locale: text('locale', { enum: LOCALES }).notNull().default('es'),
    timezone: text('timezone').notNull(),
    /** `SUBSCRIBER_STATUSES`: pending | confirmed | unsubscribed | suppressed. */
    status: text('status', { enum: SUBSCRIBER_STATUSES }).notNull(),
    /** Whether incident notices are wanted too, and from which severity up (1 = only critical). */
    incidentNotices: integer('incident_notices', { mode: 'boolean' }).notNull().default(false),
    minSeverity: integer('min_severity').notNull().default(2),
    /** Where consent came from: 'double-opt-in' or an admin import label. */
    consentSource: text('consent_source'),
    confirmedAt: instant('confirmed_at'),
    suppressedReason: text('suppressed_reason'),
    suppressedAt: instant('suppressed_at'),
    unsubscribedAt: instant('unsubscribed_at'),
    /** sha256 (hex) of the latest double opt-in token; the token itself is only in the mail. */
    confirmTokenHash: text('confirm_token_hash'),
    confirmExpiresAt: instant('confirm_expires_at'),
    /** Set when the token is spent, so a second click is harmless. */
    confirmUsedAt: instant('confirm_used_at'),
    /**
     * Self-service mail sent to this address (confirmation requests), kept in the row so every
     * process sharing the database enforces the same per-address limit.
     */
    requestMailLastAt: instant('request_mail_last_at'),
    requestMailWindowStart: instant('request_mail_window_start'),
    requestMailCount: integer('request_mail_count').notNull().default(0),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [uniqueIndex('subscribers_confirm_token_uq').on(t.confirmTokenHash)],
);

/** A subscriber's chosen components; none means every component. */
export const subscriberComponents = sqliteTable(
  'subscriber_components',
  {
    subscriberId: text('subscriber_id')
      .notNull()
      .references(() => subscribers.id, { onDelete: 'cascade' }),
    componentId: text('component_id')
      .notNull()
      .references(() => components.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.subscriberId, t.componentId] })],
);
