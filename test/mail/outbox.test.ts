import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/client.ts';
import { outbox } from '../../db/schema/index.ts';
import { queueNotice, type NoticeDelivery } from '../../worker/mail/outbox.ts';
import { InvalidNoticeError, type NoticeInput } from '../../worker/notices/notice.ts';
import { memoryDatabase } from '../helpers/db.ts';

const now = new Date('2026-11-20T15:00:00Z');
const announcement = {
  kind: 'maintenance.announcement',
  maintenanceId: 'm1',
  version: 2,
  title: 'Migración',
  message: 'Cortes breves: "a" \\ ñ 🚧',
  startsAt: '2026-11-21T13:00:00.000Z',
  endsAt: '2026-11-21T15:00:00.000Z',
  components: ['Correo'],
  upstream: null,
} satisfies NoticeInput;
const to = (i: number, extra: Partial<NoticeDelivery> = {}): NoticeDelivery => ({
  channel: 'email',
  target: `user${i}@cliente.example`,
  idempotencyKey: `maintenance:m1:announcement:s${i}`,
  subscriberId: `s${i}`,
  locale: 'es',
  timeZone: 'America/Bogota',
  ...extra,
});

describe('queueNotice', () => {
  let database: DatabaseHandle;
  beforeEach(async () => {
    database = await memoryDatabase();
  });
  afterEach(() => database.close());

  it('stores the notice, its channel, target and subject with every delivery, pending and due now (or at notBefore)', async () => {
    const later = new Date('2026-11-21T09:00:00Z');
    const added = await database.db.transaction((tx) =>
      queueNotice(tx, announcement, [to(1), to(2, { subscriberId: null, locale: 'en', timeZone: null, notBefore: later })], now),
    );
    expect(added).toBe(2);
    const rows = await database.db.select().from(outbox).orderBy(outbox.idempotencyKey);
    expect(rows[0]).toMatchObject({
      idempotencyKey: 'maintenance:m1:announcement:s1',
      channel: 'email',
      target: 'user1@cliente.example',
      subscriberId: 's1',
      kind: 'maintenance.announcement',
      maintenanceId: 'm1',
      maintenanceVersion: 2,
      incidentId: null,
      locale: 'es',
      timeZone: 'America/Bogota',
      notice: announcement,
      state: 'pending',
      attempts: 0,
      solo: false,
      batchId: null,
      nextAttemptAt: now,
      createdAt: now,
      sentAt: null,
    });
    expect(rows[0]!.id).toMatch(/^[0-9a-z]{12}$/);
    expect(rows[1]).toMatchObject({ subscriberId: null, locale: 'en', timeZone: null, nextAttemptAt: later, notice: announcement });
  });

  it('stores the notice as checked: defaults filled in, unknown fields left out', async () => {
    const { message: _message, components: _components, ...bare } = announcement;
    await queueNotice(database.db, { ...bare, stray: 'x' } as NoticeInput, [to(1)], now);
    const [row] = await database.db.select().from(outbox);
    expect(row!.notice).toEqual({ ...bare, message: '', components: [] });
  });

  it('files incident notices and SLA warnings by incident, and the others by nothing', async () => {
    const incident = {
      kind: 'incident.opened',
      incidentId: 'i1',
      updateId: null,
      title: 'Caída',
      severity: 1,
      startedAt: '2026-11-20T14:00:00.000Z',
    } satisfies NoticeInput;
    await queueNotice(database.db, incident, [to(1, { idempotencyKey: 'i' })], now);
    await queueNotice(database.db, { kind: 'admin.sla_warning', incidentId: 'i1', title: 'Caída', severity: 1, target: 'response', dueAt: '2026-11-20T15:00:00.000Z' }, [to(2, { idempotencyKey: 'w' })], now);
    await queueNotice(database.db, { kind: 'admin.mail_paused', reason: 'quota' }, [to(3, { idempotencyKey: 'p' })], now);
    const rows = await database.db.select().from(outbox).orderBy(outbox.idempotencyKey);
    expect(rows.map((r) => [r.idempotencyKey, r.kind, r.maintenanceId, r.maintenanceVersion, r.incidentId])).toEqual([
      ['i', 'incident.opened', null, null, 'i1'],
      ['p', 'admin.mail_paused', null, null, null],
      ['w', 'admin.sla_warning', null, null, 'i1'],
    ]);
  });

  it('throws at the producer on a bad notice, naming the kind and the field, and queues nothing', async () => {
    const bad = { ...announcement, startsAt: 'mañana' };
    await expect(queueNotice(database.db, bad, [to(1)], now)).rejects.toThrow(new InvalidNoticeError('maintenance.announcement', 'startsAt: must be an ISO-8601 instant'));
    const { title: _title, ...untitled } = announcement;
    await expect(queueNotice(database.db, untitled as NoticeInput, [to(1)], now)).rejects.toThrow(/^notice "maintenance\.announcement": title: /);
    await expect(queueNotice(database.db, { ...announcement, kind: 'maintenance.postponed' } as unknown as NoticeInput, [to(1)], now)).rejects.toThrow(
      'notice "maintenance.postponed": kind: not a kind of notice',
    );
    await expect(queueNotice(database.db, announcement, [to(1, { channel: 'fax' as never })], now)).rejects.toThrow(/^notice "maintenance\.announcement": channel: "fax" is not a channel/);
    // Even with nobody to tell, a bad notice is a producer's bug.
    await expect(queueNotice(database.db, bad, [], now)).rejects.toThrow(InvalidNoticeError);
    expect(await database.db.$count(outbox)).toBe(0);
  });

  it('queues a key once: repeats in the same call and in later calls are ignored and not counted', async () => {
    expect(await queueNotice(database.db, announcement, [to(1), to(2), to(1, { target: 'other@cliente.example' })], now)).toBe(2);
    expect(await queueNotice(database.db, announcement, [to(2), to(3)], now)).toBe(1);
    const rows = await database.db.select().from(outbox);
    expect(rows).toHaveLength(3);
    expect(rows.find((r) => r.subscriberId === 's1')!.target).toBe('user1@cliente.example');
  });

  it('queues large fan-outs across statements, and nothing when the transaction rolls back', async () => {
    const many = Array.from({ length: 2_500 }, (_, i) => to(i));
    expect(await database.db.transaction((tx) => queueNotice(tx, announcement, many, now))).toBe(2_500);
    await expect(
      database.db.transaction(async (tx) => {
        await queueNotice(tx, announcement, [to(9_999)], now);
        throw new Error('the event failed');
      }),
    ).rejects.toThrow('the event failed');
    expect(await database.db.$count(outbox)).toBe(2_500);
    expect(await queueNotice(database.db, announcement, [], now)).toBe(0);
  });
});
