import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../worker/config/load.ts';
import { testApp } from '../helpers/app.ts';
import { TEST_CONFIG_YAML } from '../helpers/config.ts';

/** Field names of Atlassian Statuspage's public v2 objects, which Vigía keeps. */
const PAGE_FIELDS = ['id', 'name', 'url', 'time_zone', 'updated_at'];
/** Statuspage's fields, then Vigía's own `state` (the worst component state, `unknown` included). */
const STATUS_FIELDS = ['indicator', 'description'];
const COMPONENT_FIELDS = ['id', 'name', 'status', 'created_at', 'updated_at', 'position', 'description', 'showcase', 'start_date', 'group_id', 'page_id', 'group', 'only_show_if_degraded'];
const INCIDENT_FIELDS = ['id', 'name', 'status', 'created_at', 'updated_at', 'monitoring_at', 'resolved_at', 'impact', 'shortlink', 'started_at', 'page_id', 'incident_updates', 'components'];
const UPDATE_FIELDS = ['id', 'status', 'body', 'incident_id', 'created_at', 'updated_at', 'display_at', 'affected_components', 'deliver_notifications'];
const MAINTENANCE_FIELDS = [...INCIDENT_FIELDS, 'scheduled_for', 'scheduled_until'];

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('public v2 API (Statuspage-compatible)', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeEach(async () => {
    t = await testApp({ now: '2026-11-20T15:00:00Z' });
  });
  afterEach(() => t.close());

  const get = async (path: string) => {
    const response = await t.request(path);
    expect(response.status, path).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    return (await response.json()) as Record<string, any>;
  };

  const seed = async () => {
    const opened = await t.request('/api/admin/incidents', {
      method: 'POST',
      json: { title: 'Caída del correo', severity: 1, status: 'identified', message: 'No se entregan correos.', components: [{ id: 'correo', status: 'major_outage' }] },
    });
    expect(opened.status).toBe(201);
    const resolved = await t.request('/api/admin/incidents', {
      method: 'POST',
      json: { title: 'Lentitud del panel', severity: 3, message: 'Lento.', components: ['hosting'], started_at: '2026-11-20T08:00:00-05:00' },
    });
    const resolvedId = ((await resolved.json()) as any).incident.id;
    t.clock.advance(60_000);
    await t.request(`/api/admin/incidents/${resolvedId}/updates`, { method: 'POST', json: { status: 'resolved', message: 'Resuelto.' } });
    await t.request('/api/admin/maintenances', {
      method: 'POST',
      json: { title: 'Actualización de servidores', message: 'Ventana nocturna.', starts_at: '2026-11-21T06:00:00Z', ends_at: '2026-11-21T08:00:00Z', component_ids: ['hosting'] },
    });
  };

  it('summary.json has the page, components, incidents, maintenances and status', async () => {
    await seed();
    const body = await get('/api/v2/summary.json');
    expect(Object.keys(body).sort()).toEqual(['components', 'incidents', 'page', 'scheduled_maintenances', 'status']);
    expect(Object.keys(body.page)).toEqual(expect.arrayContaining(PAGE_FIELDS));
    expect(body.page.time_zone).toBe('America/Bogota');
    expect(body.status).toMatchObject({ indicator: 'critical', description: expect.any(String), state: 'major_outage' });
    expect(body.status.affected_components[0]).toEqual({ id: 'correo', name: expect.any(String), state: 'major_outage', unknown_since: null });
    for (const c of body.components) expect(Object.keys(c)).toEqual(expect.arrayContaining(COMPONENT_FIELDS));
    const correo = body.components.find((c: any) => c.id === 'correo');
    expect(correo.status).toBe('major_outage');
    const groups = body.components.filter((c: any) => c.group);
    expect(groups.map((g: any) => g.name)).toEqual(['Hosting', 'Correo']);
    expect(groups.find((g: any) => g.name === 'Correo').status).toBe('major_outage');
    expect(body.incidents).toHaveLength(1);
    expect(body.incidents[0].impact).toBe('critical');
    expect(body.scheduled_maintenances).toHaveLength(1);
  });

  it('status.json indicator follows the worst component', async () => {
    const before = (await get('/api/v2/status.json')).status;
    expect(before.indicator).toBe('none');
    // The mail component's provider has never been read: the page does not claim all is well.
    expect(before.state).toBe('unknown');
    expect(before.description).toBe('Estado desconocido de algunos servicios');
    expect(before.affected_components.map((c: any) => [c.id, c.state])).toEqual([['correo', 'unknown']]);
    await seed();
    const body = await get('/api/v2/status.json');
    // Statuspage's two fields first, then Vigía's own.
    expect(Object.keys(body.status)).toEqual([...STATUS_FIELDS, 'state', 'affected_components', 'component_counts']);
    expect(['none', 'minor', 'major', 'critical']).toContain(body.status.indicator);
    expect(body.status.indicator).toBe('critical');
  });

  it('status.json describes the state in the page\'s default language, Brazilian Portuguese included', async () => {
    const yaml = TEST_CONFIG_YAML.replace('default_locale: es', 'default_locale: pt-BR').replace('locales: [es, en]', 'locales: [pt-BR, es, en]');
    const pt = await testApp({ now: '2026-11-20T15:00:00Z', config: parseConfigText(yaml, 'pt.yaml') });
    try {
      const response = await pt.request('/api/v2/status.json');
      expect(((await response.json()) as any).status.description).toBe('Status desconhecido de alguns serviços');
    } finally {
      await pt.close();
    }
  });

  it('components.json uses only Statuspage component statuses, with Vigía state alongside', async () => {
    const body = await get('/api/v2/components.json');
    for (const c of body.components) {
      expect(['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance']).toContain(c.status);
    }
    const correo = body.components.find((c: any) => c.id === 'correo');
    // Its only source has never been read: operational is not claimed.
    expect(correo.status).toBe('operational');
    expect(correo.state).toBe('unknown');
    expect(correo.sources).toEqual([expect.objectContaining({ id: 'gws', state: 'unknown' })]);
  });

  it('incidents.json and unresolved.json carry Statuspage fields plus severity and sla', async () => {
    await seed();
    const all = await get('/api/v2/incidents.json');
    expect(all.incidents).toHaveLength(2);
    for (const incident of all.incidents) {
      expect(Object.keys(incident)).toEqual(expect.arrayContaining([...INCIDENT_FIELDS, 'severity', 'sla']));
      expect(['investigating', 'identified', 'monitoring', 'resolved', 'postmortem']).toContain(incident.status);
      expect(['none', 'minor', 'major', 'critical']).toContain(incident.impact);
      expect(incident.created_at).toMatch(ISO);
      for (const update of incident.incident_updates) expect(Object.keys(update)).toEqual(expect.arrayContaining(UPDATE_FIELDS));
      expect(Object.keys(incident.sla).sort()).toEqual(
        expect.arrayContaining(['response_due_at', 'resolution_due_at', 'responded_at', 'resolved_at', 'response_breached', 'resolution_breached']),
      );
    }
    const resolved = all.incidents.find((i: any) => i.name === 'Lentitud del panel');
    expect(resolved.status).toBe('resolved');
    expect(resolved.started_at).toBe('2026-11-20T13:00:00.000Z');
    expect(resolved.incident_updates.map((u: any) => u.status)).toEqual(['resolved', 'investigating']);
    const unresolved = await get('/api/v2/incidents/unresolved.json');
    expect(unresolved.incidents.map((i: any) => i.name)).toEqual(['Caída del correo']);
  });

  it('scheduled-maintenances endpoints split upcoming and active by time', async () => {
    await seed();
    const all = await get('/api/v2/scheduled-maintenances.json');
    expect(all.scheduled_maintenances).toHaveLength(1);
    const m = all.scheduled_maintenances[0];
    expect(Object.keys(m)).toEqual(expect.arrayContaining(MAINTENANCE_FIELDS));
    expect(m.status).toBe('scheduled');
    expect(m.impact).toBe('maintenance');
    expect(m.scheduled_for).toBe('2026-11-21T06:00:00.000Z');
    expect((await get('/api/v2/scheduled-maintenances/upcoming.json')).scheduled_maintenances).toHaveLength(1);
    expect((await get('/api/v2/scheduled-maintenances/active.json')).scheduled_maintenances).toHaveLength(0);

    t.clock.set('2026-11-21T07:00:00Z');
    const active = await get('/api/v2/scheduled-maintenances/active.json');
    expect(active.scheduled_maintenances.map((x: any) => x.status)).toEqual(['in_progress']);
    expect((await get('/api/v2/scheduled-maintenances/upcoming.json')).scheduled_maintenances).toHaveLength(0);
    const hosting = (await get('/api/v2/components.json')).components.find((c: any) => c.id === 'hosting');
    expect(hosting.status).toBe('under_maintenance');
  });

  it('answers JSON 404 for an unknown API path', async () => {
    const response = await t.request('/api/v2/nothing.json');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'not_found', message: expect.stringContaining('/api/v2/nothing.json') } });
  });
});
