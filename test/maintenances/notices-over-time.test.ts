import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { maintenanceComponents, maintenanceNotices, maintenances } from '../../db/schema/index.ts';
import { advanceMaintenanceWindows } from '../../worker/maintenances/lifecycle.ts';
import { runNoticeJob } from '../../worker/notices/job.ts';
import { testApp } from '../helpers/app.ts';
import { HOUR, insertSubscriber, MINUTE, outboxRows } from '../notices/fixtures.ts';

const NOW = new Date('2026-11-20T15:00:00Z');
const at = (ms: number) => new Date(NOW.getTime() + ms);

describe('maintenance notices over time', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let subs: string[];
  beforeEach(async () => {
    t = await testApp({ now: NOW });
    subs = [
      await insertSubscriber(t.database.db, { email: 'a@cliente.example', components: ['hosting'] }),
      await insertSubscriber(t.database.db, { email: 'b@cliente.example' }),
    ];
    await insertSubscriber(t.database.db, { email: 'otro@cliente.example', components: ['correo'] });
  });
  afterEach(() => t.close());

  const db = () => t.database.db;
  const schedule = async (startsIn: number, endsIn: number) => {
    const res = await t.request('/api/admin/maintenances', {
      method: 'POST',
      json: { title: 'Actualización', starts_at: at(startsIn).toISOString(), ends_at: at(endsIn).toISOString(), component_ids: ['hosting'] },
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { maintenance: { id: string } }).maintenance.id;
  };
  const patch = (id: string, json: Record<string, unknown>) => t.request(`/api/admin/maintenances/${id}`, { method: 'PATCH', json });
  const runJob = () => runNoticeJob(db(), t.clock.now());
  const reminderRows = async () => (await outboxRows(db(), { kind: 'maintenance.reminder' })).map((r) => ({ key: r.idempotencyKey, queuedAt: r.createdAt.toISOString() }));
  const notices = async (id: string) =>
    (await db().select().from(maintenanceNotices).where(eq(maintenanceNotices.maintenanceId, id))).map((n) => ({
      kind: n.kind,
      version: n.version,
      offset: n.offsetMs / HOUR,
      state: n.state,
      reason: n.reason,
    })).sort((a, b) => a.kind.localeCompare(b.kind) || a.version - b.version || b.offset - a.offset);

  it('queues each reminder when its moment comes, to every affected subscriber, and only then', async () => {
    const id = await schedule(48 * HOUR, 50 * HOUR);
    t.clock.set(at(24 * HOUR - 1000));
    expect(await runJob()).toEqual({ queued: 0, skipped: 0, announced: 0 });
    expect(await reminderRows()).toEqual([]);

    t.clock.set(at(24 * HOUR));
    expect((await runJob()).queued).toBe(1);
    expect(await reminderRows()).toEqual(
      subs.map((s) => ({ key: `maintenance:${id}:reminder-24h:0:${s}`, queuedAt: at(24 * HOUR).toISOString() })).sort((a, b) => a.key.localeCompare(b.key)),
    );

    t.clock.set(at(47 * HOUR));
    await runJob();
    const rows = await outboxRows(db(), { kind: 'maintenance.reminder' });
    expect(rows.filter((r) => r.idempotencyKey.includes(':reminder-1h:0:')).map((r) => r.createdAt.toISOString())).toEqual([
      at(47 * HOUR).toISOString(),
      at(47 * HOUR).toISOString(),
    ]);
    expect(rows.find((r) => r.idempotencyKey.includes(':reminder-1h:'))!.notice).toMatchObject({ kind: 'maintenance.reminder', offsetMs: HOUR, maintenanceId: id });
    await runJob();
    expect(await outboxRows(db(), { kind: 'maintenance.reminder' })).toHaveLength(4);
    expect((await notices(id)).filter((n) => n.kind === 'reminder').map((n) => n.state)).toEqual(['queued', 'queued']);
  });

  it('catches up a reminder whose moment passed while the worker was down, once however often the job runs', async () => {
    const id = await schedule(48 * HOUR, 50 * HOUR);
    t.clock.set(at(30 * HOUR));
    expect((await runJob()).queued).toBe(1);
    expect((await runJob()).queued).toBe(0);
    expect((await reminderRows()).map((r) => r.key)).toEqual(subs.map((s) => `maintenance:${id}:reminder-24h:0:${s}`).sort());
    expect((await reminderRows())[0]!.queuedAt).toBe(at(30 * HOUR).toISOString());
  });

  it('after a downtime spanning both reminders sends only the one closest to the start, recording the other as superseded', async () => {
    const id = await schedule(48 * HOUR, 50 * HOUR);
    t.clock.set(at(47 * HOUR + 30 * MINUTE));
    expect(await runJob()).toEqual({ queued: 1, skipped: 1, announced: 0 });
    expect((await reminderRows()).map((r) => r.key)).toEqual(subs.map((s) => `maintenance:${id}:reminder-1h:0:${s}`).sort());
    expect((await notices(id)).filter((n) => n.kind === 'reminder')).toEqual([
      { kind: 'reminder', version: 0, offset: 24, state: 'skipped', reason: 'superseded' },
      { kind: 'reminder', version: 0, offset: 1, state: 'queued', reason: null },
    ]);
  });

  it('skips (and records) reminders whose window started while the worker was down', async () => {
    const id = await schedule(48 * HOUR, 50 * HOUR);
    t.clock.set(at(48 * HOUR + 5 * MINUTE));
    expect(await runJob()).toEqual({ queued: 0, skipped: 2, announced: 0 });
    expect(await reminderRows()).toEqual([]);
    expect((await notices(id)).filter((n) => n.kind === 'reminder').map((n) => n.reason)).toEqual(['window_started', 'window_started']);
  });

  it('holds an earlier start to the notice rule, measured from now', async () => {
    const id = await schedule(48 * HOUR, 50 * HOUR);
    t.clock.set(at(2 * HOUR));
    const tooSoon = await patch(id, { starts_at: at(2 * HOUR + 7 * HOUR + 59 * MINUTE).toISOString() });
    expect(tooSoon.status).toBe(422);
    const error = ((await tooSoon.json()) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('notice_too_short');
    expect(error.message).toContain(`earliest allowed start is ${at(10 * HOUR).toISOString()}`);
    const row = (await db().select().from(maintenances).where(eq(maintenances.id, id)))[0]!;
    expect(row.startsAt.toISOString()).toBe(at(48 * HOUR).toISOString());
    expect(row.version).toBe(0);
    expect(await outboxRows(db(), { kind: 'maintenance.rescheduled' })).toEqual([]);
  });

  it('moves a window earlier: tells subscribers, drops the old reminders and plans new ones for the new time', async () => {
    const id = await schedule(48 * HOUR, 50 * HOUR);
    t.clock.set(at(2 * HOUR));
    const res = await patch(id, { starts_at: at(12 * HOUR).toISOString(), ends_at: at(13 * HOUR).toISOString() });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { maintenance: { version: number; scheduled_for: string } };
    expect(body.maintenance).toMatchObject({ version: 1, scheduled_for: at(12 * HOUR).toISOString() });

    const told = await outboxRows(db(), { kind: 'maintenance.rescheduled' });
    expect(told.map((r) => r.idempotencyKey)).toEqual(subs.map((s) => `maintenance:${id}:rescheduled:1:${s}`).sort());
    expect(told[0]!.notice).toMatchObject({ previousStartsAt: at(48 * HOUR).toISOString(), startsAt: at(12 * HOUR).toISOString(), version: 1 });
    expect(await notices(id)).toEqual(
      expect.arrayContaining([
        { kind: 'reminder', version: 0, offset: 24, state: 'dropped', reason: 'rescheduled' },
        { kind: 'reminder', version: 0, offset: 1, state: 'dropped', reason: 'rescheduled' },
        { kind: 'reminder', version: 1, offset: 1, state: 'planned', reason: null },
      ]),
    );
    // The old 24 h reminder's moment (24 h after scheduling) would now be after the new start anyway;
    // at the new 1 h mark only the new version's reminder goes out.
    t.clock.set(at(11 * HOUR));
    await runJob();
    t.clock.set(at(24 * HOUR));
    await runJob();
    expect((await reminderRows()).map((r) => r.key)).toEqual(subs.map((s) => `maintenance:${id}:reminder-1h:1:${s}`).sort());
  });

  it('always allows a later start, even when the window is only hours away, and sends the new reminders instead of the old', async () => {
    const id = await schedule(9 * HOUR, 10 * HOUR);
    t.clock.set(at(6 * HOUR));
    const res = await patch(id, { starts_at: at(9 * HOUR + 30 * MINUTE).toISOString(), ends_at: at(11 * HOUR).toISOString() });
    expect(res.status).toBe(200);
    t.clock.set(at(8 * HOUR));
    await runJob();
    expect(await reminderRows()).toEqual([]);
    t.clock.set(at(8 * HOUR + 30 * MINUTE));
    await runJob();
    expect((await reminderRows()).map((r) => r.key)).toEqual(subs.map((s) => `maintenance:${id}:reminder-1h:1:${s}`).sort());
    // A later start keeps the announcement as the notice held to the rule.
    expect((await db().select().from(maintenances))[0]!.noticeVersion).toBe(0);
  });

  it('changes only the text without a new version or any notice', async () => {
    const id = await schedule(48 * HOUR, 50 * HOUR);
    const res = await patch(id, { title: 'Actualización del panel' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { maintenance: { name: string; version: number } }).maintenance).toMatchObject({ name: 'Actualización del panel', version: 0 });
    expect((await outboxRows(db())).map((r) => r.kind)).toEqual(['maintenance.announcement', 'maintenance.announcement']);
    expect((await patch(id, {})).status).toBe(400);
  });

  it('widening the components announces to the newly affected only, and is held to the notice rule', async () => {
    const id = await schedule(20 * HOUR, 21 * HOUR);
    t.clock.set(at(13 * HOUR));
    const tooLate = await patch(id, { component_ids: ['hosting', 'correo'] });
    expect(tooLate.status).toBe(422);
    expect(((await tooLate.json()) as { error: { code: string } }).error.code).toBe('notice_too_short');
    t.clock.set(at(HOUR));
    expect((await patch(id, { component_ids: ['hosting', 'correo'] })).status).toBe(200);
    const announced = await outboxRows(db(), { kind: 'maintenance.announcement' });
    expect(announced.map((r) => r.target).sort()).toEqual(['a@cliente.example', 'b@cliente.example', 'otro@cliente.example']);
    expect(announced.find((r) => r.target === 'otro@cliente.example')!.createdAt.toISOString()).toBe(at(HOUR).toISOString());
    expect((await db().select().from(maintenanceComponents)).map((c) => c.componentId).sort()).toEqual(['correo', 'hosting']);
  });

  it('cancels: tells subscribers with the reason, drops pending reminders, sends none later', async () => {
    const id = await schedule(48 * HOUR, 50 * HOUR);
    t.clock.set(at(HOUR));
    const res = await t.request(`/api/admin/maintenances/${id}/cancel`, { method: 'POST', json: { reason: 'El proveedor pospuso el cambio' } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { maintenance: { status: string; cancel_reason: string } }).maintenance).toMatchObject({
      status: 'cancelled',
      cancel_reason: 'El proveedor pospuso el cambio',
    });
    const cancelled = await outboxRows(db(), { kind: 'maintenance.cancelled' });
    expect(cancelled.map((r) => r.idempotencyKey)).toEqual(subs.map((s) => `maintenance:${id}:cancelled:${s}`).sort());
    expect(cancelled[0]!.notice).toMatchObject({ reason: 'El proveedor pospuso el cambio' });
    expect((await notices(id)).filter((n) => n.kind === 'reminder').map((n) => n.state)).toEqual(['dropped', 'dropped']);
    t.clock.set(at(47 * HOUR + 30 * MINUTE));
    expect(await runJob()).toEqual({ queued: 0, skipped: 0, announced: 0 });
    expect(await reminderRows()).toEqual([]);
    const again = await t.request(`/api/admin/maintenances/${id}/cancel`, { method: 'POST' });
    expect(again.status).toBe(409);
    expect((await patch(id, { starts_at: at(60 * HOUR).toISOString() })).status).toBe(409);
  });

  it('the lifecycle job queues "started" at the start and "completed" at the end, once', async () => {
    const id = await schedule(10 * HOUR, 12 * HOUR);
    t.clock.set(at(10 * HOUR));
    expect(await advanceMaintenanceWindows(db(), t.clock.now())).toEqual([id]);
    expect(await advanceMaintenanceWindows(db(), t.clock.now())).toEqual([]);
    expect((await outboxRows(db(), { kind: 'maintenance.started' })).map((r) => r.idempotencyKey)).toEqual(
      subs.map((s) => `maintenance:${id}:started:${s}`).sort(),
    );
    // The 1 h reminder (due at 9 h) was never run: it is dropped, not sent after the start.
    await runJob();
    expect(await reminderRows()).toEqual([]);
    t.clock.set(at(12 * HOUR));
    expect(await advanceMaintenanceWindows(db(), t.clock.now())).toEqual([id]);
    expect((await outboxRows(db(), { kind: 'maintenance.completed' })).map((r) => r.idempotencyKey)).toEqual(
      subs.map((s) => `maintenance:${id}:completed:${s}`).sort(),
    );
    expect((await db().select().from(maintenances))[0]!.status).toBe('completed');
  });

  it('a window that passed entirely while the worker was down gets only the "completed" notice', async () => {
    const id = await schedule(10 * HOUR, 12 * HOUR);
    t.clock.set(at(13 * HOUR));
    await advanceMaintenanceWindows(db(), t.clock.now());
    expect(await outboxRows(db(), { kind: 'maintenance.started' })).toEqual([]);
    expect(await outboxRows(db(), { kind: 'maintenance.completed' })).toHaveLength(2);
    expect((await notices(id)).find((n) => n.kind === 'started')).toMatchObject({ state: 'skipped', reason: 'window_already_over' });
  });

  it('start now and complete early, through the admin API', async () => {
    const id = await schedule(10 * HOUR, 12 * HOUR);
    expect((await t.request(`/api/admin/maintenances/${id}/complete`, { method: 'POST' })).status).toBe(409);
    t.clock.set(at(9 * HOUR + 30 * MINUTE));
    const started = await t.request(`/api/admin/maintenances/${id}/start`, { method: 'POST' });
    expect(started.status).toBe(200);
    expect(((await started.json()) as { maintenance: { status: string } }).maintenance.status).toBe('in_progress');
    expect((await t.request(`/api/admin/maintenances/${id}/start`, { method: 'POST' })).status).toBe(409);
    expect((await t.request(`/api/admin/maintenances/${id}/cancel`, { method: 'POST' })).status).toBe(409);
    t.clock.set(at(11 * HOUR));
    const done = await t.request(`/api/admin/maintenances/${id}/complete`, { method: 'POST' });
    expect(((await done.json()) as { maintenance: { status: string; resolved_at: string } }).maintenance).toMatchObject({
      status: 'completed',
      resolved_at: at(11 * HOUR).toISOString(),
    });
    expect(await outboxRows(db(), { kind: 'maintenance.started' })).toHaveLength(2);
    expect(await outboxRows(db(), { kind: 'maintenance.completed' })).toHaveLength(2);
    expect(await advanceMaintenanceWindows(db(), at(13 * HOUR))).toEqual([]);
  });

  it('an upstream window is announced once when first seen, with no reminders, and cannot be edited here', async () => {
    await db().insert(maintenances).values({
      id: 'up1',
      title: 'Google <b>Workspace</b> maintenance',
      status: 'scheduled',
      startsAt: at(2 * HOUR),
      endsAt: at(3 * HOUR),
      createdAt: NOW,
      updatedAt: NOW,
      createdBy: 'upstream',
      sourceId: 'gws',
      upstreamId: 'g-123',
    });
    await db().insert(maintenanceComponents).values({ maintenanceId: 'up1', componentId: 'correo' });
    expect((await runJob()).announced).toBe(1);
    expect((await runJob()).announced).toBe(0);
    const rows = await outboxRows(db());
    expect(rows.map((r) => `${r.kind} ${r.target}`).sort()).toEqual(['maintenance.announcement b@cliente.example', 'maintenance.announcement otro@cliente.example']);
    for (const row of rows) expect(row.notice).toMatchObject({ upstream: { name: 'Google Workspace' } });
    expect((await notices('up1')).map((n) => n.kind)).toEqual(['announcement']);
    expect((await patch('up1', { title: 'x' })).status).toBe(409);
    t.clock.set(at(2 * HOUR));
    expect(await advanceMaintenanceWindows(db(), t.clock.now())).toEqual([]);
  });
});
