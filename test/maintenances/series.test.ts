import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { maintenances } from '../../db/schema/index.ts';
import { scheduleDueOccurrences } from '../../worker/maintenances/series.ts';
import { noticePolicy } from '../../worker/maintenances/service.ts';
import { testApp } from '../helpers/app.ts';
import { insertSubscriber, outboxRows } from '../notices/fixtures.ts';


/**
 * Recurring windows: every Sunday 02:00–04:00 Bogotá (07:00–09:00 UTC), created on Friday 20 November 2026 at 15:00
 * UTC. Each occurrence is scheduled, and announced, a set time before it starts, under the eight-hour notice rule.
 */
describe('recurring maintenance windows', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeEach(async () => {
    t = await testApp({ now: '2026-11-20T15:00:00Z' });
    await insertSubscriber(t.database.db, { email: 'ops@cliente.example' });
  });
  afterEach(() => t.close());

  const create = async (body: Record<string, unknown>) => {
    const response = await t.request('/api/admin/maintenances/series', {
      method: 'POST',
      json: { title: 'Parches semanales', rrule: 'FREQ=WEEKLY;BYDAY=SU', first_start: '2026-11-22T02:00', time_zone: 'America/Bogota', duration_minutes: 120, component_ids: ['hosting'], ...body },
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const windows = () => t.database.db.select().from(maintenances).orderBy(maintenances.startsAt);
  const tick = () => scheduleDueOccurrences(t.database.db, t.clock.now(), noticePolicy(t.ctx.config));

  it('schedules and announces at once the occurrences already within their lead, and the rest when their time comes', async () => {
    const { status, body } = await create({ announce_ahead_hours: 3 * 24 });
    expect(status).toBe(201);
    // Sunday 22 November is within three days: scheduled now; 29 November will be scheduled on the 26th.
    expect(body.series.occurrences.slice(0, 2)).toMatchObject([
      { starts_at: '2026-11-22T07:00:00.000Z', ends_at: '2026-11-22T09:00:00.000Z', announce_at: '2026-11-19T07:00:00.000Z', status: 'scheduled' },
      { starts_at: '2026-11-29T07:00:00.000Z', announce_at: '2026-11-26T07:00:00.000Z', maintenance_id: null, status: null },
    ]);
    expect((await windows()).map((w) => [w.startsAt.toISOString(), w.seriesId])).toEqual([['2026-11-22T07:00:00.000Z', body.series.id]]);
    expect((await outboxRows(t.database.db, { kind: 'maintenance.announcement' })).map((r) => r.target)).toEqual(['ops@cliente.example']);

    t.clock.set('2026-11-26T06:59:00Z');
    expect((await tick()).scheduled).toEqual([]);
    t.clock.set('2026-11-26T07:00:00Z');
    const run = await tick();
    expect(run.scheduled.map((s) => s.startsAt.toISOString())).toEqual(['2026-11-29T07:00:00.000Z']);
    // Once: another tick, or another worker's, finds it recorded.
    expect((await tick()).scheduled).toEqual([]);
    expect((await windows()).length).toBe(2);
    expect((await outboxRows(t.database.db, { kind: 'maintenance.announcement' })).length).toBe(2);
  });

  it('skips an occurrence that can no longer be announced with the minimum notice, and says so', async () => {
    t.clock.set('2026-11-21T20:00:00Z');
    const { body } = await create({ announce_ahead_hours: 3 * 24 });
    // 22 November 07:00 UTC is only 11 h away: still fine. Two hours before it, a new series could not announce it.
    expect((await windows()).length).toBe(1);
    await t.database.db.delete(maintenances).where(eq(maintenances.seriesId, body.series.id));
    t.clock.set('2026-11-22T02:00:00Z');
    const run = await tick();
    expect(run.scheduled).toEqual([]);
    expect(run.missed.map((m) => m.startsAt.toISOString())).toEqual(['2026-11-22T07:00:00.000Z']);
  });

  it('stops scheduling once stopped; what was scheduled stays', async () => {
    const { body } = await create({ announce_ahead_hours: 3 * 24 });
    const stopped = await t.request(`/api/admin/maintenances/series/${body.series.id}`, { method: 'DELETE' });
    expect(stopped.status).toBe(204);
    t.clock.set('2026-12-10T00:00:00Z');
    expect((await tick()).scheduled).toEqual([]);
    expect((await windows()).length).toBe(1);
    const again = await t.request(`/api/admin/maintenances/series/${body.series.id}`, { method: 'DELETE' });
    expect(again.status).toBe(409);
  });

  it('refuses a lead shorter than the minimum notice, a rule it cannot use, and an unknown zone', async () => {
    await expect(create({ announce_ahead_hours: 7 })).resolves.toMatchObject({ status: 422, body: { error: { code: 'notice_too_short' } } });
    await expect(create({ rrule: 'FREQ=HOURLY' })).resolves.toMatchObject({ status: 422, body: { error: { code: 'invalid_recurrence' } } });
    await expect(create({ time_zone: 'Mars/Olympus' })).resolves.toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
    expect(await windows()).toEqual([]);
  });
});
