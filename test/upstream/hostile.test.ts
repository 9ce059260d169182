/**
 * Hostile upstreams at the worker level: whatever a page does, the watch goes on polling the others, the source
 * shows the error (then `unknown`), and nothing already recorded is lost.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startUpstreamServer, type RouteSpec, type UpstreamServer } from '../fakes/upstream-server.ts';
import { fixture } from './support.ts';
import { rowCounts, serveStatuspage, sourceRow, statuspagePages, watchApp } from './watch-support.ts';

type Json = Record<string, any>;
const HOUR = 3_600_000;
const MINUTE = 60_000;

let server: UpstreamServer;
let app: Awaited<ReturnType<typeof watchApp>>;

beforeEach(async () => {
  server = await startUpstreamServer();
  serveStatuspage(server, statuspagePages(), '/good');
  serveStatuspage(server, statuspagePages(), '/victim');
  server.route('/feed.rss', { body: fixture('provider-with-script.rss') });
  app = await watchApp({
    sources: [
      { id: 'good', type: 'statuspage', url: `${server.url}/good` },
      { id: 'victim', type: 'statuspage', url: `${server.url}/victim` },
      { id: 'feed', type: 'feed', url: `${server.url}/feed.rss` },
    ],
    components: [
      { id: 'a', sources: ['good'] },
      { id: 'b', sources: ['victim'] },
      { id: 'c', sources: ['feed'] },
    ],
    // A cap well under the huge body, so it is reached long before the deadline even on a loaded machine.
    watch: { fetch: { timeoutMs: 600, maxBytes: 512 * 1024 } },
  });
  // The starting point is every source read once. On a busy machine a first poll can miss the short deadline these
  // tests use; poll again (a minute later each time) until all three have been read.
  for (let attempt = 0; attempt < 10; attempt++) {
    await app.cycle();
    const rows = await Promise.all(['good', 'victim', 'feed'].map((id) => sourceRow(app.database.db, id)));
    if (rows.every((r) => r.lastSuccessAt && r.consecutiveFailures === 0)) break;
    app.clock.advance(2 * HOUR);
  }
});
afterEach(async () => {
  await app.close();
  await server.close();
});

/** The next poll, one interval later (the first failure comes before any back-off). */
async function nextPoll(): Promise<void> {
  app.clock.advance(MINUTE);
  await app.cycle();
}

/** Polls `times` more times; the clock jumps past any back-off each time. */
async function failRepeatedly(times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    app.clock.advance(2 * HOUR);
    await app.cycle();
  }
}

async function publishedComponent(id: string): Promise<Json> {
  const { components } = (await (await app.request('/api/v2/components.json')).json()) as { components: Json[] };
  return components.find((c) => c.id === id)!;
}

const hostile: [string, RouteSpec | ((server: UpstreamServer) => void), RegExp][] = [
  ['malformed JSON', { body: '{"components": [{"id": "x", ', headers: { 'Content-Type': 'application/json' } }, /parse: malformed JSON at summary\.json/],
  ['wrong types', { body: { page: {}, components: 'all good', incidents: 42 } }, /parse: expected "components" to be an array/],
  ['HTML instead of JSON', { body: '<!DOCTYPE html><html><body>Please enable JavaScript</body></html>', headers: { 'Content-Type': 'text/html' } }, /expected JSON, got an HTML page/],
  ['a 50 MB body', { hugeBytes: 50 * 1024 * 1024 }, /exceeds the 524288-byte cap/],
  ['a body that never ends', { neverEnding: { intervalMs: 10 } }, /no complete answer within 600 ms/],
  ['a 500', { status: 500, body: 'Internal Server Error' }, /HTTP 500/],
  ['a timeout', { delayMs: 5_000, body: '{}' }, /no complete answer within 600 ms/],
  [
    'a redirect loop',
    (s) => {
      s.route('/victim/api/v2/summary.json', { redirectTo: '/loop-a' });
      s.route('/loop-a', { redirectTo: '/loop-b' });
      s.route('/loop-b', { redirectTo: '/loop-a' });
    },
    /redirect loop/,
  ],
];

describe('a hostile upstream never costs the worker or the record', () => {
  it.each(hostile)('%s', async (_name, spec, error) => {
    const before = await rowCounts(app.database.db);
    const openBefore = (await publishedComponent('b')).status;
    expect(openBefore).toBe('major_outage');
    if (typeof spec === 'function') spec(server);
    else server.route('/victim/api/v2/summary.json', spec);

    await nextPoll();
    let victim = await sourceRow(app.database.db, 'victim');
    expect(victim.lastError).toMatch(error);
    expect(victim).toMatchObject({ consecutiveFailures: 1, state: 'major_outage' });

    await failRepeatedly(2);
    victim = await sourceRow(app.database.db, 'victim');
    expect(victim).toMatchObject({ consecutiveFailures: 3, state: 'unknown', reportedState: 'major_outage' });
    expect(victim.stateSince).toEqual(victim.lastSuccessAt);

    // The other sources went on being polled, successfully.
    const good = await sourceRow(app.database.db, 'good');
    expect(good).toMatchObject({ consecutiveFailures: 0, lastError: null });
    expect(good.lastSuccessAt).toEqual(app.clock.now());

    // Nothing recorded was lost: the victim's open incident still holds its component.
    expect(await rowCounts(app.database.db)).toEqual(before);
    const b = await publishedComponent('b');
    // The public sees the source unreadable since its last success, never the error itself (the admin API has it).
    expect(b).toMatchObject({ status: 'major_outage', sources: [expect.objectContaining({ state: 'unknown', state_since: victim.lastSuccessAt!.toISOString() })] });
    expect(b.sources[0]).not.toHaveProperty('last_error');
  });

  it('a source shows "unknown since" its last success once it cannot be read and nothing worse is known', async () => {
    // A healthy page first, so the component would otherwise be operational.
    const pages = statuspagePages();
    for (const c of pages.summary.components as Json[]) c.status = 'operational';
    pages.summary.incidents = [];
    pages.incidents.incidents = [];
    serveStatuspage(server, pages, '/victim');
    app.clock.advance(HOUR);
    await app.cycle();
    const lastSuccess = (await sourceRow(app.database.db, 'victim')).lastSuccessAt!;
    server.route('/victim/api/v2/summary.json', { status: 502, body: 'bad gateway' });
    await failRepeatedly(3);
    expect(await publishedComponent('b')).toMatchObject({ status: 'operational', state: 'unknown', unknown_since: lastSuccess.toISOString() });
  });

  it('a feed turned into broken markup with scripts fails the poll and keeps what the feed had said', async () => {
    const before = await rowCounts(app.database.db);
    server.route('/feed.rss', { body: '<rss><channel><item><title><script>alert(1)</script></title></channel>', headers: { 'Content-Type': 'application/rss+xml' } });
    await failRepeatedly(1);
    const feed = await sourceRow(app.database.db, 'feed');
    expect(feed.lastError).toMatch(/^parse: malformed XML/);
    expect(await rowCounts(app.database.db)).toEqual(before);
  });

  it('a failure while recording is the source\'s failure, not the worker\'s; the next poll records normally', async () => {
    const before = await rowCounts(app.database.db);
    await app.database.client.execute(`CREATE TRIGGER refuse_incidents BEFORE UPDATE ON incidents BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`);
    const pages = statuspagePages();
    (pages.summary.incidents as Json[])[0]!.name = 'Calls failing (renamed)';
    serveStatuspage(server, pages, '/victim');
    await nextPoll();
    const victim = await sourceRow(app.database.db, 'victim');
    expect(victim.lastError).toMatch(/^internal: recording failed: .*disk on fire/);
    expect(victim.lastError).not.toContain('update "incidents"');
    expect(victim.consecutiveFailures).toBe(1);
    expect(await rowCounts(app.database.db)).toEqual(before);
    // The transaction was rolled back whole: the body that could not be recorded was not kept either.
    await app.database.client.execute('DROP TRIGGER refuse_incidents');
    await failRepeatedly(1);
    const { incidents } = (await (await app.request('/api/v2/incidents/unresolved.json')).json()) as { incidents: Json[] };
    expect(incidents.map((i) => i.name)).toContain('Calls failing (renamed)');
    expect((await sourceRow(app.database.db, 'victim')).consecutiveFailures).toBe(0);
  });
});
