import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
// The library the Resend SDK's `webhooks.verify` is built on: payloads are signed here exactly as Resend (Svix) signs them.
import { Webhook } from 'standardwebhooks';
import { REQUEST_MAIL_COOLDOWN_MS } from '../../worker/subscribers/request-mail-policy.ts';
import { purgeWebhookReceipts, webhookReceiptCount, WEBHOOK_RECEIPT_TTL_MS } from '../../worker/mail/webhook-receipts.ts';
import { testApp } from '../helpers/app.ts';
import { mails, subscribeJson, subscriber, type TestApp } from './fixtures.ts';

const SECRET = `whsec_${randomBytes(24).toString('base64')}`;
let t: TestApp;
afterEach(() => t.close());

function signed(event: unknown, secret = SECRET) {
  const payload = JSON.stringify(event);
  const id = `msg_${randomBytes(8).toString('hex')}`;
  // Standard Webhooks checks the timestamp against the real clock (five minutes either way).
  const at = new Date();
  const signature = new Webhook(secret).sign(id, at, payload);
  return {
    method: 'POST',
    body: payload,
    headers: { 'content-type': 'application/json', 'svix-id': id, 'svix-timestamp': String(Math.floor(at.getTime() / 1000)), 'svix-signature': signature },
  };
}

const bounce = (to: string, type = 'Permanent') => ({
  type: 'email.bounced',
  created_at: '2026-11-20T15:00:00.000Z',
  data: {
    email_id: 'e1',
    created_at: '2026-11-20T15:00:00.000Z',
    from: 'status@example.com',
    to: [to],
    subject: 'Mantenimiento programado',
    bounce: { type, subType: 'General', message: 'mailbox does not exist' },
  },
});

async function withSubscriber(email: string) {
  await subscribeJson(t, { email });
  return subscriber(t, email);
}

describe('Resend webhooks', () => {
  it('processes a delivery once: the same svix-id again is answered as a duplicate until its window is purged', async () => {
    t = await testApp({ env: { RESEND_WEBHOOK_SECRET: SECRET } });
    await withSubscriber('ana@example.com');
    const delivery = signed(bounce('ana@example.com'));
    const first = await t.request('/api/webhooks/resend', delivery);
    expect(await first.json()).toEqual({ status: 'processed', suppressed: 1 });
    const again = await t.request('/api/webhooks/resend', delivery);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: 'duplicate' });
    expect(await webhookReceiptCount(t.ctx.db)).toBe(1);

    expect(await purgeWebhookReceipts(t.ctx.db, t.clock.now())).toBe(0);
    t.clock.advance(WEBHOOK_RECEIPT_TTL_MS + 1);
    expect(await purgeWebhookReceipts(t.ctx.db, t.clock.now())).toBe(1);
    expect(await webhookReceiptCount(t.ctx.db)).toBe(0);
  });


  it('a hard bounce with a valid signature suppresses the address, which then gets no more mail', async () => {
    t = await testApp({ env: { RESEND_WEBHOOK_SECRET: SECRET } });
    await withSubscriber('ana@example.com');
    await withSubscriber('luis@example.com');
    const res = await t.request('/api/webhooks/resend', signed(bounce('Ana <ANA@example.com>')));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'processed', suppressed: 1 });
    expect(await subscriber(t, 'ana@example.com')).toMatchObject({
      status: 'suppressed',
      suppressedReason: 'hard bounce: General: mailbox does not exist',
      suppressedAt: t.clock.now(),
    });
    expect((await subscriber(t, 'luis@example.com'))!.status).toBe('pending');

    t.clock.advance(REQUEST_MAIL_COOLDOWN_MS);
    await subscribeJson(t, { email: 'ana@example.com' });
    expect((await mails(t)).filter((m) => m.target === 'ana@example.com')).toHaveLength(1);

    // The same event delivered again is harmless.
    const replay = await t.request('/api/webhooks/resend', signed(bounce('ana@example.com')));
    expect(await replay.json()).toEqual({ status: 'processed', suppressed: 0 });
  });

  it('a complaint suppresses the address', async () => {
    t = await testApp({ env: { RESEND_WEBHOOK_SECRET: SECRET } });
    await withSubscriber('ana@example.com');
    const event = { ...bounce('ana@example.com'), type: 'email.complained' };
    expect((await t.request('/api/webhooks/resend', signed(event))).status).toBe(200);
    expect(await subscriber(t, 'ana@example.com')).toMatchObject({ status: 'suppressed', suppressedReason: 'complaint: marked as spam' });
  });

  it('ignores soft bounces and events it has no use for', async () => {
    t = await testApp({ env: { RESEND_WEBHOOK_SECRET: SECRET } });
    await withSubscriber('ana@example.com');
    for (const event of [bounce('ana@example.com', 'Transient'), { ...bounce('ana@example.com'), type: 'email.delivered' }, { type: 'domain.updated', data: {} }]) {
      const res = await t.request('/api/webhooks/resend', signed(event));
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ignored' });
    }
    expect((await subscriber(t, 'ana@example.com'))!.status).toBe('pending');
  });

  it('refuses a wrong signature, a changed body or missing headers with 401', async () => {
    t = await testApp({ env: { RESEND_WEBHOOK_SECRET: SECRET } });
    await withSubscriber('ana@example.com');
    const other = `whsec_${randomBytes(24).toString('base64')}`;
    const wrongKey = await t.request('/api/webhooks/resend', signed(bounce('ana@example.com'), other));
    expect(wrongKey.status).toBe(401);
    expect(await wrongKey.json()).toEqual({ error: { code: 'invalid_signature', message: expect.any(String) } });

    const genuine = signed(bounce('luis@example.com'));
    const changed = await t.request('/api/webhooks/resend', { ...genuine, body: JSON.stringify(bounce('ana@example.com')) });
    expect(changed.status).toBe(401);

    const bare = await t.request('/api/webhooks/resend', { method: 'POST', body: JSON.stringify(bounce('ana@example.com')), headers: { 'content-type': 'application/json' } });
    expect(bare.status).toBe(401);
    expect((await subscriber(t, 'ana@example.com'))!.status).toBe('pending');
  });

  it('answers 503 when no webhook secret is configured', async () => {
    t = await testApp();
    await withSubscriber('ana@example.com');
    const res = await t.request('/api/webhooks/resend', signed(bounce('ana@example.com')));
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: { code: 'webhooks_not_configured', message: expect.stringContaining('RESEND_WEBHOOK_SECRET') } });
    expect((await subscriber(t, 'ana@example.com'))!.status).toBe('pending');
  });
});
