import type { outbox, outboxBatches } from '../../db/schema/index.ts';

/** One queued message as stored. */
export type OutboxRow = typeof outbox.$inferSelect;
export type OutboxBatchRow = typeof outboxBatches.$inferSelect;

/** What a template produces for one message. `headers` carries List-Unsubscribe / List-Unsubscribe-Post. */
export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
}

/**
 * Turns a queued row into the message to send. The dispatcher calls it at send time, once per row per
 * batch; the result is stored with the batch, so a retry never renders again.
 */
export type MailRenderer = (row: OutboxRow) => Promise<RenderedMail> | RenderedMail;

/** One message as sent to the provider (the SDK's batch item). */
export interface OutgoingEmail {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
}

