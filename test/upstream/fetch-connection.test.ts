import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchUpstream as fetchAnywhere, type FetchResult, type FetchSuccess, type FetchOptions } from '../../worker/upstream/fetch.ts';
import { startUpstreamServer, type UpstreamServer } from '../fakes/upstream-server.ts';
import { LOCAL_NETWORK } from '../helpers/egress.ts';

/** The fake upstream listens on 127.0.0.1: these fetches opt into private addresses. */
const fetchUpstream = (url: string, options: Partial<FetchOptions> = {}): Promise<FetchResult> => fetchAnywhere(url, { egress: LOCAL_NETWORK, ...options });

let server: UpstreamServer;
beforeAll(async () => {
  server = await startUpstreamServer();
});
afterAll(async () => {
  await server.close();
});

function success(result: FetchResult): FetchSuccess {
  if (!result.ok) throw new Error(`expected success, got ${result.error.kind}: ${result.error.message}`);
  return result;
}

/** Lets the client finish a response and hand its socket back to the pool (a few event-loop turns). */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

/** A page with an ETag that records which client connection (remote port) asked for it. */
function recordingPage(path: string, body: string, ports: number[]): void {
  server.route(path, (req, res) => {
    ports.push(req.socket.remotePort ?? -1);
    if (req.headers['if-none-match'] === '"p1"') {
      res.writeHead(304, { ETag: '"p1"' }).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ETag: '"p1"' }).end(body);
  });
}

describe('fetchUpstream connections', () => {
  it('keeps one connection alive across full answers and 304s', async () => {
    const ports: number[] = [];
    recordingPage('/kept.json', '{"page":{"name":"kept"}}', ports);
    const first = success(await fetchUpstream(`${server.url}/kept.json`, { expect: 'json' }));
    await settle();
    const second = success(await fetchUpstream(`${server.url}/kept.json`, { expect: 'json', previous: { etag: first.etag } }));
    await settle();
    const third = success(await fetchUpstream(`${server.url}/kept.json`, { expect: 'json', previous: { etag: second.etag } }));
    await settle();
    success(await fetchUpstream(`${server.url}/kept.json`, { expect: 'json' }));
    expect([first.status, second.status, third.status]).toEqual([200, 304, 304]);
    expect(ports).toHaveLength(4);
    expect(new Set(ports).size).toBe(1);
  });

  it('sends credentials in the URL as Basic authorization, unless an Authorization header is given', async () => {
    server.route('/private.json', { body: { ok: true } });
    const base = new URL(server.url);
    const withCredentials = `http://status%40example.com:p%C3%A1ss@${base.host}/private.json`;
    success(await fetchUpstream(withCredentials));
    const sent = server.requests.findLast((r) => r.path === '/private.json');
    expect(sent?.headers.authorization).toBe(`Basic ${Buffer.from('status@example.com:páss').toString('base64')}`);

    success(await fetchUpstream(withCredentials, { headers: { authorization: 'Bearer token-1' } }));
    expect(server.requests.findLast((r) => r.path === '/private.json')?.headers.authorization).toBe('Bearer token-1');
  });

  it('lets a caller header replace the fetcher’s own whatever its case', async () => {
    server.route('/accept.json', { body: { ok: true } });
    success(await fetchUpstream(`${server.url}/accept.json`, { expect: 'json', headers: { accept: 'application/vnd.status+json' } }));
    expect(server.requests.findLast((r) => r.path === '/accept.json')?.headers.accept).toBe('application/vnd.status+json');
  });

  it('reads the first of a repeated ETag and Location, as sent first', async () => {
    server.route('/twice', (_req, res) => {
      res.setHeader('Location', ['/twice-first.json', '/twice-second.json']);
      res.writeHead(302).end();
    });
    server.route('/twice-first.json', (_req, res) => {
      res.setHeader('ETag', ['"first"', '"second"']);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"which":"first"}');
    });
    server.route('/twice-second.json', { body: { which: 'second' } });
    const result = success(await fetchUpstream(`${server.url}/twice`, { expect: 'json' }));
    expect(result.url).toBe(`${server.url}/twice-first.json`);
    expect(result.etag).toBe('"first"');
  });
});
