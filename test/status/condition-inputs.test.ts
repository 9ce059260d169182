import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { maintenanceComponents, maintenances, sources } from '../../db/schema/index.ts';
import { loadConditionInputs } from '../../worker/status/condition-inputs.ts';
import { componentConditions } from '../../worker/status/derive.ts';
import { loadPublishedState } from '../../worker/status/read-model.ts';
import { testApp } from '../helpers/app.ts';

describe('component conditions read without the timelines', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeEach(async () => {
    t = await testApp({ now: '2026-11-20T15:00:00Z' });
  });
  afterEach(() => t.close());

  const open = async (json: Record<string, unknown>) => {
    const response = await t.request('/api/admin/incidents', { method: 'POST', json: { message: 'Investigamos.', ...json } });
    expect(response.status).toBe(201);
    return ((await response.json()) as any).incident;
  };

  const bothWays = async () => {
    const now = t.clock.now();
    return {
      light: componentConditions(await loadConditionInputs(t.database.db, now, ['hosting', 'correo', 'telefonia']), now),
      full: componentConditions(await loadPublishedState(t.database.db, now), now),
    };
  };

  it('match those of the whole published state: open and resolved incidents, a window under way, an unknown source', async () => {
    await open({ title: 'Caída', severity: 1, components: ['correo'] });
    const resolved = await open({ title: 'Lentitud', severity: 3, components: ['hosting'] });
    await t.request(`/api/admin/incidents/${resolved.id}/updates`, { method: 'POST', json: { status: 'resolved', message: 'Listo.' } });
    await open({ title: 'Parcial', severity: 2, components: [{ id: 'hosting', status: 'degraded_performance' }] });
    // A window that has started (by its times, before any job records it) puts telefonía under maintenance.
    const at = t.clock.now();
    await t.database.db.insert(maintenances).values({
      id: 'w1',
      title: 'Mantenimiento',
      status: 'scheduled',
      startsAt: new Date(at.getTime() - 60_000),
      endsAt: new Date(at.getTime() + 3_600_000),
      createdAt: at,
      updatedAt: at,
    });
    await t.database.db.insert(maintenanceComponents).values({ maintenanceId: 'w1', componentId: 'telefonia' });
    await t.database.db.update(sources).set({ state: 'unknown', stateSince: at }).where(eq(sources.id, 'gws'));

    const { light, full } = await bothWays();
    expect(light).toEqual(full);
    expect(Object.fromEntries([...light].map(([id, c]) => [id, c.status]))).toEqual({
      hosting: 'degraded_performance',
      correo: 'major_outage',
      telefonia: 'under_maintenance',
    });
  });

  it('answer an admin write with the statuses the public API shows', async () => {
    await open({ title: 'Caída', severity: 1, components: ['correo'] });
    const second = await open({ title: 'Otra', severity: 4, components: ['correo', 'hosting'] });
    const summary = (await (await t.request('/api/v2/summary.json')).json()) as any;
    const publicStatus = Object.fromEntries(summary.components.filter((c: any) => !c.group).map((c: any) => [c.id, c.status]));
    expect(second.components.map((c: any) => [c.id, c.status])).toEqual([
      ['correo', publicStatus.correo],
      ['hosting', publicStatus.hosting],
    ]);
    expect(publicStatus.correo).toBe('major_outage');
  });

  it('read only the components asked for', async () => {
    await open({ title: 'Caída', severity: 1, components: ['correo', 'hosting'] });
    const now = t.clock.now();
    const some = componentConditions(await loadConditionInputs(t.database.db, now, ['correo']), now);
    const all = componentConditions(await loadPublishedState(t.database.db, now), now);
    expect([...some.keys()]).toEqual(['correo']);
    expect(some.get('correo')).toEqual(all.get('correo'));
    expect((await loadConditionInputs(t.database.db, now, [])).components).toEqual([]);
  });
});
