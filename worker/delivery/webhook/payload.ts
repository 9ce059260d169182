/**
 * The webhook's JSON payload, in the Standard Webhooks shape `{ type, timestamp, data }`: `type` is the kind of
 * notice (the double opt-in notice is sent as `subscription.verification`), `data` the notice's fields in snake_case,
 * with the subscription and the reader's language and time zone.
 */
import type { Notice } from '../../notices/notice.ts';
import type { RenderContext } from '../http/channel.ts';

export const VERIFICATION_EVENT = 'subscription.verification';

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export interface WebhookPayload {
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

export function webhookPayload(notice: Notice, context: RenderContext): WebhookPayload {
  const { kind, ...fields } = notice;
  const data: Record<string, unknown> = { subscription_id: context.subscriptionId, locale: context.locale, time_zone: context.timeZone };
  if (kind === 'subscription.confirm') return { type: VERIFICATION_EVENT, timestamp: context.sentAt.toISOString(), data };
  for (const [key, value] of Object.entries(fields)) data[snake(key)] = value;
  return { type: kind, timestamp: context.sentAt.toISOString(), data };
}
