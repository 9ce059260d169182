import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outbox } from '../../db/schema/index.ts';
import { queueSlaWarnings } from '../../worker/incidents/breach-warnings.ts';
import { localMidnight, parseReportRange } from '../../worker/reports/range.ts';
import { testApp } from '../helpers/app.ts';

describe('report ranges', () => {
  it('reads a month as local days in the provider time zone', () => {
    const range = parseReportRange({ month: '2026-11' }, 'America/Bogota');
    expect(range.from.toISOString()).toBe('2026-11-01T05:00:00.000Z');
    expect(range.to.toISOString()).toBe('2026-12-01T05:00:00.000Z');
  });

  it('keeps local midnight right across a daylight-saving change', () => {
    expect(localMidnight('2026-03-08', 'America/New_York').toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(localMidnight('2026-03-09', 'America/New_York').toISOString()).toBe('2026-03-09T04:00:00.000Z');
  });

  it('takes from/to dates inclusively and instants as they are', () => {
    const days = parseReportRange({ from: '2026-11-01', to: '2026-11-15' }, 'America/Bogota');
    expect(days.to.toISOString()).toBe('2026-11-16T05:00:00.000Z');
    const instants = parseReportRange({ from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z' }, 'America/Bogota');
    expect(instants.from.toISOString()).toBe('2026-11-01T00:00:00.000Z');
  });

  it('names the bad parameter', () => {
    expect(() => parseReportRange({ month: '2026-13' }, 'UTC')).toThrow('month: "2026-13" is not a month (YYYY-MM)');
    expect(() => parseReportRange({ from: '2026-02-30', to: '2026-03-01' }, 'UTC')).toThrow('from: "2026-02-30" is not a real date');
    expect(() => parseReportRange({ from: 'yesterday', to: '2026-03-01' }, 'UTC')).toThrow(/^from: "yesterday" is neither/);
    expect(() => parseReportRange({ from: '2026-03-02', to: '2026-03-01' }, 'UTC')).toThrow('to must be after from');
    expect(() => parseReportRange({}, 'UTC')).toThrow('give month=YYYY-MM, or both from and to');
  });
});

describe('SLA report and breach warnings through the admin API', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeEach(async () => {
    t = await testApp({ now: '2026-11-02T13:00:00Z' });
  });
  afterEach(() => t.close());

  const open = async (json: Record<string, unknown>) => {
    const response = await t.request('/api/admin/incidents', { method: 'POST', json: { message: 'x', ...json } });
    expect(response.status).toBe(201);
    return ((await response.json()) as any).incident;
  };
  const update = (id: string, json: Record<string, unknown>) => t.request(`/api/admin/incidents/${id}/updates`, { method: 'POST', json });

  it("shows the month's compliance per severity and availability per component", async () => {
    // Severity 1 on the always clock: responded at once, resolved after 2 h (target 5 h) → met.
    const a = await open({ title: 'Caída total', severity: 1, components: ['hosting'] });
    t.clock.advance(2 * 3_600_000);
    await update(a.id, { status: 'resolved', message: 'ok' });
    // Severity 1 again, resolved after 6 h → resolution breached.
    t.clock.set('2026-11-03T13:00:00Z');
    const b = await open({ title: 'Otra caída', severity: 1, components: ['hosting'] });
    t.clock.advance(6 * 3_600_000);
    await update(b.id, { status: 'resolved', message: 'ok' });
    // Severity 3, still open.
    await open({ title: 'Lento', severity: 3, components: ['correo'] });

    t.clock.set('2026-12-01T12:00:00Z');
    const response = await t.request('/api/admin/reports/sla?month=2026-11');
    expect(response.status).toBe(200);
    const { range, report } = (await response.json()) as any;
    expect(range).toMatchObject({ from: '2026-11-01T05:00:00.000Z', to: '2026-12-01T05:00:00.000Z' });
    const critical = report.severities.find((s: any) => s.level === 1);
    expect(critical.count).toBe(2);
    expect(critical.resolution).toMatchObject({ met: 1, breached: 1, within_target_share: 0.5 });
    expect(critical.resolution.median_ms).toBe(2 * 3_600_000);
    const medium = report.severities.find((s: any) => s.level === 3);
    expect(medium.count).toBe(1);
    const hosting = report.components.find((c: any) => c.component_id === 'hosting');
    // 8 h of severity-1 outage in a 30-day month.
    expect(hosting.outage_ms).toBe(8 * 3_600_000);
    expect(hosting.availability).toBeCloseTo(1 - 8 / (30 * 24), 6);
    expect(report.timeline.map((e: any) => e.title)).toEqual(['Caída total', 'Otra caída', 'Lento']);

    const csv = await t.request('/api/admin/reports/sla?month=2026-11&format=csv');
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = await csv.text();
    expect(text.split('\r\n')[0]).toMatch(/^section,/);
    expect(text).toContain('hosting');
  });

  it('shows an incident still open from the month before on the timeline and as carried over', async () => {
    t.clock.set('2026-10-30T15:00:00Z');
    await open({ title: 'Correo caído', severity: 2, components: ['correo'] });
    t.clock.set('2026-12-01T12:00:00Z');
    const { report } = (await (await t.request('/api/admin/reports/sla?month=2026-11')).json()) as any;
    const high = report.severities.find((s: any) => s.level === 2);
    expect(high).toMatchObject({ count: 0, counted: 0, carried_over: 1 });
    expect(report.timeline).toEqual([expect.objectContaining({ title: 'Correo caído', severity: 2, started_before_range: true })]);
    // The whole month without the service.
    expect(report.components.find((c: any) => c.component_id === 'correo').availability).toBe(0);
    const csv = await (await t.request('/api/admin/reports/sla?month=2026-11&format=csv')).text();
    const [header, , second] = csv.split('\r\n').map((line) => line.split(','));
    expect(second![header!.indexOf('carried_over')]).toBe('1');
  });

  it('answers 400 naming the bad range parameter', async () => {
    const response = await t.request('/api/admin/reports/sla?month=noviembre');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code: 'invalid_range', message: 'month: "noviembre" is not a month (YYYY-MM)' } });
  });

  it('warns the admins once when an open incident nears its target, and flags it in the admin view', async () => {
    const incident = await open({ title: 'Caída total', severity: 1, components: ['hosting'] });
    // Resolution due in 5 h; margin 30 min.
    expect(await queueSlaWarnings(t.ctx.db, t.ctx.config, t.clock.now())).toBe(0);
    t.clock.advance(4 * 3_600_000 + 40 * 60_000);
    expect(await queueSlaWarnings(t.ctx.db, t.ctx.config, t.clock.now())).toBe(1);
    t.clock.advance(60_000);
    expect(await queueSlaWarnings(t.ctx.db, t.ctx.config, t.clock.now())).toBe(0);
    const rows = await t.ctx.db.select().from(outbox).where(eq(outbox.kind, 'admin.sla_warning'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ target: 'ops@prueba.example', incidentId: incident.id });
    expect(rows[0]!.notice).toMatchObject({ target: 'resolution', breached: false, dueAt: '2026-11-02T18:00:00.000Z' });

    const list = (await (await t.request('/api/admin/incidents?status=open')).json()) as any;
    expect(list.incidents[0].sla_alerts).toEqual([{ target: 'resolution', due_at: '2026-11-02T18:00:00.000Z', breached: false }]);
  });
});
