import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { maintenances, outbox } from '../../db/schema/index.ts';
import { checkLateNotices, summariseNotice } from '../../worker/maintenances/notice-guarantee.ts';
import { testApp } from '../helpers/app.ts';
import { HOUR, insertSubscriber, MINUTE, outboxRows } from '../notices/fixtures.ts';

const NOW = new Date('2026-11-20T15:00:00Z');
const at = (ms: number) => new Date(NOW.getTime() + ms);

interface NoticeView {
  recipients: number;
  notified: number;
  all_ahead: boolean;
  earliest_allowed_late_at: string | null;
  late_count: number;
  status: string;
}

describe('the notice guarantee, measured from what the mail provider accepted', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let id: string;
  beforeEach(async () => {
    t = await testApp({ now: NOW });
    await insertSubscriber(t.database.db, { email: 'a@cliente.example' });
    await insertSubscriber(t.database.db, { email: 'b@cliente.example', components: ['hosting'] });
    // Starts 8 h 1 min after it is scheduled: the announcement must be accepted within the minute.
    const res = await t.request('/api/admin/maintenances', {
      method: 'POST',
      json: { title: 'Migración', starts_at: at(8 * HOUR + MINUTE).toISOString(), ends_at: at(9 * HOUR).toISOString(), component_ids: ['hosting'] },
    });
    id = ((await res.json()) as { maintenance: { id: string } }).maintenance.id;
  });
  afterEach(() => t.close());

  const db = () => t.database.db;
  const accept = async (recipient: string, sentAt: Date) =>
    db().update(outbox).set({ state: 'sent', sentAt }).where(eq(outbox.target, recipient));
  const show = async () =>
    ((await (await t.request(`/api/admin/maintenances/${id}`)).json()) as { maintenance: { notice: NoticeView; suggested_start: string | null; late_notice_at: string | null } })
      .maintenance;

  it('is ok when every announcement was accepted before start − min_notice', async () => {
    expect((await show()).notice).toMatchObject({ recipients: 2, notified: 0, status: 'pending', all_ahead: false });
    await accept('a@cliente.example', at(20_000));
    await accept('b@cliente.example', at(MINUTE));
    t.clock.set(at(10 * MINUTE));
    expect(await checkLateNotices(db(), t.ctx.config, t.clock.now())).toEqual([]);
    expect((await show()).notice).toEqual({
      recipients: 2,
      notified: 2,
      all_ahead: true,
      earliest_allowed_late_at: at(MINUTE).toISOString(),
      late_count: 0,
      status: 'ok',
      by_channel: { email: { recipients: 2, notified: 2, all_ahead: true, late_count: 0, status: 'ok' } },
    });
  });

  it('marks the window late when an announcement was accepted after the deadline, tells the admins once, and offers a start', async () => {
    await accept('a@cliente.example', at(20_000));
    await accept('b@cliente.example', at(5 * MINUTE));
    t.clock.set(at(6 * MINUTE));
    expect(await checkLateNotices(db(), t.ctx.config, t.clock.now())).toEqual([id]);
    t.clock.set(at(7 * MINUTE));
    expect(await checkLateNotices(db(), t.ctx.config, t.clock.now())).toEqual([]);

    const adminMails = await outboxRows(db(), { kind: 'admin.late_notice' });
    expect(adminMails).toHaveLength(1);
    expect(adminMails[0]).toMatchObject({ target: 'ops@prueba.example', subscriberId: null, maintenanceId: id });
    expect(adminMails[0]!.notice).toMatchObject({ maintenanceId: id, lateCount: 1, recipients: 2, suggestedStart: '2026-11-20T23:15:00.000Z' });

    const view = await show();
    expect(view.notice).toMatchObject({ recipients: 2, notified: 2, all_ahead: false, late_count: 1, status: 'late' });
    expect(view.late_notice_at).toBe(at(6 * MINUTE).toISOString());
    // Now (15:07) + 8 h = 23:07, rounded up to the next quarter hour.
    expect(view.suggested_start).toBe('2026-11-20T23:15:00.000Z');
    const stored = (await db().select().from(maintenances).where(eq(maintenances.id, id)))[0]!;
    expect(stored.lateNoticeCount).toBe(1);
  });

  it('counts an announcement still unaccepted after the deadline as late (worker down, provider failing)', async () => {
    await accept('a@cliente.example', at(20_000));
    t.clock.set(at(30_000));
    expect(await checkLateNotices(db(), t.ctx.config, t.clock.now())).toEqual([]);
    expect((await show()).notice.status).toBe('pending');
    t.clock.set(at(2 * MINUTE));
    expect(await checkLateNotices(db(), t.ctx.config, t.clock.now())).toEqual([id]);
    expect((await show()).notice).toMatchObject({ notified: 1, late_count: 1, status: 'late' });
  });

  it('taking the suggested start clears the mark: the announcement now came well ahead', async () => {
    await accept('a@cliente.example', at(3 * MINUTE));
    await accept('b@cliente.example', at(3 * MINUTE));
    t.clock.set(at(4 * MINUTE));
    await checkLateNotices(db(), t.ctx.config, t.clock.now());
    const { suggested_start } = await show();
    const res = await t.request(`/api/admin/maintenances/${id}`, { method: 'PATCH', json: { starts_at: suggested_start, ends_at: at(10 * HOUR).toISOString() } });
    expect(res.status).toBe(200);
    const view = await show();
    expect(view.notice).toMatchObject({ all_ahead: true, late_count: 0, status: 'ok' });
    expect(view.suggested_start).toBeNull();
    expect(await checkLateNotices(db(), t.ctx.config, at(5 * MINUTE))).toEqual([]);
  });

  it('after a move to an earlier start, measures the reschedule notice that told of it', async () => {
    await accept('a@cliente.example', at(20_000));
    await accept('b@cliente.example', at(20_000));
    // Move a second window earlier; the first one above keeps its on-time announcement.
    const res = await t.request('/api/admin/maintenances', {
      method: 'POST',
      json: { title: 'Otra', starts_at: at(48 * HOUR).toISOString(), ends_at: at(49 * HOUR).toISOString() },
    });
    const other = ((await res.json()) as { maintenance: { id: string } }).maintenance.id;
    t.clock.set(at(HOUR));
    const moved = await t.request(`/api/admin/maintenances/${other}`, { method: 'PATCH', json: { starts_at: at(10 * HOUR).toISOString() } });
    expect(moved.status).toBe(200);
    const view = ((await moved.json()) as { maintenance: { notice: NoticeView } }).maintenance.notice;
    // A window naming no components concerns every subscriber; the reschedule notice to both is still unsent.
    expect(view).toMatchObject({ recipients: 2, notified: 0, status: 'pending', earliest_allowed_late_at: at(2 * HOUR).toISOString() });
    await db().update(outbox).set({ state: 'sent', sentAt: at(2 * HOUR + 1) }).where(eq(outbox.kind, 'maintenance.rescheduled'));
    t.clock.set(at(3 * HOUR));
    expect(await checkLateNotices(db(), t.ctx.config, t.clock.now())).toEqual([other]);
  });

  it('has no notice summary for a window that notifies nobody, and never judges upstream windows', async () => {
    const quiet = await t.request('/api/admin/maintenances', {
      method: 'POST',
      json: { title: 'Silenciosa', notify: false, starts_at: at(9 * HOUR).toISOString(), ends_at: at(10 * HOUR).toISOString() },
    });
    expect(((await quiet.json()) as { maintenance: { notice: unknown } }).maintenance.notice).toBeNull();
    await db().insert(maintenances).values({
      id: 'up1',
      title: 'Proveedor',
      status: 'scheduled',
      startsAt: at(HOUR),
      endsAt: at(2 * HOUR),
      createdAt: NOW,
      updatedAt: NOW,
      sourceId: 'gws',
      upstreamId: 'x',
    });
    t.clock.set(at(30 * MINUTE));
    await checkLateNotices(db(), t.ctx.config, t.clock.now());
    expect((await db().select().from(maintenances).where(eq(maintenances.id, 'up1')))[0]!.lateNoticeAt).toBeNull();
  });
});

describe('summariseNotice', () => {
  const deadline = new Date('2026-11-20T16:00:00Z');
  const now = new Date('2026-11-20T15:00:00Z');
  const sent = (iso: string) => ({ state: 'sent' as const, sentAt: new Date(iso) });
  const pending = { state: 'pending' as const, sentAt: null };

  it('with no recipients is ok', () => {
    expect(summariseNotice([], deadline, now, false)).toMatchObject({ recipients: 0, notified: 0, all_ahead: true, status: 'ok' });
  });
  it('accepted exactly at the deadline is on time', () => {
    expect(summariseNotice([sent('2026-11-20T16:00:00Z')], deadline, now, false)).toMatchObject({ late_count: 0, status: 'ok' });
  });
  it('one millisecond after is late', () => {
    expect(summariseNotice([sent('2026-11-20T16:00:00.001Z')], deadline, now, false)).toMatchObject({ late_count: 1, status: 'late', all_ahead: false });
  });
  it('pending before the deadline is pending; after it, late', () => {
    expect(summariseNotice([pending], deadline, now, false)).toMatchObject({ late_count: 0, status: 'pending' });
    expect(summariseNotice([pending], deadline, new Date('2026-11-20T16:00:01Z'), false)).toMatchObject({ late_count: 1, status: 'late' });
  });
  it('a failed message is not a notified recipient', () => {
    expect(summariseNotice([{ state: 'failed' as const, sentAt: null }], deadline, now, false)).toMatchObject({ notified: 0, status: 'pending' });
  });
  it('without a deadline (upstream windows) nothing is late', () => {
    expect(summariseNotice([pending], null, new Date('2030-01-01T00:00:00Z'), false)).toMatchObject({ late_count: 0, status: 'pending', earliest_allowed_late_at: null });
  });
  it('a stored mark keeps the window late', () => {
    expect(summariseNotice([sent('2026-11-20T15:00:00Z')], deadline, now, true).status).toBe('late');
  });
});
