import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../db/schema/index.ts';
import { httpChannelModules } from '../../worker/delivery/channels.ts';
import { createHttpDispatcher } from '../../worker/delivery/http/dispatcher.ts';
import { egressPolicy } from '../../worker/lib/egress.ts';
import { queueNotice } from '../../worker/mail/outbox.ts';
import { insertChannelSubscription } from '../../worker/subscribers/channel-store.ts';
import { newWebhookSecret } from '../../worker/subscribers/webhook-secret.ts';
import { testApp } from '../helpers/app.ts';
import { webhookReceiver } from '../fakes/webhook-receiver.ts';

const TARGETS = 3_000;

describe('a fan-out to 3,000 webhook receivers, a fifth of them failing at first', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let receiver: Awaited<ReturnType<typeof webhookReceiver>>;
  beforeAll(async () => {
    // Every fifth receiver answers 500 to its first request, then 200.
    receiver = await webhookReceiver((r, n) => (Number(r.path.slice(3)) % 5 === 0 && n === 1 ? { status: 500 } : { status: 200 }));
    t = await testApp();
    // The dispatcher runs on the wall clock here, so retries come due as real time passes.
    t.clock.set(new Date());
    const now = t.clock.now();
    await t.database.db.transaction(async (tx) => {
      for (let i = 0; i < TARGETS; i++) {
        await insertChannelSubscription(
          tx,
          { id: `s${String(i).padStart(5, '0')}`, channel: 'webhook', url: receiver.url(`/r/${i}`), locale: 'es', timezone: 'America/Bogota', status: 'confirmed', signingSecret: newWebhookSecret(), createdAt: now, updatedAt: now },
          [],
        );
      }
      await queueNotice(
        tx,
        { kind: 'incident.opened', incidentId: 'inc1', updateId: null, title: 'Caída', severity: 1, startedAt: now.toISOString() },
        Array.from({ length: TARGETS }, (_, i) => ({ channel: 'webhook' as const, target: receiver.url(`/r/${i}`), subscriberId: `s${String(i).padStart(5, '0')}`, locale: 'es' as const, idempotencyKey: `incident:inc1:opened:${i}` })),
        now,
      );
    });
  }, 120_000);
  afterAll(async () => {
    await receiver.close();
    await t.close();
  });

  it('ends with exactly one accepted delivery per target, retries under the same webhook-id', async () => {
    const dispatcher = createHttpDispatcher(
      { ...t.ctx, now: () => new Date() },
      { channels: httpChannelModules(t.ctx.config), egress: egressPolicy({ allowPrivate: true }), perHostPerSecond: 100_000, concurrency: 32, backoff: { baseMs: 20, maxMs: 50 } },
    );
    const summary = await dispatcher.drain({ timeoutMs: 120_000, pollMs: 20 });
    expect(summary).toMatchObject({ sent: TARGETS, failed: 0, retried: TARGETS / 5 });
    const byPath = new Map<string, string[]>();
    for (const r of receiver.received) byPath.set(r.path, [...(byPath.get(r.path) ?? []), String(r.headers['webhook-id'])]);
    expect(byPath.size).toBe(TARGETS);
    for (const [path, ids] of byPath) {
      expect(ids.length, path).toBe(Number(path.slice(3)) % 5 === 0 ? 2 : 1);
      expect(new Set(ids).size, path).toBe(1);
    }
    const sent = await t.database.db.select({ id: outbox.id }).from(outbox).where(eq(outbox.state, 'sent'));
    expect(sent).toHaveLength(TARGETS);
  }, 180_000);
});
