import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/client.ts';
import { outbox } from '../../db/schema/index.ts';
import { enqueueMail, type OutgoingMail } from '../../worker/mail/outbox.ts';
import { memoryDatabase } from '../helpers/db.ts';

const now = new Date('2026-11-20T15:00:00Z');
const mail = (i: number, extra: Partial<OutgoingMail> = {}): OutgoingMail => ({
  idempotencyKey: `maintenance:m1:announcement:s${i}`,
  recipient: `user${i}@cliente.example`,
  subscriberId: `s${i}`,
  template: 'maintenance.announcement',
  locale: 'es',
  data: { title: 'Migración', components: ['Correo'], nested: { n: i, ok: true, none: null } },
  ref: 'maintenance:m1',
  ...extra,
});

describe('enqueueMail', () => {
  let database: DatabaseHandle;
  beforeEach(async () => {
    database = await memoryDatabase();
  });
  afterEach(() => database.close());

  it('stores every field as given, pending and due now (or at notBefore)', async () => {
    const later = new Date('2026-11-21T09:00:00Z');
    const added = await database.db.transaction((tx) =>
      enqueueMail(tx, [mail(1), mail(2, { subscriberId: null, ref: null, locale: 'en', notBefore: later, data: { quote: 'a "b" \\ ñ 🚧' } })], now),
    );
    expect(added).toBe(2);
    const rows = await database.db.select().from(outbox).orderBy(outbox.idempotencyKey);
    expect(rows[0]).toMatchObject({
      idempotencyKey: 'maintenance:m1:announcement:s1',
      recipient: 'user1@cliente.example',
      subscriberId: 's1',
      template: 'maintenance.announcement',
      locale: 'es',
      ref: 'maintenance:m1',
      data: { title: 'Migración', components: ['Correo'], nested: { n: 1, ok: true, none: null } },
      state: 'pending',
      attempts: 0,
      solo: false,
      batchId: null,
      nextAttemptAt: now,
      createdAt: now,
      sentAt: null,
    });
    expect(rows[0]!.id).toMatch(/^[0-9a-z]{12}$/);
    expect(rows[1]).toMatchObject({ subscriberId: null, ref: null, locale: 'en', nextAttemptAt: later, data: { quote: 'a "b" \\ ñ 🚧' } });
  });

  it('queues a key once: repeats in the same call and in later calls are ignored and not counted', async () => {
    expect(await enqueueMail(database.db, [mail(1), mail(2), mail(1, { recipient: 'other@cliente.example' })], now)).toBe(2);
    expect(await enqueueMail(database.db, [mail(2), mail(3)], now)).toBe(1);
    const rows = await database.db.select().from(outbox);
    expect(rows).toHaveLength(3);
    expect(rows.find((r) => r.subscriberId === 's1')!.recipient).toBe('user1@cliente.example');
  });

  it('queues large fan-outs across statements, and nothing when the transaction rolls back', async () => {
    const many = Array.from({ length: 2_500 }, (_, i) => mail(i));
    expect(await database.db.transaction((tx) => enqueueMail(tx, many, now))).toBe(2_500);
    await expect(
      database.db.transaction(async (tx) => {
        await enqueueMail(tx, [mail(9_999)], now);
        throw new Error('the event failed');
      }),
    ).rejects.toThrow('the event failed');
    expect(await database.db.$count(outbox)).toBe(2_500);
    expect(await enqueueMail(database.db, [], now)).toBe(0);
  });
});
