/**
 * Choosing which of a provider's components a source follows, from the page's own list, and reading the last raw
 * payload: the real app and database, providers served by a fake upstream on 127.0.0.1 with realistic payloads.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { incidents } from '../../db/schema/index.ts';
import { startUpstreamServer, type UpstreamServer } from '../fakes/upstream-server.ts';
import { fixture } from './support.ts';
import { requestsUnder, serveStatuspage, sourceRow, statuspagePages, watchApp } from './watch-support.ts';

type Json = Record<string, any>;

let server: UpstreamServer;
let app: Awaited<ReturnType<typeof watchApp>>;

beforeEach(async () => {
  server = await startUpstreamServer();
  serveStatuspage(server, statuspagePages(), '/genesys');
  server.route('/config/api/v1/summary', { body: { ongoing_incidents: [], in_progress_maintenances: [], scheduled_maintenances: [] } });
  server.route('/clip/summary.json', { body: fixture('instatus-summary.json') });
  server.route('/clip/v2/components.json', { body: fixture('instatus-components.json') });
  server.route('/appsstatus/dashboard/incidents.json', { body: fixture('google-incidents.json') });
  server.route('/appsstatus/dashboard/products.json', { body: fixture('google-products.json') });
  server.route('/blog/feed.atom', { body: fixture('statuspage-history.atom'), headers: { 'content-type': 'application/atom+xml' } });
  app = await watchApp({
    sources: [{ id: 'vtex', name: 'VTEX', type: 'incidentio', url: `${server.url}/config` }],
    components: [{ id: 'telefonia', name: 'Telefonía' }, { id: 'tienda', name: 'Tienda', sources: ['vtex'] }],
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

const GENESYS_PAGE = [
  { id: 'cmp-use-voice', name: 'Voice', group: 'Americas (US East)' },
  { id: 'cmp-use-messaging', name: 'Messaging', group: 'Americas (US East)' },
  { id: 'cmp-use-api', name: 'Platform API', group: 'Americas (US East)' },
  { id: 'cmp-euc-voice', name: 'Voice', group: 'EMEA (Frankfurt)' },
  { id: 'cmp-euc-messaging', name: 'Messaging', group: 'EMEA (Frankfurt)' },
  { id: 'cmp-status-notifications', name: 'Status notifications', group: null },
];

const addGenesys = (settings: Json = {}) =>
  call('POST', '', { id: 'genesys', name: 'Genesys Cloud', type: 'auto', url: `${server.url}/genesys`, component_ids: ['telefonia'], settings });

describe('the components a provider page names', () => {
  it('are listed by detection, grouped as the page groups them, for each format that names components', async () => {
    const genesys = await call('POST', '/detect', { url: `${server.url}/genesys` });
    expect(genesys).toEqual({
      status: 200,
      body: { detected: { type: 'statuspage', url: `${server.url}/genesys` }, upstream_components: { setting: 'components', components: GENESYS_PAGE, error: null } },
    });

    const clip = (await call('POST', '/detect', { url: `${server.url}/clip/` })).body;
    expect(clip.detected.type).toBe('instatus');
    expect(clip.upstream_components.setting).toBe('components');
    expect(clip.upstream_components.components).toEqual(
      expect.arrayContaining([
        { id: 'cm1a0b1c200011xmz0a1b2c3d', name: 'API', group: null },
        { id: 'cm1a0b1c200021xmz0a1b2c3e', name: 'Card payments (MX)', group: 'Payments' },
      ]),
    );

    const google = (await call('POST', '/detect', { url: `${server.url}/appsstatus/dashboard/` })).body;
    expect(google.detected.type).toBe('google');
    expect(google.upstream_components).toMatchObject({ setting: 'products', error: null });
    expect(google.upstream_components.components).toEqual(expect.arrayContaining([{ id: 'NNqvXQyVNHYu7xYqGhmg', name: 'Gmail', group: null }]));

    const incidentio = (await call('POST', '/detect', { url: `${server.url}/config` })).body;
    expect(incidentio.upstream_components).toEqual({ setting: 'components', components: [], error: null });

    // A feed names no components: nothing to choose, and the page is not read again.
    const before = requestsUnder(server, '/blog/feed.atom').length;
    const feed = (await call('POST', '/detect', { url: `${server.url}/blog/feed.atom` })).body;
    expect(feed).toEqual({ detected: { type: 'feed', url: `${server.url}/blog/feed.atom` }, upstream_components: { setting: null, components: [], error: null } });
    expect(requestsUnder(server, '/blog/feed.atom').length).toBe(before + 1);
  });

  it('a source added with two of them follows only those, and says which it follows', async () => {
    const added = await addGenesys({ components: ['cmp-euc-voice', 'cmp-euc-messaging'] });
    expect(added.status).toBe(201);
    // Before the first poll there is no page to list yet.
    expect((await call('GET', '/genesys/upstream-components')).body).toMatchObject({ setting: 'components', follows_all: false, read_at: null, components: [] });

    await call('POST', '/genesys/poll');
    const listed = await call('GET', '/genesys/upstream-components');
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({
      source_id: 'genesys',
      type: 'statuspage',
      setting: 'components',
      follows_all: false,
      read_at: app.clock.now().toISOString(),
      components: GENESYS_PAGE.map((c) => ({ ...c, followed: c.id.startsWith('cmp-euc-') })),
      error: null,
    });
    // The US East outage is not this source's: nothing recorded for it.
    const recorded = await app.database.db.select({ id: incidents.upstreamId }).from(incidents).where(eq(incidents.sourceId, 'genesys')).orderBy(asc(incidents.upstreamId));
    expect(recorded.map((r) => r.id)).toEqual(['z9h1a6m2b8qc']);
  });

  it('a new choice is saved in the settings, audited, keeps the list readable and has the next poll read everything afresh', async () => {
    await addGenesys();
    await call('POST', '/genesys/poll');
    expect((await call('GET', '/genesys/upstream-components')).body).toMatchObject({ follows_all: true });

    const chosen = await call('PUT', '/genesys/upstream-components', { follow: ['cmp-use-voice', 'cmp-status-notifications'] });
    expect(chosen.status).toBe(200);
    expect(chosen.body).toMatchObject({ follows_all: false, source: { settings: { components: ['cmp-use-voice', 'cmp-status-notifications'] } } });
    expect(chosen.body.components.filter((c: Json) => c.followed).map((c: Json) => c.id)).toEqual(['cmp-use-voice', 'cmp-status-notifications']);
    expect((await sourceRow(app.database.db, 'genesys')).settings).toEqual({ components: ['cmp-use-voice', 'cmp-status-notifications'] });

    const { entries } = (await (await app.request('/api/admin/audit?entity=source')).json()) as { entries: Json[] };
    const entry = entries.find((e) => e.action === 'PUT /api/admin/sources/genesys/upstream-components');
    expect(entry).toMatchObject({ entity: 'source', entity_id: 'genesys', changes: { settings: { before: {}, after: { components: ['cmp-use-voice', 'cmp-status-notifications'] } } } });

    // The next poll sends no validators: what the old choice read is read again in full.
    const asked = requestsUnder(server, '/genesys/api/v2/summary.json').length;
    await call('POST', '/genesys/poll');
    const summaries = requestsUnder(server, '/genesys/api/v2/summary.json').slice(asked);
    expect(summaries).toHaveLength(1);
    expect(summaries[0]!.headers['if-none-match']).toBeUndefined();

    const all = await call('PUT', '/genesys/upstream-components', { follow: 'all' });
    expect(all.body).toMatchObject({ follows_all: true, source: { settings: {} } });
    expect(all.body.components.every((c: Json) => c.followed)).toBe(true);
  });

  it('refuses ids the page does not name, choices before the page was read, and formats without components, naming the field', async () => {
    await addGenesys();
    const early = await call('PUT', '/genesys/upstream-components', { follow: ['cmp-use-voice'] });
    expect(early).toMatchObject({ status: 422, body: { error: { code: 'page_not_read', message: expect.stringMatching(/^follow: /), details: { fields: ['follow'] } } } });
    await call('POST', '/genesys/poll');

    const unknown = await call('PUT', '/genesys/upstream-components', { follow: ['cmp-use-voice', 'cmp-moon-base', 'Voice'] });
    expect(unknown).toEqual({
      status: 422,
      body: { error: { code: 'unknown_upstream_component', message: `follow[1]: no component "cmp-moon-base" on the provider's page`, details: { fields: ['follow'], unknown: ['cmp-moon-base', 'Voice'] } } },
    });
    expect((await sourceRow(app.database.db, 'genesys')).settings).toEqual({});

    for (const [body, pattern] of [[{ follow: [] }, /follow: /], [{ follow: 'some' }, /follow: /], [{}, /follow: /], [{ follow: ['x'], more: 1 }, /unknown field "more"/]] as const) {
      const bad = await call('PUT', '/genesys/upstream-components', body);
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.body.error).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(pattern) });
    }
    expect((await call('PUT', '/nope/upstream-components', { follow: 'all' })).status).toBe(404);
    expect((await call('GET', '/nope/upstream-components')).status).toBe(404);

    await call('POST', '', { id: 'blog', name: 'Blog', type: 'feed', url: `${server.url}/blog/feed.atom` });
    expect(await call('PUT', '/blog/upstream-components', { follow: 'all' })).toMatchObject({ status: 422, body: { error: { code: 'no_component_choice', details: { fields: ['follow'] } } } });
    // A config file's source is chosen in the file.
    await app.cycle();
    expect(await call('PUT', '/vtex/upstream-components', { follow: 'all' })).toMatchObject({ status: 409, body: { error: { code: 'config_source' } } });
  });
});

describe('the last raw payload', () => {
  it('answers the last good body of each endpoint, and after a body the adapter refused, says the last poll failed on it', async () => {
    expect((await call('GET', '/nope/payload')).status).toBe(404);
    await addGenesys();
    expect((await call('GET', '/genesys/payload')).body).toEqual({ source_id: 'genesys', type: 'statuspage', bodies: [], last_error: null, last_error_at: null, failed_at: null });

    await call('POST', '/genesys/poll');
    const polledAt = app.clock.now().toISOString();
    const good = await call('GET', '/genesys/payload');
    expect(good.status).toBe(200);
    expect(good.body.bodies.map((b: Json) => b.endpoint)).toEqual(['incidents', 'maintenances', 'summary']);
    const summary = good.body.bodies.find((b: Json) => b.endpoint === 'summary');
    expect(summary).toMatchObject({ stored_at: polledAt, format: 'json', content_type: 'application/json', bytes: Buffer.byteLength(summary.body) });
    expect(JSON.parse(summary.body)).toEqual(statuspagePages().summary);
    expect(good.body.last_error).toBeNull();

    // The provider now sends a summary that is not JSON at all: the poll fails on the body, the last good one stays.
    app.clock.advance(5 * 60_000);
    server.route('/genesys/api/v2/summary.json', { body: '{"page": {"id": "x"}, "components": [', headers: { 'content-type': 'application/json' } });
    await call('POST', '/genesys/poll');
    const broken = (await call('GET', '/genesys/payload')).body;
    expect(broken.failed_at).toBe('body');
    expect(broken.last_error).toMatch(/^parse: /);
    expect(broken.last_error_at).toBe(app.clock.now().toISOString());
    expect(broken.bodies.find((b: Json) => b.endpoint === 'summary')).toEqual(summary);

    // A hostile answer (an HTML page where JSON was expected) is refused by the fetcher: also a failure on the body.
    server.route('/genesys/api/v2/summary.json', { body: '<!doctype html><html><script>alert(1)</script></html>', headers: { 'content-type': 'text/html' } });
    await call('POST', '/genesys/poll');
    const hostile = (await call('GET', '/genesys/payload')).body;
    expect(hostile).toMatchObject({ failed_at: 'body', last_error: expect.stringMatching(/^fetch: summary: expected JSON, got an HTML page/) });
    expect(hostile.bodies.find((b: Json) => b.endpoint === 'summary')).toEqual(summary);

    // No answer at all is not the body's fault.
    server.route('/genesys/api/v2/summary.json', { status: 503, body: 'busy' });
    await call('POST', '/genesys/poll');
    expect((await call('GET', '/genesys/payload')).body).toMatchObject({ failed_at: 'fetch', last_error: expect.stringMatching(/^fetch: summary: /) });
  });
});
