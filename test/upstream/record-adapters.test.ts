/**
 * Every adapter type, served on 127.0.0.1 and recorded through the real watch into the public API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstreamServer, type UpstreamServer } from '../fakes/upstream-server.ts';
import { fixture } from './support.ts';
import { sourceRow, watchApp } from './watch-support.ts';

type Json = Record<string, any>;

let server: UpstreamServer;
let app: Awaited<ReturnType<typeof watchApp>>;
let incidents: Json[];
let maintenances: Json[];
let components: Json[];

beforeAll(async () => {
  server = await startUpstreamServer();
  server.route('/vtex/api/v1/summary', { body: fixture('incidentio-summary.json'), etag: '"v1"' });
  server.route('/pay/summary.json', { body: fixture('instatus-summary.json') });
  server.route('/pay/v2/components.json', { body: fixture('instatus-components.json') });
  server.route('/appsstatus/dashboard/incidents.json', { body: fixture('google-incidents.json') });
  server.route('/appsstatus/dashboard/products.json', { body: fixture('google-products.json') });
  server.route('/history.atom', { body: fixture('statuspage-history.atom'), headers: { 'Content-Type': 'application/atom+xml' } });
  server.route('/mail/history.rss', { body: fixture('provider-with-script.rss'), headers: { 'Content-Type': 'application/rss+xml' } });
  server.route('/health', { status: 503, body: 'down for maintenance' });
  app = await watchApp({
    sources: [
      { id: 'vtex', type: 'incidentio', url: `${server.url}/vtex` },
      { id: 'pagos', type: 'instatus', url: `${server.url}/pay` },
      { id: 'gws', type: 'google', url: `${server.url}/appsstatus/dashboard/incidents.json` },
      { id: 'atom', type: 'feed', url: `${server.url}/history.atom` },
      { id: 'correo', type: 'feed', url: `${server.url}/mail/history.rss` },
      { id: 'web', type: 'http', url: `${server.url}/health`, settings: { expect_text: 'OK' } },
    ],
    components: [
      { id: 'tienda', sources: ['vtex'] },
      { id: 'pasarela', sources: ['pagos'] },
      { id: 'workspace', sources: ['gws'] },
      { id: 'telefonia', sources: ['atom'] },
      { id: 'correo', sources: ['correo'] },
      { id: 'sitio', sources: ['web'] },
    ],
  });
  await app.cycle();
  const get = async (path: string) => (await (await app.request(path)).json()) as Json;
  incidents = (await get('/api/v2/incidents.json')).incidents as Json[];
  maintenances = (await get('/api/v2/scheduled-maintenances.json')).scheduled_maintenances as Json[];
  components = (await get('/api/v2/components.json')).components as Json[];
});
afterAll(async () => {
  await app.close();
  await server.close();
});

const from = (sourceId: string) => incidents.filter((i) => i.source?.id === sourceId);
const component = (id: string) => components.find((c) => c.id === id)!;

describe('each adapter recorded through the watch', () => {
  it('incident.io: the ongoing incident with its impact, and its maintenances', () => {
    expect(from('vtex')).toEqual([
      expect.objectContaining({ name: 'Checkout errors for some stores in South America', status: 'identified', severity: 2, components: [expect.objectContaining({ id: 'tienda' })] }),
    ]);
    expect(maintenances.filter((m) => m.source?.id === 'vtex').map((m) => [m.name, m.status]).sort()).toEqual([
      ['Catalog indexing upgrade', 'in_progress'],
      ['OMS database migration', 'scheduled'],
    ]);
    // Worst upstream component partial_outage; our component is also under the incident.
    expect(component('tienda')).toMatchObject({ status: 'partial_outage' });
  });

  it('Instatus: both active incidents with their severities, and the maintenance', () => {
    expect(from('pagos').map((i) => [i.name, i.severity, i.status]).sort()).toEqual([
      ['Card payments failing in Mexico', 1, 'investigating'],
      ['Slow settlement reports', 3, 'monitoring'],
    ]);
    expect(maintenances.some((m) => m.source?.id === 'pagos' && m.status === 'scheduled')).toBe(true);
    expect(component('pasarela')).toMatchObject({ status: 'major_outage' });
  });

  it('Google: open incidents by status_impact and the recently closed one, with their updates', () => {
    expect(from('gws').map((i) => [i.severity, i.status]).sort()).toEqual([
      [1, 'investigating'],
      [2, 'investigating'],
      [4, 'resolved'],
    ]);
    const meet = from('gws').find((i) => i.name === 'Google Meet calls failing to start')!;
    expect(meet.incident_updates).toHaveLength(1);
    expect(component('workspace')).toMatchObject({ status: 'major_outage' });
  });

  it('Atom feed: incidents of unknown severity recorded at 4, the component left operational by them', () => {
    expect(from('atom').map((i) => [i.source.upstream_id, i.status, i.severity]).sort()).toEqual([
      ['k7w2q9d1x4vb', 'identified', 4],
      ['p0c5n8e3r6ts', 'resolved', 4],
    ]);
    expect(component('telefonia')).toMatchObject({ status: 'operational', state: 'operational' });
  });

  it('RSS feed with script tags: plain text only, nothing of the scripts survives', () => {
    const recorded = from('correo');
    expect(recorded.map((i) => i.status).sort()).toEqual(['investigating', 'resolved']);
    const text = JSON.stringify(recorded);
    expect(text).not.toMatch(/<script|<iframe|onerror|document\.cookie|alert\(/i);
    expect(recorded.find((i) => i.status === 'investigating')!.incident_updates[0].body).toContain('Estamos revisando reportes de errores al abrir el webmail.');
    expect(maintenances.find((m) => m.source?.id === 'correo')).toMatchObject({ name: 'Mantenimiento programado de servidores IMAP', status: 'scheduled' });
  });

  it('HTTP check: a failed check is an observation (major outage), not a failed poll', async () => {
    expect(component('sitio')).toMatchObject({ status: 'major_outage', sources: [expect.objectContaining({ id: 'web', state: 'major_outage' })] });
    const row = await sourceRow(app.database.db, 'web');
    expect(row).toMatchObject({ consecutiveFailures: 0, state: 'major_outage' });
    expect(from('web')).toEqual([]);
  });
});
