import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpCheckOptionsSchema } from '../../worker/upstream/adapters/http.ts';
import { pollSource as pollAnywhere, type KeptCache, type PollOptions, type PollOutcome, type UpstreamSource } from '../../worker/upstream/poll.ts';
import type { UpstreamSnapshot } from '../../worker/upstream/types.ts';
import { startUpstreamServer, type UpstreamServer } from '../fakes/upstream-server.ts';
import { NOW } from './support.ts';
import { LOCAL_NETWORK } from '../helpers/egress.ts';

/** The fake upstream listens on 127.0.0.1: these polls opt into private addresses. */
const pollSource = (source: UpstreamSource, previous: KeptCache | undefined, options: PollOptions): Promise<PollOutcome> =>
  pollAnywhere(source, previous, { ...options, fetch: { egress: LOCAL_NETWORK, ...options.fetch } });

let server: UpstreamServer;
beforeAll(async () => {
  server = await startUpstreamServer();
});
afterAll(async () => {
  await server.close();
});

async function check(path: string, options: unknown = {}, fetch = {}): Promise<UpstreamSnapshot> {
  const outcome = await pollSource({ type: 'http', url: `${server.url}${path}`, options }, undefined, { now: NOW, fetch });
  if (outcome.kind !== 'snapshot') throw new Error(`poll gave ${outcome.kind}`);
  return outcome.snapshot;
}

describe('http health check', () => {
  it('is operational on a 200, named after the host by default', async () => {
    server.route('/health', { body: 'OK' });
    const snapshot = await check('/health');
    expect(snapshot.components).toEqual([{ upstreamId: 'http', name: new URL(server.url).host, state: 'operational' }]);
    expect(snapshot.probe).toMatchObject({ status: 200 });
    expect(snapshot.pageStatus?.indicator).toBe('none');
  });

  it('counts a redirect as an answer without following it', async () => {
    server.route('/login', { redirectTo: '/sso', status: 302 });
    const snapshot = await check('/login', { name: 'Webmail' });
    expect(snapshot.components[0]).toEqual({ upstreamId: 'http', name: 'Webmail', state: 'operational' });
    expect(server.requests.some((r) => r.path === '/sso')).toBe(false);
  });

  it('is down on a status outside the expected range', async () => {
    server.route('/broken', { status: 503, body: 'Service Unavailable' });
    const snapshot = await check('/broken');
    expect(snapshot.components[0]?.state).toBe('major_outage');
    expect(snapshot.probe).toMatchObject({ status: 503, reason: 'HTTP 503 (expected 200–399)' });
  });

  it('honours a custom range', async () => {
    server.route('/teapot', { status: 418, body: 'short and stout' });
    expect((await check('/teapot', { expectStatus: { min: 418, max: 418 } })).components[0]?.state).toBe('operational');
  });

  it('is down when the expected text is missing', async () => {
    server.route('/page', { body: '<html>Maintenance</html>' });
    expect((await check('/page', { expectText: 'Sign in' })).components[0]?.state).toBe('major_outage');
    expect((await check('/page', { expectText: 'Maintenance' })).components[0]?.state).toBe('operational');
  });

  it('is degraded when slower than the threshold', async () => {
    server.route('/sluggish', { delayMs: 150, body: 'OK' });
    const snapshot = await check('/sluggish', { slowMs: 50 });
    expect(snapshot.components[0]?.state).toBe('degraded_performance');
    expect(snapshot.probe?.latencyMs).toBeGreaterThanOrEqual(150);
  });

  it('is down on a timeout, and the poll itself still succeeds', async () => {
    server.route('/hang', { delayMs: 3_000, body: 'late' });
    const snapshot = await check('/hang', {}, { timeoutMs: 100 });
    expect(snapshot.components[0]?.state).toBe('major_outage');
    expect(snapshot.probe?.reason).toMatch(/^no answer: no complete answer within 100 ms/);
  });

  it('validates its options', () => {
    expect(httpCheckOptionsSchema.safeParse({ expectStatus: { min: 400, max: 200 } }).success).toBe(false);
    expect(httpCheckOptionsSchema.safeParse({ slowMs: -1 }).success).toBe(false);
    expect(httpCheckOptionsSchema.safeParse({ unknownOption: 1 }).success).toBe(false);
    expect(httpCheckOptionsSchema.parse({})).toEqual({ expectStatus: { min: 200, max: 399 }, slowMs: 5000 });
  });
});
