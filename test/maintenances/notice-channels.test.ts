import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channelSubscriptions, outbox } from '../../db/schema/index.ts';
import { httpChannelModules } from '../../worker/delivery/channels.ts';
import { createHttpDispatcher } from '../../worker/delivery/http/dispatcher.ts';
import { egressPolicy } from '../../worker/lib/egress.ts';
import { webhookReceiver, type Answer } from '../fakes/webhook-receiver.ts';
import { testApp } from '../helpers/app.ts';
import { HOUR, insertSubscriber, MINUTE } from '../notices/fixtures.ts';
import { freshIp } from '../subscribers/fixtures.ts';

const NOW = new Date('2026-11-20T15:00:00Z');
const at = (ms: number) => new Date(NOW.getTime() + ms);

/**
 * The eight-hour promise on every channel: one window announced to an e-mail subscriber and a webhook subscription,
 * each recipient counted on its own channel and in the total, from when its provider or receiver accepted it.
 */
describe('the notice guarantee per channel', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let receiver: Awaited<ReturnType<typeof webhookReceiver>>;
  let answer: Answer;
  let windowId: string;
  beforeEach(async () => {
    t = await testApp({ now: NOW });
    answer = () => ({ status: 200 });
    receiver = await webhookReceiver((r, n) => answer(r, n));
    await insertSubscriber(t.database.db, { email: 'a@cliente.example' });
    const created = await t.request('/api/subscriptions', { method: 'POST', json: { channel: 'webhook', url: receiver.url('/hook') }, headers: { 'x-forwarded-for': freshIp() } });
    const subscriptionId = ((await created.json()) as { subscription: { id: string } }).subscription.id;
    await deliver();
    expect((await t.database.db.select().from(channelSubscriptions).where(eq(channelSubscriptions.id, subscriptionId)))[0]?.status).toBe('confirmed');
  });
  afterEach(async () => {
    await receiver.close();
    await t.close();
  });

  const deliver = () =>
    createHttpDispatcher(t.ctx, { channels: httpChannelModules(t.ctx.config), egress: egressPolicy({ allowPrivate: true }), random: () => 0, backoff: { baseMs: 1_000, maxMs: 1_000 } }).runOnce();
  /** The mail provider accepted the e-mail at this instant. */
  const acceptMail = (sentAt: Date) => t.database.db.update(outbox).set({ state: 'sent', sentAt }).where(eq(outbox.target, 'a@cliente.example'));
  /** A window starting 8 h 1 min after it is scheduled: every announcement must be accepted within the minute. */
  const schedule = async () => {
    const response = await t.request('/api/admin/maintenances', {
      method: 'POST',
      json: { title: 'Migración', starts_at: at(8 * HOUR + MINUTE).toISOString(), ends_at: at(9 * HOUR).toISOString(), component_ids: ['hosting'] },
    });
    expect(response.status).toBe(201);
    windowId = ((await response.json()) as { maintenance: { id: string } }).maintenance.id;
  };
  const notice = async () => ((await (await t.request(`/api/admin/maintenances/${windowId}`)).json()) as { maintenance: { notice: Record<string, unknown> } }).maintenance.notice;

  it('says "notified N of M, all ahead" for each channel and in total', async () => {
    await schedule();
    expect(await notice()).toMatchObject({
      recipients: 2,
      notified: 0,
      status: 'pending',
      by_channel: { email: { recipients: 1, notified: 0, status: 'pending' }, webhook: { recipients: 1, notified: 0, status: 'pending' } },
    });
    await acceptMail(at(20_000));
    t.clock.set(at(30_000));
    expect((await deliver()).sent).toBe(1);
    expect(await notice()).toEqual({
      recipients: 2,
      notified: 2,
      all_ahead: true,
      earliest_allowed_late_at: at(MINUTE).toISOString(),
      late_count: 0,
      status: 'ok',
      by_channel: {
        email: { recipients: 1, notified: 1, all_ahead: true, late_count: 0, status: 'ok' },
        webhook: { recipients: 1, notified: 1, all_ahead: true, late_count: 0, status: 'ok' },
      },
    });
  });

  it('names the channel whose recipient was told late', async () => {
    // The receiver fails the announcement's first attempt; it is accepted on the retry, after the deadline.
    answer = (_request, nth) => (nth === 2 ? { status: 500 } : { status: 200 });
    await schedule();
    await acceptMail(at(20_000));
    expect((await deliver()).retried).toBe(1);
    expect((await notice()).by_channel).toMatchObject({ email: { status: 'ok' }, webhook: { notified: 0, status: 'pending' } });
    t.clock.set(at(2 * MINUTE));
    expect((await deliver()).sent).toBe(1);
    expect(await notice()).toMatchObject({
      recipients: 2,
      notified: 2,
      all_ahead: false,
      late_count: 1,
      status: 'late',
      by_channel: {
        email: { recipients: 1, notified: 1, all_ahead: true, late_count: 0, status: 'ok' },
        webhook: { recipients: 1, notified: 1, all_ahead: false, late_count: 1, status: 'late' },
      },
    });
  });
});
