import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../worker/config/load.ts';
import { testApp } from '../helpers/app.ts';
import { slaAlerts } from '../../worker/incidents/breach-warnings.ts';

const example = (name: string) => loadConfigFile(join(import.meta.dirname, '../../examples/policies', name));

/** Policies of other shapes through the admin API: a priority × impact matrix, and a target chosen by the start. */
describe('incident levels from the policy', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  afterEach(() => t.close());

  it('with a matrix, priority and impact give the level; changing either is an escalation in the history, with the due time recomputed', async () => {
    t = await testApp({ config: example('agencia-web-matriz.yaml'), now: '2026-11-20T19:30:00Z' });
    const created = await t.request('/api/admin/incidents', {
      method: 'POST',
      json: { title: 'Formulario de contacto caído', priority: 'media', impact: 'medio', message: 'Revisando.', components: ['formularios'], started_at: '2026-11-20T16:00:00-03:00' },
    });
    expect(created.status).toBe(201);
    const { incident } = (await created.json()) as any;
    expect(incident).toMatchObject({ severity: 5, cell: { priority: 'media', impact: 'medio' } });
    // "12 a 8 horas hábiles": due by the 12th business hour, Tuesday 10:00 in Buenos Aires.
    expect(incident.sla.response_due_at).toBe(new Date('2026-11-24T10:00:00-03:00').toISOString());
    // The public impact is the level's `statuspage_impact`.
    expect(incident.impact).toBe('minor');
    // …and so is the state it puts its components in when the admin does not say.
    expect(incident.components.map((c: any) => c.status)).toEqual(['degraded_performance']);
    const wide = await t.request('/api/admin/incidents', { method: 'POST', json: { title: 'Tiendas caídas', priority: 'media', impact: 'alto', message: 'x', components: ['tiendas'] } });
    // Level 4 here is "media · alto impacto" (major), not the shipped policy's "low": a partial outage.
    expect(((await wide.json()) as any).incident).toMatchObject({ severity: 4, impact: 'major', components: [expect.objectContaining({ status: 'partial_outage' })] });

    const raised = await t.request(`/api/admin/incidents/${incident.id}/updates`, { method: 'POST', json: { status: 'identified', message: 'Afecta a todas las tiendas.', priority: 'alta', severity_reason: 'Pagos caídos' } });
    expect(raised.status).toBe(201);
    const after = ((await raised.json()) as any).incident;
    // Alta / medio impacto is level 2: "menos de 1 hora" around the clock from the start.
    expect(after).toMatchObject({ severity: 2, cell: { priority: 'alta', impact: 'medio' }, impact: 'major' });
    expect(after.sla.response_due_at).toBe(new Date('2026-11-20T17:00:00-03:00').toISOString());
    expect(after.severity_history).toEqual([expect.objectContaining({ from: 5, to: 2, reason: 'priority media → alta: Pagos caídos' })]);
  });

  it('refuses a cell that does not exist, a severity that disagrees with the cell, and a priority on a policy without a matrix', async () => {
    t = await testApp({ config: example('agencia-web-matriz.yaml'), now: '2026-11-20T19:30:00Z' });
    const post = (json: object) => t.request('/api/admin/incidents', { method: 'POST', json: { title: 'x', message: 'y', ...json } });
    for (const [body, message] of [
      [{ priority: 'urgente', impact: 'alto' }, 'invalid body: priority: must be one of alta, media or baja'],
      [{ priority: 'alta' }, 'invalid body: impact: is required with a priority (one of alto, medio or bajo)'],
      [{ priority: 'alta', impact: 'alto', severity: 3 }, 'invalid body: severity: is 3, but priority alta with impact alto is severity 1; give one or the other'],
      [{}, 'invalid body: severity: is required, or priority and impact'],
    ] as const) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as any).error.message).toBe(message);
    }
    await t.close();
    t = await testApp({ config: example('mexico-correo-telefonia.yaml'), now: '2026-11-21T16:30:00Z' });
    const res = await post({ priority: 'alta', impact: 'alto' });
    expect(((await res.json()) as any).error).toEqual({ code: 'invalid_request', message: 'invalid body: priority: the policy has no priority × impact matrix: give a severity', details: { fields: ['priority'] } });
    const four = await post({ severity: 4 });
    expect(((await four.json()) as any).error.message).toBe("invalid body: severity: must be a severity 1, 2 or 3 (the policy's levels)");
  });

  it('Mexico: a Standard request opened Saturday 10:00, raised to Emergency, is due for a response at 12:00 (out of hours)', async () => {
    t = await testApp({ config: example('mexico-correo-telefonia.yaml'), now: '2026-11-21T16:30:00Z' });
    const created = await t.request('/api/admin/incidents', {
      method: 'POST',
      json: { title: 'Sin correo', severity: 3, message: 'Recibido.', components: ['correo'], started_at: '2026-11-21T10:00:00-06:00' },
    });
    const { incident } = (await created.json()) as any;
    expect(incident.sla.response_due_at).toBe(new Date('2026-11-23T12:30:00-06:00').toISOString());
    expect(incident.sla.resolution_due_at).toBeNull();
    const raised = await t.request(`/api/admin/incidents/${incident.id}/updates`, { method: 'POST', json: { status: 'identified', message: 'Verificado: toda la empresa.', severity: 1 } });
    const after = ((await raised.json()) as any).incident;
    expect(after.sla.response_due_at).toBe(new Date('2026-11-21T12:00:00-06:00').toISOString());
    expect(after.sla).toMatchObject({ resolution_due_at: null, resolution_breached: false });
  });

  it('warns about a stated target even when the other one is N/A, and never about the N/A one', () => {
    const row = { responseDueAt: new Date('2026-11-21T18:00:00Z'), resolutionDueAt: null, respondedAt: null, resolvedAt: null } as Parameters<typeof slaAlerts>[0];
    expect(slaAlerts(row, new Date('2026-11-21T17:45:00Z'), 30 * 60_000)).toEqual([{ target: 'response', due_at: new Date('2026-11-21T18:00:00Z'), ms_to_due: 15 * 60_000, breached: false }]);
    expect(slaAlerts({ ...row, responseDueAt: null }, new Date('2026-11-30T00:00:00Z'), 30 * 60_000)).toEqual([]);
  });
});
