import { createServer } from 'node:net';
import { createGzip, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchUpstream as fetchAnywhere, type FetchFailure, type FetchResult, type FetchSuccess, USER_AGENT, type FetchOptions } from '../../worker/upstream/fetch.ts';
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

function failure(result: FetchResult): FetchFailure['error'] {
  if (result.ok) throw new Error(`expected failure, got HTTP ${result.status}`);
  return result.error;
}

describe('fetchUpstream', () => {
  it('returns the body, validators and latency, and identifies itself', async () => {
    server.route('/ok.json', { body: { page: { name: 'x' } }, etag: '"v1"', lastModified: 'Tue, 17 Nov 2026 14:00:00 GMT' });
    const result = success(await fetchUpstream(`${server.url}/ok.json`, { expect: 'json' }));
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ page: { name: 'x' } });
    expect(result.etag).toBe('"v1"');
    expect(result.lastModified).toBe('Tue, 17 Nov 2026 14:00:00 GMT');
    expect(result.notModified).toBe(false);
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    const request = server.requests.findLast((r) => r.path === '/ok.json');
    expect(request?.headers['user-agent']).toBe(USER_AGENT);
    expect(USER_AGENT).toMatch(/^Vigia-status\/\d+\.\d+\.\d+/);
  });

  it('sends If-None-Match and reports a 304 as not modified', async () => {
    server.route('/etag.json', { body: { status: {} }, etag: '"abc"' });
    const first = success(await fetchUpstream(`${server.url}/etag.json`));
    expect(first.notModified).toBe(false);
    const second = success(await fetchUpstream(`${server.url}/etag.json`, { previous: { etag: first.etag } }));
    expect(second).toMatchObject({ status: 304, notModified: true, body: '', etag: '"abc"' });
    expect(server.requests.findLast((r) => r.path === '/etag.json')?.headers['if-none-match']).toBe('"abc"');
  });

  it('sends If-Modified-Since and keeps the previous validators on a 304 that omits them', async () => {
    server.route('/lm.json', { body: { status: {} }, lastModified: 'Tue, 17 Nov 2026 14:00:00 GMT' });
    const result = success(
      await fetchUpstream(`${server.url}/lm.json`, { previous: { lastModified: 'Tue, 17 Nov 2026 14:00:00 GMT', etag: '"old"' } }),
    );
    expect(result.notModified).toBe(true);
    expect(result.lastModified).toBe('Tue, 17 Nov 2026 14:00:00 GMT');
    expect(result.etag).toBe('"old"');
  });

  it('gets the full body again when the ETag no longer matches', async () => {
    server.route('/changed.json', { body: { v: 2 }, etag: '"v2"' });
    const result = success(await fetchUpstream(`${server.url}/changed.json`, { previous: { etag: '"v1"' } }));
    expect(result).toMatchObject({ status: 200, notModified: false, etag: '"v2"' });
  });

  it('reports a 500 as a retryable http_status error', async () => {
    server.route('/boom', { status: 500, body: 'Internal Server Error' });
    expect(failure(await fetchUpstream(`${server.url}/boom`))).toMatchObject({ kind: 'http_status', status: 500, retryable: true });
  });

  it('reports a 404 as not retryable, and a 429 as retryable with its Retry-After', async () => {
    server.route('/gone', { status: 404, body: 'nope' });
    expect(failure(await fetchUpstream(`${server.url}/gone`))).toMatchObject({ kind: 'http_status', status: 404, retryable: false });
    server.route('/slow-down', { status: 429, body: 'later', headers: { 'Retry-After': '120' } });
    expect(failure(await fetchUpstream(`${server.url}/slow-down`))).toMatchObject({
      kind: 'http_status',
      status: 429,
      retryable: true,
      retryAfterMs: 120_000,
    });
  });

  it('times out when the answer does not start in time', async () => {
    server.route('/late', { delayMs: 2_000, body: '{}' });
    const error = failure(await fetchUpstream(`${server.url}/late`, { timeoutMs: 150 }));
    expect(error).toMatchObject({ kind: 'timeout', retryable: true });
  });

  it('cuts a body that never ends at the deadline', async () => {
    server.route('/endless', { neverEnding: { chunk: '{"components":[', intervalMs: 10 } });
    const result = await fetchUpstream(`${server.url}/endless`, { timeoutMs: 300 });
    expect(failure(result)).toMatchObject({ kind: 'timeout', retryable: true });
    // Headers and some chunks did arrive: the deadline covered the body read, not just the connection.
    expect(server.bytesSent('/endless')).toBeGreaterThan(0);
  });

  it('cuts a compressed body that never ends at the deadline too (through the decompressor)', async () => {
    let flushes = 0;
    server.fallback((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
      const gzip = createGzip();
      gzip.pipe(res);
      gzip.write('{"components":[');
      const timer = setInterval(() => {
        gzip.write('{"id":"x","status":"operational"},');
        gzip.flush();
        flushes += 1;
      }, 10);
      res.on('close', () => {
        clearInterval(timer);
        gzip.destroy();
      });
    });
    const result = await fetchUpstream(`${server.url}/endless.json.gz`, { timeoutMs: 300 });
    expect(failure(result)).toMatchObject({ kind: 'timeout', retryable: true });
    // The server was still sending (compressed, through the decompressor) when the deadline cut the body.
    expect(flushes).toBeGreaterThan(0);
  });

  it('cuts a 50 MB body at the size cap without reading the rest', async () => {
    const cap = 1024 * 1024;
    server.route('/huge.json', { hugeBytes: 50 * 1024 * 1024 });
    const error = failure(await fetchUpstream(`${server.url}/huge.json`, { maxBytes: cap }));
    expect(error).toMatchObject({ kind: 'too_large', retryable: false });
    // Wait for the server to notice the closed socket, then check how much it managed to push.
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Only the cap plus what socket buffers held was sent; the 50 MB were never produced, let alone read.
    expect(server.bytesSent('/huge.json')).toBeLessThan(10 * 1024 * 1024);
  });

  it('counts bytes after decompression, so a small gzip bomb is cut at the cap', async () => {
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024, '0'));
    expect(bomb.length).toBeLessThan(64 * 1024);
    server.route('/bomb.json', { body: bomb, headers: { 'Content-Encoding': 'gzip', 'Content-Type': 'application/json' } });
    expect(failure(await fetchUpstream(`${server.url}/bomb.json`, { maxBytes: 1024 * 1024 }))).toMatchObject({ kind: 'too_large' });
  });

  it('reports a connection cut mid-body as a retryable network error', async () => {
    server.route('/cut', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
      res.write('{"components": [');
      setTimeout(() => res.destroy(), 20);
    });
    expect(failure(await fetchUpstream(`${server.url}/cut`))).toMatchObject({ kind: 'network', retryable: true });
  });

  it('refuses a declared Content-Length over the cap before reading', async () => {
    server.route('/declared-big', (_req, res) => {
      res.writeHead(200, { 'Content-Length': String(100 * 1024 * 1024), 'Content-Type': 'application/json' });
      res.write('{');
    });
    expect(failure(await fetchUpstream(`${server.url}/declared-big`, { maxBytes: 1024, timeoutMs: 2_000 }))).toMatchObject({
      kind: 'too_large',
    });
  });

  it('returns the first maxBytes with overflow "truncate"', async () => {
    server.route('/huge-truncated', { hugeBytes: 5 * 1024 * 1024 });
    const result = success(await fetchUpstream(`${server.url}/huge-truncated`, { maxBytes: 1000, overflow: 'truncate' }));
    expect(result.body).toHaveLength(1000);
    expect(result.truncated).toBe(true);
  });

  it('follows redirects up to the limit', async () => {
    server.route('/hop1', { redirectTo: '/hop2', status: 301 });
    server.route('/hop2', { redirectTo: `${server.url}/final.json`, status: 307 });
    server.route('/final.json', { body: { ok: true } });
    const result = success(await fetchUpstream(`${server.url}/hop1`));
    expect(result.url).toBe(`${server.url}/final.json`);
    expect(JSON.parse(result.body)).toEqual({ ok: true });
  });

  it('detects a redirect loop', async () => {
    server.route('/loop-a', { redirectTo: '/loop-b' });
    server.route('/loop-b', { redirectTo: '/loop-a' });
    expect(failure(await fetchUpstream(`${server.url}/loop-a`))).toMatchObject({ kind: 'redirect_loop', retryable: false });
  });

  it('stops after too many redirects', async () => {
    for (let i = 0; i < 8; i += 1) server.route(`/chain-${i}`, { redirectTo: `/chain-${i + 1}` });
    expect(failure(await fetchUpstream(`${server.url}/chain-0`, { maxRedirects: 5 }))).toMatchObject({ kind: 'too_many_redirects' });
  });

  it('returns the redirect itself when redirects are not followed', async () => {
    server.route('/moved', { redirectTo: '/elsewhere', status: 302 });
    const result = success(await fetchUpstream(`${server.url}/moved`, { maxRedirects: 0, acceptStatus: () => true }));
    expect(result.status).toBe(302);
  });

  it('refuses a redirect to a non-http scheme', async () => {
    server.route('/to-file', { redirectTo: 'file:///etc/passwd' });
    expect(failure(await fetchUpstream(`${server.url}/to-file`))).toMatchObject({ kind: 'network', retryable: false });
  });

  it('flags HTML served instead of JSON as bad content', async () => {
    server.route('/html-instead', { body: '<!DOCTYPE html><html><body>Status</body></html>', headers: { 'Content-Type': 'application/json' } });
    const error = failure(await fetchUpstream(`${server.url}/html-instead`, { expect: 'json' }));
    expect(error).toMatchObject({ kind: 'bad_content', retryable: false });
    expect(error.message).toContain('expected JSON, got an HTML page');
  });

  it('decodes the declared charset', async () => {
    server.route('/latin1', { body: Buffer.from('{"name":"Mantenimiento de conciliación"}', 'latin1'), headers: { 'Content-Type': 'application/json; charset=ISO-8859-1' } });
    const result = success(await fetchUpstream(`${server.url}/latin1`));
    expect(JSON.parse(result.body)).toEqual({ name: 'Mantenimiento de conciliación' });
  });

  it('reports a refused connection as a retryable network error', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    expect(failure(await fetchUpstream(`http://127.0.0.1:${port}/x`))).toMatchObject({ kind: 'network', retryable: true });
  });

  it('refuses URLs that are not http(s) without trying them', async () => {
    expect(failure(await fetchUpstream('file:///etc/passwd'))).toMatchObject({ kind: 'network', retryable: false });
    expect(failure(await fetchUpstream('not a url'))).toMatchObject({ kind: 'network', retryable: false });
  });
});
