import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { incidents } from '../../db/schema/index.ts';
import { loadIncidentView, withIncidentDetails } from '../../worker/status/read-model.ts';
import { testApp } from '../helpers/app.ts';

/**
 * A write answers with the incident built from what it stored, and the incident is read back in one statement:
 * both must be exactly what reading it the plain way gives.
 */
describe('admin incident answers', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeEach(async () => {
    t = await testApp({ now: '2026-11-20T15:00:00Z' });
  });
  afterEach(() => t.close());

  const post = async (path: string, json: unknown) => {
    const response = await t.request(path, { method: 'POST', json });
    expect(response.status).toBe(201);
    return ((await response.json()) as any).incident;
  };
  const get = async (id: string) => ((await (await t.request(`/api/admin/incidents/${id}`)).json()) as any).incident;

  it('answer each write with what reading the incident afterwards shows', async () => {
    const opened = await post('/api/admin/incidents', {
      title: 'Caída del correo',
      severity: 3,
      message: 'Investigamos.',
      components: ['correo', { id: 'hosting', status: 'degraded_performance' }],
      started_at: '2026-11-20T09:00:00-05:00',
    });
    expect(opened).toEqual(await get(opened.id));

    // Same instant as the opening post, a severity change, a component added, a back-dated update, then resolved.
    const answers = [
      await post(`/api/admin/incidents/${opened.id}/updates`, { status: 'identified', message: 'Es el disco.' }),
      await post(`/api/admin/incidents/${opened.id}/updates`, {
        status: 'identified',
        message: 'Afecta a todos.',
        severity: 1,
        severity_reason: 'Todos los clientes',
        components: ['telefonia', { id: 'correo', status: 'partial_outage' }],
      }),
      await post(`/api/admin/incidents/${opened.id}/updates`, { status: 'monitoring', message: 'Aplicamos un arreglo.', at: '2026-11-20T14:30:00Z' }),
    ];
    t.clock.advance(60_000);
    answers.push(await post(`/api/admin/incidents/${opened.id}/updates`, { status: 'resolved', message: 'Listo.' }));
    const last = answers.at(-1);
    expect(last).toEqual(await get(opened.id));
    expect(last.incident_updates).toHaveLength(5);
    expect(last.severity_history).toHaveLength(1);
    expect(last.components.map((c: any) => c.id)).toEqual(['correo', 'hosting', 'telefonia']);
    expect(answers[1].components.map((c: any) => [c.id, c.status])).toEqual([
      ['correo', 'partial_outage'],
      ['hosting', 'degraded_performance'],
      ['telefonia', 'major_outage'],
    ]);
  });

  it('read one incident in one statement exactly as the published state reads it', async () => {
    const opened = await post('/api/admin/incidents', { title: 'x', severity: 2, message: 'a', components: ['correo', 'hosting'] });
    for (const [status, message] of [
      ['identified', 'b'],
      ['identified', 'c'],
      ['monitoring', 'd'],
    ]) {
      await post(`/api/admin/incidents/${opened.id}/updates`, { status, message, severity: message === 'c' ? 1 : undefined });
    }
    t.clock.advance(1_000);
    await post(`/api/admin/incidents/${opened.id}/updates`, { status: 'resolved', message: 'e', severity: 4, components: ['telefonia'] });
    const rows = await t.database.db.select().from(incidents).where(eq(incidents.id, opened.id));
    const [plain] = await withIncidentDetails(t.database.db, rows);
    const view = await loadIncidentView(t.database.db, opened.id);
    expect(view).toEqual(plain);
    expect(view!.updates.map((u) => u.body)).toEqual(['e', 'd', 'c', 'b', 'a']);
    expect(await loadIncidentView(t.database.db, 'nope')).toBeUndefined();
  });
});
