import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PublishedDocument } from '../../worker/publish/document.ts';
import { DOCUMENT_SOURCES } from '../../worker/publish/documents/index.ts';
import { historyDocuments } from '../../worker/publish/documents/history.ts';
import { uptimeDocuments } from '../../worker/publish/documents/uptime.ts';
import { addMonths, historyMonths } from '../../worker/status/history.ts';
import { loadIncidentView, loadPublishedState } from '../../worker/status/read-model.ts';
import { v2Context, v2Incident } from '../../worker/status/statuspage-v2.ts';
import { testApp } from '../helpers/app.ts';

const json = (docs: PublishedDocument[], path: string) => {
  const doc = docs.find((d) => d.path === path);
  if (!doc) throw new Error(`no document at ${path}; got ${docs.map((d) => d.path).join(', ')}`);
  expect(doc.contentType).toBe('application/json; charset=utf-8');
  return JSON.parse(doc.body as string);
};

describe('history months', () => {
  it('steps months across years', () => {
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2026-11', 2)).toBe('2027-01');
  });
  it('lists the months from the start of the data, newest first, at most twelve, in the site zone', () => {
    const now = new Date('2026-11-20T17:00:00Z');
    // 1 Sep 2026 03:00Z is still 31 Aug in Bogotá.
    expect(historyMonths(Date.parse('2026-09-01T03:00:00Z'), now, 'America/Bogota')).toEqual(['2026-11', '2026-10', '2026-09', '2026-08']);
    const long = historyMonths(Date.parse('2020-01-01T00:00:00Z'), now, 'America/Bogota');
    expect(long).toHaveLength(12);
    expect(long.at(-1)).toBe('2025-12');
  });
});

describe('uptime and history documents', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  const ids = {} as { window: string; outage: string; slow: string; phones: string };

  beforeEach(async () => {
    // Components come into being on 1 Aug; the window is scheduled with notice; incidents are back-dated.
    t = await testApp({ now: '2026-08-01T12:00:00Z' });
    t.clock.set('2026-11-01T12:00:00Z');
    const window = await t.request('/api/admin/maintenances', {
      method: 'POST',
      json: { title: 'Cambio de discos', message: 'Sin servicio.', starts_at: '2026-11-15T01:00:00-05:00', ends_at: '2026-11-15T03:00:00-05:00', component_ids: ['hosting'] },
    });
    expect(window.status).toBe(201);
    ids.window = ((await window.json()) as any).maintenance.id;
    t.clock.set('2026-11-20T17:00:00Z'); // Friday 12:00 in Bogotá
    const open = async (body: Record<string, unknown>) => {
      const response = await t.request('/api/admin/incidents', { method: 'POST', json: { message: 'Investigamos.', ...body } });
      expect(response.status).toBe(201);
      return ((await response.json()) as any).incident.id as string;
    };
    const resolve = async (id: string, at: string) => {
      const response = await t.request(`/api/admin/incidents/${id}/updates`, { method: 'POST', json: { status: 'resolved', message: 'Resuelto.', at } });
      expect(response.status).toBe(201);
    };
    ids.outage = await open({ title: 'Caída del hosting', severity: 1, components: ['hosting'], started_at: '2026-11-10T10:00:00-05:00' });
    await resolve(ids.outage, '2026-11-10T12:00:00-05:00');
    ids.slow = await open({ title: 'Correo lento', severity: 3, components: ['correo'], started_at: '2026-10-05T09:00:00-05:00' });
    await resolve(ids.slow, '2026-10-05T18:00:00-05:00');
    ids.phones = await open({ title: 'Llamadas cortadas', severity: 2, components: ['telefonia'], started_at: '2026-11-20T11:00:00-05:00' });
  });
  afterEach(() => t.close());

  const run = async () => {
    const now = t.clock.now();
    const state = await loadPublishedState(t.database.db, now);
    const input = { db: t.database.db, config: t.ctx.config, now, state };
    return [...(await uptimeDocuments(input)), ...(await historyDocuments(input))];
  };

  it('are registered with the publisher', () => {
    expect(DOCUMENT_SOURCES.map((s) => s.build)).toContain(uptimeDocuments);
    expect(DOCUMENT_SOURCES.map((s) => s.build)).toContain(historyDocuments);
  });

  it('publish each component’s 90 days and its 30- and 90-day availability', async () => {
    const uptime = json(await run(), '/api/uptime.json');
    expect(uptime).toMatchObject({ time_zone: 'America/Bogota', first_day: '2026-08-23', last_day: '2026-11-20' });
    const hosting = uptime.components.find((c: any) => c.id === 'hosting');
    const at = (date: string) => hosting.days[(Date.parse(date) - Date.parse('2026-08-23')) / 86_400_000];
    expect(hosting.days).toHaveLength(90);
    expect(at('2026-11-10')).toBe('x');
    expect(at('2026-11-15')).toBe('m');
    expect(at('2026-11-11')).toBe('o');
    expect(hosting.incidents).toEqual({ '2026-11-10': [ids.outage] });
    expect(hosting.maintenances).toEqual({ '2026-11-15': [ids.window] });
    // 30 days = 708 h, 2 h of maintenance left out, 2 h of outage: 704 / 706. 90 days = 2,148 h: 2,144 / 2,146.
    expect(hosting.uptime).toEqual([
      { days: 30, from: '2026-10-22T05:00:00.000Z', availability: 0.997167, outage_ms: 7_200_000, maintenance_ms: 7_200_000 },
      { days: 90, from: '2026-08-23T05:00:00.000Z', availability: 0.999068, outage_ms: 7_200_000, maintenance_ms: 7_200_000 },
    ]);
    const correo = uptime.components.find((c: any) => c.id === 'correo');
    expect(correo.incidents).toEqual({ '2026-10-05': [ids.slow] });
    expect(correo.uptime.map((u: any) => u.availability)).toEqual([1, 1]); // severity 3 is not an outage
    const phones = uptime.components.find((c: any) => c.id === 'telefonia');
    expect(phones.days.at(-1)).toBe('p');
    expect(phones.uptime[0].availability).toBe(0.998587); // 707 / 708, still open
    expect(uptime.groups.map((g: any) => [g.id, g.components])).toEqual([
      ['group-hosting', ['hosting']],
      ['group-correo', ['correo']],
    ]);
    expect(uptime.incidents[ids.outage]).toEqual({ name: 'Caída del hosting', severity: 1, calendar: 'bogota', started_at: '2026-11-10T15:00:00.000Z', resolved_at: '2026-11-10T17:00:00.000Z' });
    expect(uptime.maintenances[ids.window]).toEqual({ name: 'Cambio de discos', starts_at: '2026-11-15T06:00:00.000Z', ends_at: '2026-11-15T08:00:00.000Z' });
  });

  it('are the same bytes for the same database and time', async () => {
    const [a, b] = [await run(), await run()];
    expect(b.map((d) => d.body)).toEqual(a.map((d) => d.body));
  });

  it('publish the history by month with full incidents, newest first', async () => {
    const docs = await run();
    expect(json(docs, '/api/history.json')).toEqual({
      time_zone: 'America/Bogota',
      months: [
        { month: '2026-11', incidents: 2, scheduled_maintenances: 1 },
        { month: '2026-10', incidents: 1, scheduled_maintenances: 0 },
        { month: '2026-09', incidents: 0, scheduled_maintenances: 0 },
        { month: '2026-08', incidents: 0, scheduled_maintenances: 0 },
      ],
    });
    const november = json(docs, '/api/history/2026-11.json');
    expect(november.incidents.map((i: any) => i.id)).toEqual([ids.phones, ids.outage]);
    expect(november.incidents[1]).toMatchObject({ name: 'Caída del hosting', status: 'resolved', severity: 1, components: [{ id: 'hosting' }] });
    expect(november.incidents[1].incident_updates.map((u: any) => u.status).sort()).toEqual(['investigating', 'resolved']);
    expect(november.scheduled_maintenances.map((m: any) => m.id)).toEqual([ids.window]);
    expect(json(docs, '/api/history/2026-09.json').incidents).toEqual([]);
  });

  it('rebuild only the months whose incidents, windows or components changed', async () => {
    const first = await run();
    const again = await run();
    for (const month of ['2026-08', '2026-09', '2026-10', '2026-11']) {
      const path = `/api/history/${month}.json`;
      expect(again.find((d) => d.path === path), month).toBe(first.find((d) => d.path === path));
    }
    const update = await t.request(`/api/admin/incidents/${ids.slow}/updates`, { method: 'POST', json: { status: 'postmortem', message: 'Informe publicado.' } });
    expect(update.status).toBe(201);
    const after = await run();
    const october = json(after, '/api/history/2026-10.json');
    expect(october.incidents[0].incident_updates.map((u: any) => u.body)).toContain('Informe publicado.');
    expect(after.find((d) => d.path === '/api/history/2026-11.json')).toBe(first.find((d) => d.path === '/api/history/2026-11.json'));
    // Every month names components with their current status, so a change there is republished everywhere.
    await t.request(`/api/admin/incidents/${ids.phones}/updates`, { method: 'POST', json: { status: 'resolved', message: 'Listo.' } });
    const resolved = await run();
    expect(resolved.find((d) => d.path === '/api/history/2026-10.json')).not.toBe(after.find((d) => d.path === '/api/history/2026-10.json'));
  });

  it('in a month built again, show every incident as it is now: the ones written since, and the others kept', async () => {
    const november = async () => {
      const body = (await run()).find((d) => d.path === '/api/history/2026-11.json')!.body.toString();
      // The bytes `JSON.stringify` would write.
      expect(body).toBe(JSON.stringify(JSON.parse(body)));
      return JSON.parse(body).incidents as any[];
    };
    await november();
    // Since then: an update of one, a new one, and a component put in a worse state by it (which the others name).
    t.clock.advance(60_000);
    await t.request(`/api/admin/incidents/${ids.phones}/updates`, { method: 'POST', json: { status: 'identified', message: 'Central caída.' } });
    const created = await t.request('/api/admin/incidents', {
      method: 'POST',
      json: { title: 'Hosting caído otra vez', severity: 1, message: 'Investigamos.', components: ['hosting', 'telefonia'], started_at: '2026-11-20T11:30:00-05:00' },
    });
    expect(created.status).toBe(201);
    t.clock.advance(60_000);
    const now = t.clock.now();
    const shown = await november();
    // What a month built from nothing shows: each incident read now, in the v2 shape.
    const ctx = v2Context(t.ctx.config, await loadPublishedState(t.database.db, now), now);
    const expected = [];
    for (const incident of shown) expected.push(v2Incident(ctx, (await loadIncidentView(t.database.db, incident.id))!));
    expect(shown).toEqual(expected);
    expect(shown).toHaveLength(3);
    expect(shown.find((i) => i.id === ids.phones).incident_updates.map((u: any) => u.body)).toContain('Central caída.');
    expect(shown.find((i) => i.id === ids.outage).components[0].status).toBe('major_outage');
  });
});
