/**
 * The signed webhook channel (Standard Webhooks): every request carries `webhook-id` (the delivery's id, the same
 * on every retry so receivers can drop duplicates), `webhook-timestamp` and `webhook-signature`, signed with the
 * subscription's own `whsec_…` secret by the maintained `standardwebhooks` package.
 */
import { Webhook } from 'standardwebhooks';
import { channelUrlProblem } from '../../subscribers/channel-url.ts';
import type { HttpChannelModule } from '../http/channel.ts';
import { webhookPayload } from './payload.ts';

export const webhookChannel: HttpChannelModule = {
  kind: 'http',
  targetProblem: channelUrlProblem,
  render(notice, context) {
    if (!context.signingSecret) throw new Error('the webhook subscription has no signing secret');
    const body = JSON.stringify(webhookPayload(notice, context));
    return {
      body,
      headers: {
        'webhook-id': context.messageId,
        'webhook-timestamp': String(Math.floor(context.sentAt.getTime() / 1000)),
        'webhook-signature': new Webhook(context.signingSecret).sign(context.messageId, context.sentAt, body),
      },
    };
  },
};
