import { Hono } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { needs } from '../../http/admin-auth.ts';
import { notFound } from '../../core/errors.ts';
import { CHANNELS, NOTICE_KINDS } from '../../core/notices.ts';
import { validate } from '../../http/errors.ts';
import { iso } from '../../lib/iso.ts';
import { redactText } from '../../lib/redact.ts';
import { outboxRef } from '../../mail/outbox-refs.ts';
import { endPause, readPause, type MailPause } from '../../mail/pause.ts';
import { findOutboxMessage, listOutbox } from '../../mail/outbox-query.ts';
import { createMailRenderer } from '../../mail/render.ts';
import { OUTBOX_STATES } from '../../core/vocabulary.ts';
import type { MailRenderer, OutboxRow } from '../../mail/types.ts';

const listQuery = z.strictObject({
  state: z.enum(OUTBOX_STATES).optional(),
  channel: z.enum(CHANNELS).optional(),
  kind: z.enum(NOTICE_KINDS).optional(),
  maintenance_id: z.string().min(1).max(100).optional(),
  incident_id: z.string().min(1).max(100).optional(),
  ref: z.string().min(1).max(200).optional(),
  /** The kind, by its earlier name. */
  template: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

function messageView(row: OutboxRow) {
  return {
    id: row.id,
    idempotency_key: row.idempotencyKey,
    channel: row.channel,
    // A webhook's address may carry a token in its query: shown redacted, like every URL.
    target: redactText(row.target),
    subscriber_id: row.subscriberId,
    kind: row.kind,
    maintenance_id: row.maintenanceId,
    incident_id: row.incidentId,
    locale: row.locale,
    time_zone: row.timeZone,
    // `recipient`, `template` and `ref` are the earlier names of what the fields above say, kept for existing clients.
    recipient: redactText(row.target),
    template: row.kind,
    ref: outboxRef(row),
    state: row.state,
    attempts: row.attempts,
    next_attempt_at: iso(row.nextAttemptAt),
    batch_id: row.batchId,
    provider_id: row.providerId,
    last_error: row.lastError === null ? null : redactText(row.lastError),
    created_at: iso(row.createdAt),
    sent_at: iso(row.sentAt),
  };
}

const pauseView = (pause: MailPause | null) =>
  pause ? { reason: pause.reason, code: pause.code, message: pause.message, paused_at: pause.pausedAt, until: pause.until } : null;

/**
 * Admin view of outgoing notices: the queue (newest first, filtered by state, channel, kind, window or incident),
 * one message with its notice and rendered content (so mail can be read without a provider), and lifting a pause
 * after a quota or key problem.
 */
export function adminOutboxRoutes(app: AppContext, renderer?: MailRenderer) {
  const routes = new Hono();
  let render = renderer;

  routes.get('/', needs('viewer'), async (c) => {
    const q = validate(listQuery, Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v !== '')), 'query');
    const { messages, counts } = await listOutbox(app.db, q);
    return c.json({ outbox: messages.map(messageView), counts, paused: pauseView(await readPause(app.db)) });
  });

  routes.post('/resume', needs('editor'), async (c) => {
    const was = await endPause(app.db);
    if (was) app.logger.info({ pause: was }, 'mail sending resumed by an admin');
    return c.json({ resumed: was !== null, pause: pauseView(was) });
  });

  routes.get('/:id', needs('viewer'), async (c) => {
    const found = await findOutboxMessage(app.db, c.req.param('id'));
    if (!found) throw notFound(`outbox message "${c.req.param('id')}"`);
    const { message: row, batch } = found;
    render ??= createMailRenderer(app);
    let rendered: { subject: string; html: string; text: string; headers: Record<string, string> } | null = null;
    let renderError: string | null = null;
    try {
      const mail = await render(row);
      rendered = { subject: mail.subject, html: mail.html, text: mail.text, headers: mail.headers ?? {} };
    } catch (error) {
      renderError = (error as Error).message;
    }
    return c.json({
      // `data`: the notice, by its earlier name.
      message: { ...messageView(row), notice: row.notice, data: row.notice },
      batch: batch
        ? { id: batch.id, idempotency_key: batch.idempotencyKey, state: batch.state, attempts: batch.attempts, member_count: batch.memberCount, last_error: batch.lastError === null ? null : redactText(batch.lastError), sent_at: iso(batch.sentAt) }
        : null,
      rendered,
      render_error: renderError,
    });
  });

  return routes;
}
