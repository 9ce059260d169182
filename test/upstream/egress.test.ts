/**
 * The egress policy on every connection to an address someone typed: a source's polls and format detection refuse
 * link-local metadata (in its dotted, IPv4-mapped and decimal forms), 0.0.0.0, loopback, private ranges and the
 * worker's own port, also after a redirect and for a name that resolves to loopback; the allow-list lets one host
 * through; and detection's report tells nothing of a port's state.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { egressPolicy, literalAddressProblem, mayConnect } from '../../worker/lib/egress.ts';
import { detectUpstream, NO_STATUS_PAGE } from '../../worker/upstream/detect.ts';
import { fetchUpstream } from '../../worker/upstream/fetch.ts';
import { startUpstreamServer, type UpstreamServer } from '../fakes/upstream-server.ts';
import { LOCAL_NETWORK } from '../helpers/egress.ts';
import { fixture } from './support.ts';
import { watchApp } from './watch-support.ts';

type Json = Record<string, any>;

let server: UpstreamServer;
let port: number;
beforeAll(async () => {
  server = await startUpstreamServer();
  port = Number(new URL(server.url).port);
  server.route('/api/v2/summary.json', { body: fixture('statuspage-summary.json') });
});
afterAll(() => server.close());

/** Every form of an address the default policy refuses, as an admin might type it. */
const forbidden = (): [string, string][] => [
  ['link-local metadata', 'http://169.254.169.254/latest/meta-data/'],
  ['metadata, IPv4-mapped', 'http://[::ffff:169.254.169.254]/'],
  ['metadata, decimal', 'http://2852039166/'],
  ['metadata, hexadecimal', 'http://0xa9fea9fe/'],
  ['the unspecified address', `http://0.0.0.0:${port}/`],
  ['loopback', `${server.url}/`],
  ['loopback, short form', `http://127.1:${port}/`],
  ['IPv6 loopback', `http://[::1]:${port}/`],
  ['a private range', 'http://10.20.30.40/'],
  ['another private range', 'http://192.168.1.1/'],
];

describe('the policy', () => {
  it('refuses every non-public literal by default and allows a public one', () => {
    const policy = egressPolicy({});
    for (const [name, url] of forbidden()) expect(literalAddressProblem(policy, new URL(url).hostname), name).toMatch(/is not a public address/);
    expect(literalAddressProblem(policy, '93.184.216.34')).toBeNull();
    expect(mayConnect(policy, 'example.com', '::ffff:10.0.0.1')).toBe(false);
  });

  it('refuses the worker’s own port on a local address even when private networks are allowed', () => {
    const policy = egressPolicy({ allowPrivate: true, ownPort: 4321 });
    expect(mayConnect(policy, '127.0.0.1', '127.0.0.1', 4321)).toBe(false);
    expect(mayConnect(policy, 'localhost', '::1', 4321)).toBe(false);
    expect(mayConnect(policy, '0.0.0.0', '0.0.0.0', 4321)).toBe(false);
    expect(mayConnect(policy, '127.0.0.1', '127.0.0.1', 4322)).toBe(true);
  });
});

describe('the upstream fetcher', () => {
  it('refuses each form before connecting, by default', async () => {
    const before = server.requests.length;
    for (const [name, url] of forbidden()) {
      const result = await fetchUpstream(url, { timeoutMs: 2_000 });
      expect(result, name).toMatchObject({ ok: false, error: { kind: 'refused', retryable: false, message: expect.stringMatching(/not a public address/) } });
    }
    expect(server.requests.length).toBe(before);
  });

  it('refuses a redirect from an allowed host to loopback', async () => {
    const allowed = await startOn('127.0.0.2', (socket) => socket.end(`HTTP/1.1 302 Found\r\nLocation: ${server.url}/api/v2/summary.json\r\nContent-Length: 0\r\n\r\n`));
    const before = server.requests.length;
    const result = await fetchUpstream(`http://127.0.0.2:${allowed.port}/`, { egress: egressPolicy({ allow: '127.0.0.2' }) });
    expect(result).toMatchObject({ ok: false, error: { kind: 'refused' } });
    expect(server.requests.length).toBe(before);
    await allowed.close();
  });

  it('refuses a name that resolves to loopback, at connection time', async () => {
    const result = await fetchUpstream(`http://localhost:${port}/api/v2/summary.json`, { egress: egressPolicy({ allow: '127.0.0.2' }) });
    expect(result).toMatchObject({ ok: false, error: { kind: 'refused', message: expect.stringMatching(/localhost resolves to .*not a public address/) } });
  });

  it('lets the allow-listed host through, and only it', async () => {
    const policy = egressPolicy({ allow: 'localhost' });
    expect(await fetchUpstream(`http://localhost:${port}/api/v2/summary.json`, { egress: policy })).toMatchObject({ ok: true, status: 200 });
    expect(await fetchUpstream(`${server.url}/api/v2/summary.json`, { egress: policy })).toMatchObject({ ok: false, error: { kind: 'refused' } });
  });

  it('guards https addresses the same way: a refused name never opens a socket, an allowed one does', async () => {
    let connections = 0;
    // A TLS handshake's first bytes arrive and the socket is closed: enough to tell "connected" from "refused".
    const tls = await startOn('127.0.0.1', (socket) => socket.destroy());
    const counting = (): void => void connections++;
    tls.server.on('connection', counting);
    try {
      const refused = await fetchUpstream(`https://localhost:${tls.port}/api/v2/summary.json`, { egress: egressPolicy({ allow: '127.0.0.2' }), timeoutMs: 2_000 });
      expect(refused).toMatchObject({ ok: false, error: { kind: 'refused', message: expect.stringMatching(/localhost resolves to .*not a public address/) } });
      expect(connections).toBe(0);
      const allowed = await fetchUpstream(`https://localhost:${tls.port}/api/v2/summary.json`, { egress: egressPolicy({ allow: 'localhost' }), timeoutMs: 2_000 });
      expect(allowed.ok).toBe(false);
      expect(allowed).not.toMatchObject({ error: { kind: 'refused' } });
      expect(connections).toBeGreaterThanOrEqual(1);
    } finally {
      await tls.close();
    }
  });

  it('refuses the worker’s own port when private networks are allowed, by address and by name', async () => {
    const policy = egressPolicy({ allowPrivate: true, ownPort: port });
    expect(await fetchUpstream(`${server.url}/api/v2/summary.json`, { egress: policy })).toMatchObject({ ok: false, error: { kind: 'refused' } });
    expect(await fetchUpstream(`http://localhost:${port}/api/v2/summary.json`, { egress: policy })).toMatchObject({ ok: false, error: { kind: 'refused' } });
  });
});

describe('a source', () => {
  it('is never polled at a refused address: its error says why, no request leaves', async () => {
    const seeds = forbidden().map(([, url], i) => ({ id: `s${i}`, type: 'statuspage', url }));
    const app = await watchApp({ sources: seeds, components: [{ id: 'c', sources: seeds.map((s) => s.id) }], env: {} });
    try {
      const before = server.requests.length;
      await app.cycle();
      const { sources } = (await (await app.request('/api/admin/sources')).json()) as { sources: Json[] };
      expect(sources).toHaveLength(seeds.length);
      for (const source of sources) expect(source, source.url).toMatchObject({ consecutive_failures: 1, last_error: expect.stringMatching(/not a public address/) });
      expect(server.requests.length).toBe(before);
    } finally {
      await app.close();
    }
  });

  it('is polled at the worker’s own port by no one: refused even with private networks allowed', async () => {
    const app = await watchApp({
      sources: [{ id: 'self', type: 'statuspage', url: `http://localhost:${port}` }],
      components: [{ id: 'c', sources: ['self'] }],
      env: { VIGIA_ALLOW_PRIVATE_NETWORKS: '1', PORT: String(port) },
    });
    try {
      await app.cycle();
      const { source } = (await (await app.request('/api/admin/sources/self')).json()) as { source: Json };
      expect(source.last_error).toMatch(/not a public address/);
    } finally {
      await app.close();
    }
  });
});

describe('detection', () => {
  it('refuses each form through the admin API, by default, and asks nothing', async () => {
    const app = await watchApp({ sources: [], components: [{ id: 'c' }], env: {} });
    try {
      const before = server.requests.length;
      for (const [name, url] of forbidden()) {
        const response = await app.request('/api/admin/sources/detect', { method: 'POST', json: { url } });
        expect(response.status, name).toBe(422);
        const body = (await response.json()) as Json;
        expect(body.error.code).toBe('not_detected');
        expect(body.error.details.tried.length).toBeGreaterThan(0);
        for (const tried of body.error.details.tried) expect(tried.outcome, name).toMatch(/not a public address/);
      }
      expect(server.requests.length).toBe(before);
    } finally {
      await app.close();
    }
  });

  it('reads a refused, a silent and a closing port alike', async () => {
    const refused = await startOn('127.0.0.1', () => undefined);
    await refused.close();
    const silent = await startOn('127.0.0.1', () => undefined);
    const closing = await startOn('127.0.0.1', (socket) => socket.destroy());
    try {
      const reports = await Promise.all(
        [refused.port, silent.port, closing.port].map((p) => detectUpstream(`http://127.0.0.1:${p}/`, { fetch: { egress: LOCAL_NETWORK, timeoutMs: 300 } })),
      );
      const outcomes = reports.map((r) => ('tried' in r ? [r.error, ...r.tried.map((t) => t.outcome)] : r));
      for (const outcome of outcomes) expect(new Set((outcome as string[]).slice(1))).toEqual(new Set([NO_STATUS_PAGE]));
      expect(outcomes[1]).toEqual(outcomes[0]);
      expect(outcomes[2]).toEqual(outcomes[0]);
    } finally {
      await silent.close();
      await closing.close();
    }
  });
});

/** A bare TCP server on `host` that does `onConnection` with each socket. */
async function startOn(host: string, onConnection: (socket: Socket) => void): Promise<{ port: number; server: Server; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const tcp: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.once('data', () => onConnection(socket));
  });
  await new Promise<void>((resolve) => tcp.listen(0, host, resolve));
  const { port: bound } = tcp.address() as { port: number };
  return {
    port: bound,
    server: tcp,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        tcp.close(() => resolve());
      }),
  };
}
