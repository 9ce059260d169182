import { sqliteTable, text, integer, primaryKey } from 'drizzle-orm/sqlite-core';
import { instant } from './_columns.ts';
import { components } from './components.ts';

/** A person who receives e-mail notices. Only `confirmed` subscribers are sent notices. */
export const subscribers = sqliteTable('subscribers', {
  id: text('id').primaryKey(),
  /** Normalised (trimmed, lower-case) address. */
  email: text('email').notNull().unique(),
  locale: text('locale').notNull().default('es'),
  timezone: text('timezone').notNull(),
  /** pending | confirmed | unsubscribed | suppressed. */
  status: text('status').notNull(),
  /** Whether incident notices are wanted too, and from which severity up (1 = only critical). */
  incidentNotices: integer('incident_notices', { mode: 'boolean' }).notNull().default(false),
  minSeverity: integer('min_severity').notNull().default(2),
  /** Where consent came from: 'double-opt-in' or an admin import label. */
  consentSource: text('consent_source'),
  confirmedAt: instant('confirmed_at'),
  suppressedReason: text('suppressed_reason'),
  createdAt: instant('created_at').notNull(),
  updatedAt: instant('updated_at').notNull(),
});

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
