import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp } from '../helpers/app.ts';

describe('admin incidents API', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeEach(async () => {
    t = await testApp({ now: '2026-11-20T15:00:00Z' });
  });
  afterEach(() => t.close());

  const create = (json: unknown) => t.request('/api/admin/incidents', { method: 'POST', json });

  it('opens an incident with its components, first update and a publish signal', async () => {
    const response = await create({ title: 'Caída parcial', severity: 2, message: 'Investigando.', components: ['correo', { id: 'hosting', status: 'degraded_performance' }] });
    expect(response.status).toBe(201);
    const { incident } = (await response.json()) as any;
    expect(incident).toMatchObject({ name: 'Caída parcial', status: 'investigating', severity: 2, impact: 'major' });
    expect(incident.affected_components_status).toEqual([
      { id: 'correo', status: 'partial_outage' },
      { id: 'hosting', status: 'degraded_performance' },
    ]);
    expect(incident.incident_updates).toHaveLength(1);
    expect(t.published).toEqual(['incident opened']);
  });

  it('names the bad field in a 400', async () => {
    const cases: [unknown, RegExp][] = [
      [{ title: 'x', severity: 5, message: 'y' }, /severity: must be a severity 1, 2, 3 or 4/],
      [{ title: 'x', severity: 1 }, /message: is required/],
      [{ title: 'x', severity: 1, message: 'y', status: 'broken' }, /status: /],
      [{ title: 'x', severity: 1, message: 'y', started_at: '2026-11-20 10:00' }, /started_at: must be an ISO-8601 instant with an offset/],
      [{ title: 'x', severity: 1, message: 'y', extra: true }, /unknown field "extra"/],
    ];
    for (const [json, message] of cases) {
      const response = await create(json);
      expect(response.status).toBe(400);
      const body = (await response.json()) as any;
      expect(body.error.code).toBe('invalid_request');
      expect(body.error.message).toMatch(message);
    }
  });

  it('refuses an unknown component with 422 naming it', async () => {
    const response = await create({ title: 'x', severity: 1, message: 'y', components: ['correo', 'gmail'] });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({ error: { code: 'unknown_component', message: 'components[1].id: unknown component "gmail"' } });
  });

  it('keeps a back-dated start, and refuses an update dated before it', async () => {
    const { incident } = (await (await create({ title: 'x', severity: 3, message: 'y', started_at: '2026-11-20T09:00:00-05:00' })).json()) as any;
    expect(incident.started_at).toBe('2026-11-20T14:00:00.000Z');
    const response = await t.request(`/api/admin/incidents/${incident.id}/updates`, {
      method: 'POST',
      json: { status: 'identified', message: 'z', at: '2026-11-20T13:59:00Z' },
    });
    expect(response.status).toBe(422);
    expect(((await response.json()) as any).error.code).toBe('timeline_backwards');
  });

  it('records every severity change with who, when and why, and resolves', async () => {
    const { incident } = (await (await create({ title: 'x', severity: 3, message: 'y', components: ['correo'] })).json()) as any;
    t.clock.advance(10 * 60_000);
    const raised = await t.request(`/api/admin/incidents/${incident.id}/updates`, {
      method: 'POST',
      json: { status: 'identified', message: 'Es una caída total.', severity: 1, severity_reason: 'Afecta a todos los clientes' },
    });
    expect(raised.status).toBe(201);
    const after = ((await raised.json()) as any).incident;
    expect(after.severity).toBe(1);
    expect(after.impact).toBe('critical');
    expect(after.severity_history).toEqual([{ from: 3, to: 1, at: '2026-11-20T15:10:00.000Z', by: 'admin', reason: 'Afecta a todos los clientes' }]);

    t.clock.advance(10 * 60_000);
    const resolved = ((await (await t.request(`/api/admin/incidents/${incident.id}/updates`, { method: 'POST', json: { status: 'resolved', message: 'Listo.' } })).json()) as any).incident;
    expect(resolved.status).toBe('resolved');
    expect(resolved.resolved_at).toBe('2026-11-20T15:20:00.000Z');
    expect(resolved.sla.resolved_at).toBe('2026-11-20T15:20:00.000Z');
    const summary = (await (await t.request('/api/v2/summary.json')).json()) as any;
    expect(summary.incidents).toHaveLength(0);
    expect(summary.components.find((c: any) => c.id === 'correo').status).not.toBe('major_outage');
  });

  it('still shows and updates an incident resolved long ago (no longer on the public page)', async () => {
    const { incident } = (await (await create({ title: 'Antiguo', severity: 2, message: 'x', components: ['hosting'] })).json()) as any;
    await t.request(`/api/admin/incidents/${incident.id}/updates`, { method: 'POST', json: { status: 'resolved', message: 'Listo.' } });
    t.clock.advance(200 * 86_400_000);
    const published = (await (await t.request('/api/v2/incidents.json')).json()) as any;
    expect(published.incidents).toHaveLength(0);
    const shown = await t.request(`/api/admin/incidents/${incident.id}`);
    expect(shown.status).toBe(200);
    const postmortem = await t.request(`/api/admin/incidents/${incident.id}/updates`, { method: 'POST', json: { status: 'postmortem', message: 'Causa raíz: disco.' } });
    expect(postmortem.status).toBe(201);
    expect(((await postmortem.json()) as any).incident.status).toBe('postmortem');
  });

  it('answers 404 JSON for an update to an unknown incident', async () => {
    const response = await t.request('/api/admin/incidents/nope/updates', { method: 'POST', json: { status: 'resolved', message: 'z' } });
    expect(response.status).toBe(404);
    expect(((await response.json()) as any).error).toEqual({ code: 'not_found', message: 'incident "nope" not found' });
  });
});
