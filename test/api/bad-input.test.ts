import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readEnv } from '../../worker/env.ts';
import { testApp } from '../helpers/app.ts';

/** Bodies that once answered 500 or were taken wrongly: each now answers 400 with the API's error, saying why. */
describe('bad input to the admin API', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeEach(async () => {
    t = await testApp({ now: '2026-11-20T15:00:00Z' });
  });
  afterEach(() => t.close());

  const post = (path: string, json: unknown) => t.request(path, { method: 'POST', json });
  const incident = (extra: Record<string, unknown> = {}) => ({ title: 'Caída', severity: 2, message: 'Investigando.', ...extra });
  const errorOf = async (response: Response) => ((await response.json()) as { error: { code: string; message: string } }).error;
  const count = async (table: string) => (await t.ctx.db.get<{ n: number }>(`select count(*) as n from ${table}`))!.n;

  it('takes a component listed twice once, instead of failing on the database', async () => {
    const response = await post('/api/admin/incidents', incident({ components: ['correo', 'correo', { id: 'correo' }] }));
    expect(response.status).toBe(201);
    const body = (await response.json()) as { incident: { affected_components_status: unknown[] } };
    expect(body.incident.affected_components_status).toEqual([{ id: 'correo', status: 'partial_outage' }]);

    const twice = await post('/api/admin/incidents', incident({ components: [{ id: 'correo', status: 'major_outage' }, { id: 'correo', status: 'operational' }] }));
    expect(twice.status).toBe(400);
    expect((await errorOf(twice)).message).toMatch(/components\[1\]: "correo" is listed twice with different states/);

    const window = await post('/api/admin/maintenances', { title: 'Ventana', starts_at: '2026-11-22T03:00:00Z', ends_at: '2026-11-22T04:00:00Z', component_ids: ['correo', 'correo'] });
    expect(window.status).toBe(201);
  });

  it('answers 10,000 ids with a short 400 and stores nothing', async () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `c${i}`);
    const before = await count('incidents');
    for (const [path, body] of [
      ['/api/admin/incidents', incident({ components: ids })],
      ['/api/admin/maintenances', { title: 'Ventana', starts_at: '2026-11-22T03:00:00Z', ends_at: '2026-11-22T04:00:00Z', component_ids: ids }],
    ] as const) {
      const response = await post(path, body);
      expect(response.status).toBe(400);
      const error = await errorOf(response);
      expect(error.message).toMatch(/must have at most 200/);
      expect(error.message.length).toBeLessThan(500);
    }
    // 150 items each of the wrong type: ten of them named, the rest counted.
    const wrong = await post('/api/admin/incidents', incident({ components: ids.slice(0, 150).map((_, i) => i) }));
    expect(wrong.status).toBe(400);
    expect((await errorOf(wrong)).message).toMatch(/; and \d+ more problems$/);
    expect(await count('incidents')).toBe(before);
  });

  it('refuses impossible dates instead of rolling them over', async () => {
    const cases: [string, unknown][] = [
      ['/api/admin/incidents', incident({ started_at: '2026-02-30T10:00:00Z' })],
      ['/api/admin/maintenances', { title: 'Ventana', starts_at: '2027-02-30T10:00:00Z', ends_at: '2027-03-03T10:00:00Z' }],
      ['/api/admin/maintenances', { title: 'Ventana', starts_at: '2027-01-10T24:00:00Z', ends_at: '2027-01-11T10:00:00Z' }],
    ];
    for (const [path, json] of cases) {
      const response = await post(path, json);
      expect(response.status).toBe(400);
      expect((await errorOf(response)).message).toMatch(/is not a real (date|time of day)/);
    }
    const report = await t.request('/api/admin/reports/sla?from=2026-11-31T00:00:00Z&to=2026-12-02T00:00:00Z');
    expect(report.status).toBe(400);
    expect((await errorOf(report)).message).toMatch(/from: .*is not a real date/);
    expect(await count('incidents')).toBe(0);
    expect(await count('maintenances')).toBe(0);
  });

  it('refuses an update, a start or a resolution dated beyond the clock skew, and takes one within it', async () => {
    const future = await post('/api/admin/incidents', incident({ started_at: '2026-11-20T15:06:00Z' }));
    expect(future.status).toBe(400);
    expect((await errorOf(future)).message).toMatch(/started_at: 2026-11-20T15:06:00.000Z is in the future .*5 minutes/);

    const created = await post('/api/admin/incidents', incident({ started_at: '2026-11-20T15:04:00Z' }));
    expect(created.status).toBe(201);
    const { incident: opened } = (await created.json()) as { incident: { id: string } };
    for (const status of ['identified', 'resolved']) {
      const response = await post(`/api/admin/incidents/${opened.id}/updates`, { status, message: 'Hecho.', at: '9999-01-01T00:00:00Z' });
      expect(response.status).toBe(400);
      expect((await errorOf(response)).message).toMatch(/^invalid body: at: 9999-01-01T00:00:00.000Z is in the future/);
    }
    expect(await count('incident_updates')).toBe(1);
    // The app's clock decides: once it has moved on, the same date is fine.
    t.clock.set('2026-11-20T16:00:00Z');
    expect((await post(`/api/admin/incidents/${opened.id}/updates`, { status: 'resolved', message: 'Hecho.', at: '2026-11-20T15:59:00Z' })).status).toBe(201);
  });

  it('says a field of the wrong type must be of its type, and only a missing one is required', async () => {
    const wrong = await post('/api/admin/incidents', { title: 123, severity: 2, message: null, components: 'correo' });
    expect(wrong.status).toBe(400);
    const { message } = await errorOf(wrong);
    expect(message).toContain('title: must be a string');
    expect(message).toContain('message: must be a string');
    expect(message).toContain('components: must be a list of component ids');
    const missing = await post('/api/admin/incidents', { severity: 2, message: 'y' });
    expect((await errorOf(missing)).message).toBe('invalid body: title: is required');
  });
});

describe('ADMIN_TOKEN', () => {
  it('is trimmed before its length is checked', () => {
    expect(() => readEnv({ ADMIN_TOKEN: `${' '.repeat(16)}x` })).toThrow(/ADMIN_TOKEN: must be at least 16 characters/);
    expect(readEnv({ ADMIN_TOKEN: '  0123456789abcdef  ' }).ADMIN_TOKEN).toBe('0123456789abcdef');
  });
});
