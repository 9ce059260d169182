import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { maintenanceNotices, maintenances } from '../../db/schema/index.ts';
import { testApp } from '../helpers/app.ts';
import { HOUR, insertSubscriber, MINUTE, outboxRows } from '../notices/fixtures.ts';

const NOW = new Date('2026-11-20T15:00:00Z');
const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString();

describe('scheduling a maintenance window', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeEach(async () => {
    t = await testApp({ now: NOW });
  });
  afterEach(() => t.close());

  const schedule = (body: Record<string, unknown>) =>
    t.request('/api/admin/maintenances', { method: 'POST', json: { title: 'Cambio de servidores', message: 'Migramos el hosting.', ...body } });

  it('refuses a start 7 h 59 min away with notice_too_short naming the earliest allowed start', async () => {
    const res = await schedule({ starts_at: at(7 * HOUR + 59 * MINUTE), ends_at: at(10 * HOUR), component_ids: ['hosting'] });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('notice_too_short');
    expect(body.error.message).toContain('earliest allowed start is 2026-11-20T23:00:00.000Z');
    expect(body.error.message).toContain('7h59m');
    expect(await t.database.db.select().from(maintenances)).toHaveLength(0);
    expect(await outboxRows(t.database.db)).toHaveLength(0);
  });

  it('refuses a start in the past the same way', async () => {
    const res = await schedule({ starts_at: at(-HOUR), ends_at: at(HOUR) });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/is not in the future.*earliest allowed start is 2026-11-20T23:00:00\.000Z/);
  });

  it('accepts 8 h 1 min and queues one announcement per confirmed subscriber of the affected components, in the same transaction', async () => {
    const db = t.database.db;
    const hosting = await insertSubscriber(db, { email: 'hosting@cliente.example', components: ['hosting'] });
    const everything = await insertSubscriber(db, { email: 'todo@cliente.example', locale: 'en', timezone: 'Europe/Madrid' });
    const both = await insertSubscriber(db, { email: 'ambos@cliente.example', components: ['correo', 'hosting'] });
    await insertSubscriber(db, { email: 'pendiente@cliente.example', status: 'pending', components: ['hosting'] });
    await insertSubscriber(db, { email: 'baja@cliente.example', status: 'unsubscribed' });
    await insertSubscriber(db, { email: 'suprimido@cliente.example', status: 'suppressed', components: ['hosting'] });
    await insertSubscriber(db, { email: 'correo@cliente.example', components: ['correo'] });

    const res = await schedule({ starts_at: at(8 * HOUR + MINUTE), ends_at: at(10 * HOUR), component_ids: ['hosting', 'telefonia'] });
    expect(res.status).toBe(201);
    const { maintenance } = (await res.json()) as { maintenance: { id: string; status: string; notice: { recipients: number; status: string } } };
    expect(maintenance.status).toBe('scheduled');

    const rows = await outboxRows(db, { kind: 'maintenance.announcement' });
    expect(rows.map((r) => r.target).sort()).toEqual(['ambos@cliente.example', 'hosting@cliente.example', 'todo@cliente.example']);
    expect(rows.map((r) => r.idempotencyKey).sort()).toEqual(
      [hosting, everything, both].map((s) => `maintenance:${maintenance.id}:announcement:${s}`).sort(),
    );
    for (const row of rows) {
      expect(row).toMatchObject({ channel: 'email', maintenanceId: maintenance.id, maintenanceVersion: 0 });
      expect(row.nextAttemptAt.getTime()).toBe(NOW.getTime());
      expect(row.state).toBe('pending');
    }
    const english = rows.find((r) => r.subscriberId === everything)!;
    expect(english.locale).toBe('en');
    expect(english.timeZone).toBe('Europe/Madrid');
    expect(english.notice).toMatchObject({ maintenanceId: maintenance.id, title: 'Cambio de servidores', components: ['Hosting web', 'Telefonía'] });
    // Nothing else went out: reminders wait for their time.
    expect(await outboxRows(db)).toHaveLength(3);
    expect(maintenance.notice).toMatchObject({ recipients: 3, status: 'pending' });
  });

  it('writes the window and its announcement together: if the mail cannot be queued, the window is not scheduled', async () => {
    await insertSubscriber(t.database.db, { email: 'todo@cliente.example' });
    await t.database.client.execute("CREATE TRIGGER outbox_refuses BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'outbox unavailable'); END");
    const res = await schedule({ starts_at: at(9 * HOUR), ends_at: at(10 * HOUR) });
    expect(res.status).toBe(500);
    expect(await t.database.db.select().from(maintenances)).toHaveLength(0);
    expect(await t.database.db.select().from(maintenanceNotices)).toHaveLength(0);
  });

  it('queues nothing when the window is not to be notified, and nothing when it is refused', async () => {
    const db = t.database.db;
    await insertSubscriber(db, { email: 'todo@cliente.example' });
    const quiet = await schedule({ starts_at: at(9 * HOUR), ends_at: at(10 * HOUR), notify: false });
    expect(quiet.status).toBe(201);
    const refused = await schedule({ starts_at: at(9 * HOUR), ends_at: at(10 * HOUR), component_ids: ['nope'] });
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('unknown_component');
    expect(await outboxRows(db)).toHaveLength(0);
    expect(await db.select().from(maintenances)).toHaveLength(1);
  });

  it('plans the reminders that are still ahead: 24 h and 1 h before a start two days away, only 1 h before a start 9 h away', async () => {
    const db = t.database.db;
    const far = (await (await schedule({ starts_at: at(48 * HOUR), ends_at: at(50 * HOUR) })).json()) as { maintenance: { id: string } };
    const near = (await (await schedule({ starts_at: at(9 * HOUR), ends_at: at(10 * HOUR) })).json()) as { maintenance: { id: string } };
    const planned = async (id: string) =>
      (await db.select().from(maintenanceNotices).where(eq(maintenanceNotices.maintenanceId, id)))
        .filter((n) => n.state === 'planned')
        .map((n) => ({ offset: n.offsetMs / HOUR, due: n.dueAt.toISOString() }))
        .sort((a, b) => b.offset - a.offset);
    expect(await planned(far.maintenance.id)).toEqual([
      { offset: 24, due: at(24 * HOUR) },
      { offset: 1, due: at(47 * HOUR) },
    ]);
    expect(await planned(near.maintenance.id)).toEqual([{ offset: 1, due: at(8 * HOUR) }]);
  });

  it('answers 400 naming the field for a bad body, and 422 for an end before the start', async () => {
    const bad = await schedule({ starts_at: '2026-11-21 10:00', ends_at: at(10 * HOUR) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('starts_at');
    const backwards = await schedule({ starts_at: at(10 * HOUR), ends_at: at(9 * HOUR) });
    expect(backwards.status).toBe(422);
    expect(((await backwards.json()) as { error: { code: string } }).error.code).toBe('invalid_window');
  });

  it('lists windows by status and shows one with its notice plan', async () => {
    const a = (await (await schedule({ starts_at: at(9 * HOUR), ends_at: at(10 * HOUR) })).json()) as { maintenance: { id: string } };
    const b = (await (await schedule({ starts_at: at(30 * HOUR), ends_at: at(31 * HOUR) })).json()) as { maintenance: { id: string } };
    await t.request(`/api/admin/maintenances/${b.maintenance.id}/cancel`, { method: 'POST' });
    const scheduled = (await (await t.request('/api/admin/maintenances?status=scheduled')).json()) as { maintenances: { id: string }[] };
    expect(scheduled.maintenances.map((m) => m.id)).toEqual([a.maintenance.id]);
    const cancelled = (await (await t.request('/api/admin/maintenances?status=cancelled')).json()) as { maintenances: { id: string }[] };
    expect(cancelled.maintenances.map((m) => m.id)).toEqual([b.maintenance.id]);
    expect((await t.request('/api/admin/maintenances?status=bogus')).status).toBe(400);
    const shown = (await (await t.request(`/api/admin/maintenances/${a.maintenance.id}`)).json()) as { maintenance: { notices: { kind: string; state: string }[] } };
    expect(shown.maintenance.notices.map((n) => `${n.kind}:${n.state}`)).toEqual(['announcement:queued', 'reminder:planned']);
    expect((await t.request('/api/admin/maintenances/nope')).status).toBe(404);
  });
});
