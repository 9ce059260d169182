import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchUpstream as fetchAnywhere, type FetchOptions, type FetchResult } from '../../worker/upstream/fetch.ts';
import { pollSource as pollAnywhere, type EndpointCache, type KeptCache, type PollOptions, type PollOutcome, type UpstreamSource } from '../../worker/upstream/poll.ts';
import { startUpstreamServer, type UpstreamServer } from '../fakes/upstream-server.ts';
import { NOW, fixture } from './support.ts';
import { LOCAL_NETWORK } from '../helpers/egress.ts';

/** The fake upstream listens on 127.0.0.1: these fetches opt into private addresses. */
const fetchUpstream = (url: string, options: Partial<FetchOptions> = {}): Promise<FetchResult> => fetchAnywhere(url, { egress: LOCAL_NETWORK, ...options });
/** The fake upstream listens on 127.0.0.1: these polls opt into private addresses. */
const pollSource = (source: UpstreamSource, previous: KeptCache | undefined, options: PollOptions): Promise<PollOutcome> =>
  pollAnywhere(source, previous, { ...options, fetch: { egress: LOCAL_NETWORK, ...options.fetch } });

let server: UpstreamServer;
beforeEach(async () => {
  server = await startUpstreamServer();
  server.route('/api/v2/summary.json', { body: fixture('statuspage-summary.json'), etag: '"s1"' });
  server.route('/api/v2/incidents.json', { body: fixture('statuspage-incidents.json'), etag: '"i1"' });
  server.route('/api/v2/scheduled-maintenances.json', { body: fixture('statuspage-scheduled-maintenances.json'), lastModified: 'Tue, 17 Nov 2026 13:00:00 GMT' });
});
afterEach(async () => {
  await server.close();
});

async function firstPoll(): Promise<EndpointCache> {
  const outcome = await pollSource({ type: 'statuspage', url: server.url }, undefined, { now: NOW });
  if (outcome.kind !== 'snapshot') throw new Error(`first poll gave ${outcome.kind}`);
  return outcome.cache;
}

const requestsTo = (path: string) => server.requests.filter((r) => r.path === path);

describe('pollSource', () => {
  it('returns a snapshot and a cache of bodies and validators on the first poll, without conditional headers', async () => {
    const cache = await firstPoll();
    expect(Object.keys(cache).sort()).toEqual(['incidents', 'maintenances', 'summary']);
    expect(cache.summary?.etag).toBe('"s1"');
    expect(cache.maintenances?.lastModified).toBe('Tue, 17 Nov 2026 13:00:00 GMT');
    expect(requestsTo('/api/v2/summary.json')[0]?.headers['if-none-match']).toBeUndefined();
  });

  it('reports "unchanged" without parsing when every endpoint answers 304', async () => {
    const cache = await firstPoll();
    const outcome = await pollSource({ type: 'statuspage', url: server.url }, cache, { now: NOW });
    expect(outcome.kind).toBe('unchanged');
    expect(requestsTo('/api/v2/summary.json')[1]?.headers['if-none-match']).toBe('"s1"');
    expect(requestsTo('/api/v2/scheduled-maintenances.json')[1]?.headers['if-modified-since']).toBe('Tue, 17 Nov 2026 13:00:00 GMT');
    expect(outcome.cache).toEqual(cache);
  });

  it('parses with the kept bodies of endpoints that answered 304 when another one changed', async () => {
    const cache = await firstPoll();
    const changed = JSON.parse(fixture('statuspage-summary.json')) as { components: { id: string; status: string }[] };
    for (const component of changed.components) component.status = 'operational';
    server.route('/api/v2/summary.json', { body: changed, etag: '"s2"' });
    const outcome = await pollSource({ type: 'statuspage', url: server.url }, cache, { now: NOW });
    if (outcome.kind !== 'snapshot') throw new Error(outcome.kind);
    expect(outcome.snapshot.components.every((c) => c.state === 'operational')).toBe(true);
    // incidents.json answered 304; its kept body still provides the resolved incidents.
    expect(outcome.snapshot.incidents.map((i) => i.upstreamId)).toContain('p0c5n8e3r6ts');
    expect(outcome.cache.summary?.etag).toBe('"s2"');
    expect(outcome.cache.incidents?.body).toBe(cache.incidents?.body);
  });

  it('fails, keeping the old cache, when the required endpoint fails', async () => {
    const cache = await firstPoll();
    server.route('/api/v2/summary.json', { status: 503, body: 'down' });
    const outcome = await pollSource({ type: 'statuspage', url: server.url }, cache, { now: NOW });
    expect(outcome).toMatchObject({ kind: 'failed', stage: 'fetch', retryable: true, message: expect.stringContaining('HTTP 503') });
    expect(outcome.cache).toBe(cache);
  });

  it('does not retry a 404 and does not store anything', async () => {
    server.route('/api/v2/summary.json', { status: 404, body: 'not here' });
    const outcome = await pollSource({ type: 'statuspage', url: server.url }, undefined, { now: NOW });
    expect(outcome).toMatchObject({ kind: 'failed', stage: 'fetch', retryable: false, cache: {} });
  });

  it('fails at the parse stage on a malformed payload and keeps the old cache so the next poll re-reads it', async () => {
    const cache = await firstPoll();
    server.route('/api/v2/summary.json', { body: '{"components": "oops", "page": {}}', etag: '"bad"' });
    const outcome = await pollSource({ type: 'statuspage', url: server.url }, cache, { now: NOW });
    expect(outcome).toMatchObject({ kind: 'failed', stage: 'parse', retryable: false });
    expect(outcome.cache.summary?.etag).toBe('"s1"');
  });

  it('fails on HTML instead of JSON, and on a body that never ends', async () => {
    server.route('/api/v2/summary.json', { body: '<!DOCTYPE html><html>Please enable JavaScript</html>', headers: { 'Content-Type': 'text/html' } });
    expect(await pollSource({ type: 'statuspage', url: server.url }, undefined, { now: NOW })).toMatchObject({
      kind: 'failed',
      stage: 'fetch',
      message: expect.stringContaining('expected JSON, got an HTML page'),
    });
    server.route('/api/v2/summary.json', { neverEnding: { intervalMs: 10 } });
    expect(await pollSource({ type: 'statuspage', url: server.url }, undefined, { now: NOW, fetch: { timeoutMs: 200 } })).toMatchObject({
      kind: 'failed',
      stage: 'fetch',
      retryable: true,
      message: expect.stringContaining('no complete answer within 200 ms'),
    });
  });

  it('fails on a body over the size cap without retrying', async () => {
    server.route('/api/v2/summary.json', { hugeBytes: 50 * 1024 * 1024 });
    expect(await pollSource({ type: 'statuspage', url: server.url }, undefined, { now: NOW, fetch: { maxBytes: 512 * 1024 } })).toMatchObject({
      kind: 'failed',
      stage: 'fetch',
      retryable: false,
      message: expect.stringContaining('exceeds the 524288-byte cap'),
    });
  });

  it('uses the last good body of an optional endpoint that failed, and says so', async () => {
    const cache = await firstPoll();
    server.route('/api/v2/summary.json', { body: fixture('statuspage-summary.json'), etag: '"s3"' });
    server.route('/api/v2/incidents.json', { status: 500, body: 'oops' });
    const outcome = await pollSource({ type: 'statuspage', url: server.url }, cache, { now: NOW });
    if (outcome.kind !== 'snapshot') throw new Error(outcome.kind);
    expect(outcome.warnings).toEqual([expect.stringMatching(/^incidents: HTTP 500 .*; using the body from the last good poll$/)]);
    expect(outcome.snapshot.incidents.map((i) => i.upstreamId)).toContain('z9h1a6m2b8qc');
  });

  it('parses without an optional endpoint it never had', async () => {
    server.route('/api/v2/incidents.json', { status: 404, body: 'no' });
    const outcome = await pollSource({ type: 'statuspage', url: server.url }, undefined, { now: NOW });
    if (outcome.kind !== 'snapshot') throw new Error(outcome.kind);
    expect(outcome.warnings).toEqual([expect.stringMatching(/^incidents: HTTP 404 .*; parsed without it$/)]);
    expect(outcome.snapshot.incidents.map((i) => i.upstreamId)).toEqual(['k7w2q9d1x4vb']);
    expect(outcome.cache).not.toHaveProperty('incidents');
  });

  it('never throws, even when the fetcher itself blows up', async () => {
    const outcome = await pollSource({ type: 'statuspage', url: server.url }, undefined, {
      now: NOW,
      fetcher: () => Promise.reject(new Error('kaboom')),
    });
    expect(outcome).toMatchObject({ kind: 'failed', stage: 'internal', message: 'Error: kaboom' });
  });

  it('fails cleanly on a source URL that is not a URL', async () => {
    expect(await pollSource({ type: 'statuspage', url: 'not a url' }, undefined, { now: NOW })).toMatchObject({ kind: 'failed' });
  });

  it('does not send conditional headers for health checks', async () => {
    server.route('/health', { body: 'OK', etag: '"h"' });
    const first = await pollSource({ type: 'http', url: `${server.url}/health` }, undefined, { now: NOW });
    await pollSource({ type: 'http', url: `${server.url}/health` }, first.cache, { now: NOW });
    expect(requestsTo('/health').map((r) => r.headers['if-none-match'])).toEqual([undefined, undefined]);
    // The fetcher is what the poll uses; a direct conditional fetch does get a 304 from this route.
    expect(await fetchUpstream(`${server.url}/health`, { previous: { etag: '"h"' } })).toMatchObject({ notModified: true });
  });
});

describe('pollSource with skipSecondary', () => {
  it('asks only the current-state endpoint while it answers 304, and says which were skipped', async () => {
    const cache = await firstPoll();
    const before = server.requests.length;
    const outcome = await pollSource({ type: 'statuspage', url: server.url }, cache, { now: NOW, skipSecondary: true });
    expect(outcome).toMatchObject({ kind: 'unchanged', skipped: ['incidents', 'maintenances'] });
    expect(server.requests.slice(before).map((r) => r.path)).toEqual(['/api/v2/summary.json']);
  });

  it('asks the secondary endpoints too as soon as the current state changed', async () => {
    const cache = await firstPoll();
    server.route('/api/v2/summary.json', { body: fixture('statuspage-summary.json').replace('Calls failing', 'Calls still failing'), etag: '"s2"' });
    const before = server.requests.length;
    const outcome = await pollSource({ type: 'statuspage', url: server.url }, cache, { now: NOW, skipSecondary: true });
    if (outcome.kind !== 'snapshot') throw new Error(outcome.kind);
    expect(server.requests.slice(before).map((r) => r.path).sort()).toEqual(['/api/v2/incidents.json', '/api/v2/scheduled-maintenances.json', '/api/v2/summary.json']);
    expect(outcome.snapshot.incidents.map((i) => i.upstreamId)).toContain('p0c5n8e3r6ts');
    expect(outcome.fresh).toEqual(['summary']);
  });

  it('fails at once, without asking the secondary endpoints, when the current-state endpoint fails', async () => {
    const cache = await firstPoll();
    server.route('/api/v2/summary.json', { status: 502, body: 'bad gateway' });
    const before = server.requests.length;
    expect(await pollSource({ type: 'statuspage', url: server.url }, cache, { now: NOW, skipSecondary: true })).toMatchObject({ kind: 'failed', retryable: true });
    expect(server.requests.slice(before).map((r) => r.path)).toEqual(['/api/v2/summary.json']);
  });

  it('reads kept bodies only when something changed, through loadBodies', async () => {
    const cache = await firstPoll();
    const validators = Object.fromEntries(Object.entries(cache).map(([key, entry]) => [key, { etag: entry.etag, lastModified: entry.lastModified }]));
    const asked: string[][] = [];
    const loadBodies = async (keys: string[]) => {
      asked.push(keys);
      return Object.fromEntries(keys.map((key) => [key, cache[key]!.body]));
    };
    expect(await pollSource({ type: 'statuspage', url: server.url }, validators, { now: NOW, loadBodies })).toMatchObject({ kind: 'unchanged' });
    expect(asked).toEqual([]);
    server.route('/api/v2/summary.json', { body: fixture('statuspage-summary.json'), etag: '"s9"' });
    const outcome = await pollSource({ type: 'statuspage', url: server.url }, validators, { now: NOW, loadBodies });
    expect(outcome.kind).toBe('snapshot');
    expect(asked).toEqual([['incidents', 'maintenances']]);
  });

  it('forgets validators whose body could not be read, so the next request is unconditional', async () => {
    const cache = await firstPoll();
    const validators = Object.fromEntries(Object.entries(cache).map(([key, entry]) => [key, { etag: entry.etag, lastModified: entry.lastModified }]));
    server.route('/api/v2/incidents.json', { body: fixture('statuspage-incidents.json'), etag: '"i2"' });
    const outcome = await pollSource({ type: 'statuspage', url: server.url }, validators, { now: NOW, loadBodies: async () => ({}) });
    expect(outcome).toMatchObject({ kind: 'failed', message: 'summary: answered 304 but no body is kept' });
    // Both 304 answers lost their body; the changed endpoint's old validators stay until a poll succeeds.
    expect(Object.keys(outcome.cache)).toEqual(['incidents']);
  });
});
