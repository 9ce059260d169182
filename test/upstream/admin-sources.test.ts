/**
 * The admin sources API over the real app, database and a fake upstream on 127.0.0.1.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { asc, count, eq } from 'drizzle-orm';
import { componentSources, incidents } from '../../db/schema/index.ts';
import { startUpstreamServer, type UpstreamServer } from '../fakes/upstream-server.ts';
import { requestsUnder, rowCounts, serveStatuspage, sourceRow, statuspagePages, watchApp } from './watch-support.ts';

type Json = Record<string, any>;

let server: UpstreamServer;
let app: Awaited<ReturnType<typeof watchApp>>;

beforeEach(async () => {
  server = await startUpstreamServer();
  serveStatuspage(server, statuspagePages(), '/genesys');
  server.route('/config/api/v1/summary', { body: { ongoing_incidents: [], in_progress_maintenances: [], scheduled_maintenances: [] } });
  app = await watchApp({
    sources: [{ id: 'vtex', name: 'VTEX', type: 'incidentio', url: `${server.url}/config` }],
    components: [
      { id: 'telefonia', name: 'Telefonía' },
      { id: 'tienda', name: 'Tienda', sources: ['vtex'] },
    ],
  });
});
afterEach(async () => {
  await app.close();
  await server.close();
});

async function call(method: string, path: string, json?: unknown): Promise<{ status: number; body: Json }> {
  const response = await app.request(`/api/admin/sources${path}`, { method, ...(json === undefined ? {} : { json }) });
  return { status: response.status, body: (await response.json()) as Json };
}

const addGenesys = (extra: Json = {}) =>
  call('POST', '', { id: 'genesys', name: 'Genesys Cloud', type: 'auto', url: `${server.url}/genesys/api/v2/summary.json`, interval: '2m', component_ids: ['telefonia'], ...extra });

describe('admin sources API', () => {
  it('lists sources with their poll state', async () => {
    await app.cycle();
    const { status, body } = await call('GET', '');
    expect(status).toBe(200);
    expect(body.sources).toEqual([
      expect.objectContaining({
        id: 'vtex',
        name: 'VTEX',
        type: 'incidentio',
        origin: 'config',
        paused: false,
        state: 'operational',
        consecutive_failures: 0,
        last_error: null,
        last_success_at: app.clock.now().toISOString(),
        next_poll_at: new Date(app.clock.now().getTime() + 60_000).toISOString(),
        component_ids: ['tienda'],
        open_incidents: 0,
      }),
    ]);
    expect((await call('GET', '/vtex')).body.source.id).toBe('vtex');
    expect(await call('GET', '/nope')).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
  });

  it('adds a source with its format detected, links it, and polls it now', async () => {
    const added = await addGenesys();
    expect(added.status).toBe(201);
    expect(added.body.detected).toEqual({ type: 'statuspage', url: `${server.url}/genesys/` });
    expect(added.body.source).toMatchObject({ id: 'genesys', type: 'statuspage', url: `${server.url}/genesys/`, origin: 'admin', interval_seconds: 120, sla: false, component_ids: ['telefonia'], state: 'unknown', next_poll_at: null });

    const polled = await call('POST', '/genesys/poll');
    expect(polled.status).toBe(200);
    expect(polled.body.poll).toMatchObject({ outcome: 'snapshot', error: null, state: 'major_outage', previous_state: 'unknown', published_change: true, incidents: { opened: 3 }, maintenances: { created: 2 } });
    expect(polled.body.source).toMatchObject({ state: 'major_outage', open_incidents: 1 });
    const { incidents: published } = (await (await app.request('/api/v2/incidents/unresolved.json')).json()) as { incidents: Json[] };
    expect(published).toEqual([expect.objectContaining({ source: expect.objectContaining({ id: 'genesys' }), components: [expect.objectContaining({ id: 'telefonia' })] })]);

    // Polling again: everything answers 304.
    expect((await call('POST', '/genesys/poll')).body.poll).toMatchObject({ outcome: 'unchanged', published_change: false });
  });

  it('pauses and resumes: a paused source is shown as paused and polled again at the next tick after resuming', async () => {
    await app.cycle();
    const paused = await call('POST', '/vtex/pause');
    expect(paused).toMatchObject({ status: 200, body: { source: { paused: true } } });
    const components = (await (await app.request('/api/v2/components.json')).json()) as { components: Json[] };
    expect(components.components.find((c) => c.id === 'tienda')?.sources[0]).toMatchObject({ id: 'vtex', state: 'paused' });
    app.clock.advance(10 * 60_000);
    const before = server.requests.length;
    await app.cycle();
    expect(server.requests.length).toBe(before);

    const resumed = await call('POST', '/vtex/resume');
    expect(resumed.body.source).toMatchObject({ paused: false, next_poll_at: null });
    await app.cycle();
    expect(server.requests.length).toBe(before + 1);
    expect(app.published).toEqual(expect.arrayContaining(['source vtex paused', 'source vtex resumed']));
  });

  it('changes an admin source; a config source only pauses, anything else is answered 409 pointing at the file', async () => {
    await addGenesys();
    const changed = await call('PATCH', '/genesys', { name: 'Genesys', interval: 300, sla: true, component_ids: ['telefonia', 'tienda'] });
    expect(changed).toMatchObject({ status: 200, body: { source: { name: 'Genesys', interval_seconds: 300, sla: true, component_ids: ['telefonia', 'tienda'] } } });
    const links = await app.database.db.select({ n: count() }).from(componentSources).where(eq(componentSources.sourceId, 'genesys'));
    expect(links[0]?.n).toBe(2);

    const config = await call('PATCH', '/vtex', { name: 'Otra cosa' });
    expect(config).toMatchObject({ status: 409, body: { error: { code: 'config_source', message: expect.stringContaining('vigia.config.yaml') } } });
    expect(await call('PATCH', '/vtex', { paused: true })).toMatchObject({ status: 200, body: { source: { paused: true } } });
  });

  it('answers bad requests with JSON errors naming the field', async () => {
    const cases: [Json, number, string, RegExp][] = [
      [{ id: 'Bad Id', name: 'x', type: 'statuspage', url: server.url }, 400, 'invalid_request', /^invalid body: id: must be lower-case/],
      [{ id: 'x', name: 'x', type: 'statuspage', url: 'ftp://example.com' }, 400, 'invalid_request', /url: must be an http\(s\) URL/],
      [{ id: 'x', name: 'x', type: 'betterstack', url: server.url }, 400, 'invalid_request', /type: /],
      [{ id: 'x', name: 'x', type: 'statuspage', url: server.url, interval: 1 }, 400, 'invalid_request', /interval: must be a whole number of seconds from 10/],
      [{ id: 'x', name: 'x', type: 'statuspage', url: server.url, interval: 'often' }, 400, 'invalid_request', /interval: "often" is not a duration/],
      [{ id: 'x', name: 'x', type: 'http', url: server.url, settings: { slow_ms: -5 } }, 400, 'invalid_request', /settings\.slow_ms: /],
      [{ id: 'x', name: 'x', type: 'statuspage', url: server.url, settings: { colour: 'red' } }, 400, 'invalid_request', /settings: unknown setting "colour"/],
      [{ id: 'x', name: 'x', type: 'statuspage', url: server.url, settings: { components: [] } }, 400, 'invalid_request', /settings\.components: /],
      [{ id: 'x', name: 'x', type: 'feed', url: server.url, settings: { components: ['Voice'] } }, 400, 'invalid_request', /settings: unknown setting "components"/],
      [{ id: 'x', name: 'x', type: 'statuspage', url: server.url, component_ids: ['nope'] }, 422, 'unknown_component', /component_ids\[0\]: unknown component "nope"/],
      [{ id: 'vtex', name: 'x', type: 'statuspage', url: server.url }, 409, 'source_exists', /id: a source "vtex" already exists/],
      [{ id: 'x', name: 'x', type: 'auto', url: `${server.url}/nothing-here` }, 422, 'not_detected', /url: no known status-page format/],
      [{ id: 'x', name: 'x', type: 'statuspage', url: server.url, extra: 1 }, 400, 'invalid_request', /unknown field "extra"/],
    ];
    for (const [body, status, code, message] of cases) {
      const answer = await call('POST', '', body);
      expect(answer.status, JSON.stringify(body)).toBe(status);
      expect(answer.body.error.code).toBe(code);
      expect(answer.body.error.message).toMatch(message);
    }
    expect(await call('PATCH', '/vtex', {})).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining('nothing to change') } } });
    const noJson = await app.request('/api/admin/sources', { method: 'POST', body: 'id=x', headers: { 'content-type': 'text/plain' } });
    expect(noJson.status).toBe(415);
    const anonymous = await app.request('/api/admin/sources', { token: null });
    expect(anonymous.status).toBe(401);
  });

  it('detects a format on its own', async () => {
    expect(await call('POST', '/detect', { url: `${server.url}/genesys` })).toMatchObject({ status: 200, body: { detected: { type: 'statuspage', url: `${server.url}/genesys` } } });
    expect(await call('POST', '/detect', { url: `${server.url}/config` })).toMatchObject({ status: 200, body: { detected: { type: 'incidentio', url: `${server.url}/config` } } });
    const none = await call('POST', '/detect', { url: `${server.url}/void` });
    expect(none).toMatchObject({ status: 422, body: { error: { code: 'not_detected', details: { tried: expect.any(Array) } } } });
  });

  it('does not record a poll read before the settings changed; poll now answers with a poll made with the new ones', async () => {
    await addGenesys();
    // The first read of the summary is held until the settings have changed.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let held = 0;
    server.route('/genesys/api/v2/summary.json', (_req, res) => {
      held += 1;
      void released.then(() => {
        res.writeHead(200, { 'content-type': 'application/json', etag: '"held"' });
        res.end(JSON.stringify(statuspagePages().summary));
      });
    });
    const polled = call('POST', '/genesys/poll');
    await vi.waitFor(() => expect(held).toBe(1));
    serveStatuspage(server, statuspagePages(), '/genesys');

    // Only the EMEA region is watched from now on: the US East outage is no longer this source's.
    const changed = await call('PATCH', '/genesys', { settings: { components: ['EMEA (Frankfurt)'] } });
    expect(changed.status).toBe(200);
    release();

    const { status, body } = await polled;
    expect(status).toBe(200);
    expect(body.poll).toMatchObject({ outcome: 'snapshot', state: 'operational' });
    expect(body.source).toMatchObject({ state: 'operational', open_incidents: 0 });
    const recorded = await app.database.db.select({ upstreamId: incidents.upstreamId }).from(incidents).where(eq(incidents.sourceId, 'genesys')).orderBy(asc(incidents.upstreamId));
    expect(recorded.map((r) => r.upstreamId)).toEqual(['z9h1a6m2b8qc']);
    // The held answer's validator was never kept: the next poll does not revalidate what the old settings read.
    expect(requestsUnder(server, '/genesys/api/v2/summary.json').filter((r) => r.headers['if-none-match'] === '"held"')).toEqual([]);
    await call('POST', '/genesys/poll');
    expect(requestsUnder(server, '/genesys/api/v2/summary.json').filter((r) => r.headers['if-none-match'] === '"held"')).toEqual([]);
  });

  it('removes an admin source, closing what it left open and keeping what it recorded; a config source is answered 409', async () => {
    await addGenesys();
    await call('POST', '/genesys/poll');
    const before = await rowCounts(app.database.db);
    const removed = await call('DELETE', '/genesys');
    expect(removed).toEqual({ status: 200, body: { deleted: 'genesys', incidents_closed: 1, maintenances_cancelled: 1 } });
    const after = await rowCounts(app.database.db);
    expect(after.incidents).toBe(before.incidents);
    expect(after.updates).toBe(before.updates + 1);
    const open = await app.database.db.select().from(incidents).where(eq(incidents.status, 'identified'));
    expect(open).toEqual([]);
    const { incidents: published } = (await (await app.request('/api/v2/incidents.json')).json()) as { incidents: Json[] };
    const closed = published.find((i) => i.name === 'Calls failing to connect in Americas (US East)')!;
    expect(closed).toMatchObject({ status: 'resolved', source: null });
    expect(closed.incident_updates[0].body).toBe('Se dejó de vigilar Genesys Cloud; el incidente se da por cerrado.');
    expect((await call('GET', '/genesys')).status).toBe(404);

    const config = await call('DELETE', '/vtex');
    expect(config).toMatchObject({ status: 409, body: { error: { code: 'config_source', message: expect.stringMatching(/remove it in vigia\.config\.yaml/) } } });
    expect(await sourceRow(app.database.db, 'vtex')).toBeDefined();
  });
});
