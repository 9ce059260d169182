import { Hono } from 'hono';
import { Resend } from 'resend';
import type { AppContext } from '../context.ts';
import { limitBody } from '../http/body-limit.ts';
import { errorBody } from '../http/errors.ts';
import { recordWebhookReceipt } from '../mail/webhook-receipts.ts';
import { decideWebhook } from '../subscribers/resend-events.ts';
import { suppressAddresses } from '../subscribers/suppression.ts';

/**
 * `POST /api/webhooks/resend`: bounces and complaints reported by Resend. The signature (Svix /
 * Standard Webhooks headers) is checked by the Resend SDK against RESEND_WEBHOOK_SECRET over the raw body.
 */
export function webhookRoutes(app: AppContext) {
  const routes = new Hono();
  const secret = app.env.RESEND_WEBHOOK_SECRET;
  // Verification is local (no request to Resend), so no real API key is needed for it.
  const resend = secret ? new Resend(app.env.RESEND_API_KEY || 're_webhook_verification_only') : null;

  routes.post(
    '/resend',
    limitBody(256 * 1024, 'the webhook body'),
    async (c) => {
      if (!resend || !secret) {
        return c.json(errorBody('webhooks_not_configured', 'set RESEND_WEBHOOK_SECRET to receive Resend webhooks'), 503);
      }
      const payload = await c.req.text();
      let event: unknown;
      try {
        event = resend.webhooks.verify({
          payload,
          headers: { id: c.req.header('svix-id') ?? '', timestamp: c.req.header('svix-timestamp') ?? '', signature: c.req.header('svix-signature') ?? '' },
          webhookSecret: secret,
        });
      } catch (error) {
        app.logger.warn({ err: (error as Error).message }, 'Resend webhook refused: bad signature');
        return c.json(errorBody('invalid_signature', 'the webhook signature does not match'), 401);
      }
      // The signature covers the svix-id, so an id seen is the same delivery again: answer it, do nothing twice.
      const svixId = c.req.header('svix-id')!;
      const decision = decideWebhook(event);
      const now = app.now();
      const outcome = await app.db.transaction(async (tx) => {
        if (!(await recordWebhookReceipt(tx, svixId, now))) return { duplicate: true, suppressed: 0 } as const;
        if (decision.action === 'ignore') return { duplicate: false, suppressed: 0 } as const;
        return { duplicate: false, suppressed: await suppressAddresses(tx, decision.recipients, decision.reason, now) } as const;
      });
      if (outcome.duplicate) return c.json({ status: 'duplicate', reason: `delivery ${svixId} was already handled` });
      if (decision.action === 'ignore') return c.json({ status: 'ignored', reason: decision.why });
      const { suppressed } = outcome;
      app.logger.info({ suppressed, reason: decision.reason }, 'addresses suppressed after a Resend webhook');
      return c.json({ status: 'processed', suppressed });
    },
  );
  return routes;
}
