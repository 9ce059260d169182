import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { HTTP_CHANNELS, type TeamChannelEvent } from '../../worker/core/notices.ts';
import { CHANNEL_SUBSCRIPTION_STATUSES, LOCALES } from '../../worker/core/vocabulary.ts';
import { instant } from './_columns.ts';
import { components } from './components.ts';

/**
 * A subscription on a channel that POSTs to a URL (a signed webhook, or a chat tool's incoming webhook). It gets the
 * same notices as an e-mail subscriber with the same choices; only `confirmed` ones are sent notices.
 *
 * Status: pending (waiting for its receiver to prove it listens) → confirmed ⇄ paused; disabled after a sustained run
 * of failed deliveries or a 410 Gone. Removing it deletes the row.
 */
export const channelSubscriptions = sqliteTable(
  'channel_subscriptions',
  {
    id: text('id').primaryKey(),
    channel: text('channel', { enum: HTTP_CHANNELS }).notNull(),
    /** Where notices are POSTed. */
    url: text('url').notNull(),
    locale: text('locale', { enum: LOCALES }).notNull(),
    timezone: text('timezone').notNull(),
    incidentNotices: integer('incident_notices', { mode: 'boolean' }).notNull().default(false),
    minSeverity: integer('min_severity').notNull().default(2),
    /**
     * The notices it gets, for the config's team channels (their `events`, admin alerts included); null for a
     * public subscription, which gets every window's and incident's notice its filters let through.
     */
    events: text('events', { mode: 'json' }).$type<TeamChannelEvent[]>(),
    /** `CHANNEL_SUBSCRIPTION_STATUSES`: pending | confirmed | paused | disabled. */
    status: text('status', { enum: CHANNEL_SUBSCRIPTION_STATUSES }).notNull(),
    /** Webhooks only: the `whsec_…` key their payloads are signed with (kept: every delivery is signed with it). */
    signingSecret: text('signing_secret'),
    /** sha256 (hex) of the confirmation link's token, for chat channels (their verification message carries the link). */
    confirmTokenHash: text('confirm_token_hash').unique(),
    confirmExpiresAt: instant('confirm_expires_at'),
    confirmedAt: instant('confirmed_at'),
    pausedAt: instant('paused_at'),
    /** Failed delivery attempts since the last success, and when that run began. */
    failureCount: integer('failure_count').notNull().default(0),
    failingSince: instant('failing_since'),
    disabledAt: instant('disabled_at'),
    disabledReason: text('disabled_reason'),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [index('channel_subscriptions_status_idx').on(t.status, t.id)],
);

/** A channel subscription's chosen components; none means every component. */
export const channelSubscriptionComponents = sqliteTable(
  'channel_subscription_components',
  {
    subscriptionId: text('subscription_id')
      .notNull()
      .references(() => channelSubscriptions.id, { onDelete: 'cascade' }),
    componentId: text('component_id')
      .notNull()
      .references(() => components.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.subscriptionId, t.componentId] })],
);
