import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRequestListener } from '@hono/node-server';
import { fastPathListener } from '../../worker/http/fast-path.ts';
import { createLogger } from '../../worker/lib/logger.ts';
import { Publisher } from '../../worker/publish/publisher.ts';
import { precompressSite } from '../../worker/site/precompress.ts';
import { siteRoutes } from '../../worker/site/serve.ts';
import { StaticSite } from '../../worker/site/static-site.ts';
import { testConfig } from '../helpers/config.ts';
import { memoryDatabase } from '../helpers/db.ts';

/** One GET or HEAD with exactly these headers; the body as sent (not decoded). */
function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('a site file not in memory yet', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigia-fast-path-'));
  const page = `<!doctype html><title>Estado</title>${'<p>Todos los servicios operan con normalidad.</p>'.repeat(20_000)}`;
  let server: Server;
  let port: number;
  let reads = 0;
  let fallbacks = 0;
  let close: () => Promise<void>;

  beforeAll(async () => {
    writeFileSync(join(dir, 'index.html'), page);
    await precompressSite(dir);
    const site = await StaticSite.load(dir, 'es');
    // Counts the reads from disk (the real method does the reading).
    const files = site as unknown as { read: (entry: unknown) => Promise<unknown> };
    const read = files.read.bind(site);
    files.read = (entry) => (reads++, read(entry));
    // What the fast path does not answer goes to the site's routes, as in the server.
    const router = getRequestListener(siteRoutes(() => site).fetch);
    const database = await memoryDatabase();
    const publisher = new Publisher({ db: database.db, config: testConfig(), now: () => new Date(), logger: createLogger('silent'), sources: [], scheduled: false });
    server = createServer(
      fastPathListener({
        publisher,
        site: () => site,
        fallback: (req, res) => {
          fallbacks++;
          return router(req, res);
        },
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
    close = async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      database.close();
    };
  });
  afterAll(async () => {
    await close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads it once for all the requests that ask at the same time, and answers each with its encoding', async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, k) => get(port, '/', k % 2 ? { 'accept-encoding': 'gzip' } : {})),
    );
    expect(reads).toBe(1);
    for (const [k, answer] of answers.entries()) {
      expect(answer.status).toBe(200);
      const body = k % 2 ? gunzipSync(answer.body) : answer.body;
      expect(answer.headers['content-encoding']).toBe(k % 2 ? 'gzip' : undefined);
      expect(body.toString()).toBe(page);
    }
    // Then from memory, straight from the fast path, with validators: a revalidation of the gzip copy is a 304, a
    // HEAD has no body.
    const routed = fallbacks;
    const etag = answers[1]!.headers.etag as string;
    expect(etag).toMatch(/-gz"$/);
    expect((await get(port, '/', { 'accept-encoding': 'gzip', 'if-none-match': etag })).status).toBe(304);
    const head = await get(port, '/', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(reads).toBe(1);
    expect(fallbacks).toBe(routed);
  });

  it('leaves what the site does not have to the router', async () => {
    const before = fallbacks;
    expect((await get(port, '/nada/')).status).toBe(404);
    expect(fallbacks).toBe(before + 1);
  });
});
