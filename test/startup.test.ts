import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningVigia } from '../worker/server.ts';
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { startTempVigia } from './helpers/server.ts';

/** Boots the real product (demo config, file database, Astro build) on a free port. */
describe('start-up', () => {
  let vigia: RunningVigia;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ vigia, close: stop } = await startTempVigia());
  }, 120_000);

  afterAll(async () => {
    await stop?.();
  });

  /** A GET with exactly these headers, body as sent (fetch would decompress it). */
  const raw = (path: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
      const req = request(`${vigia.url}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end();
    });

  it('creates and migrates the database, and generates an admin token when none is set', async () => {
    expect(vigia.generatedAdminToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const tables = await vigia.database.client.execute("select count(*) as n from sqlite_master where type = 'table' and name = 'incidents'");
    expect(Number(tables.rows[0]!.n)).toBe(1);
  });

  it('makes a first owner for a trial run, who can sign in', async () => {
    expect(vigia.trialOwner).toEqual({ email: 'admin@vigia.localhost', password: expect.stringMatching(/^[\w-]{20}$/) });
    const response = await fetch(`${vigia.url}/api/admin/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: vigia.trialOwner!.email, password: vigia.trialOwner!.password }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as any).account.role).toBe('owner');
  });

  it('serves the health check', async () => {
    const response = await fetch(`${vigia.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', database: 'reachable' });
  });

  it('serves the public API with the demo components', async () => {
    const summary = (await (await fetch(`${vigia.url}/api/v2/summary.json`)).json()) as any;
    expect(summary.page.name).toContain('Nubeandina');
    expect(summary.components.filter((c: any) => !c.group).length).toBeGreaterThanOrEqual(5);
    // Nothing has been read from the providers: their components say unknown, not operational.
    const workspace = summary.components.find((c: any) => c.id === 'google-workspace');
    expect(workspace.state).toBe('unknown');
  });

  it('serves the built status page in Spanish and English from the same origin', async () => {
    const es = await fetch(`${vigia.url}/`);
    expect(es.status).toBe(200);
    const html = await es.text();
    expect(html).toContain('<html lang="es"');
    expect(html).toContain('Hosting web · Bogotá');
    expect(html).toContain('Servicios');
    const en = await (await fetch(`${vigia.url}/en/`)).text();
    expect(en).toContain('<html lang="en"');
    expect(en).toContain('Services');
  });

  it('serves pages and public documents compressed, with validators and 304s, over HTTP', async () => {
    for (const path of ['/', '/api/v2/summary.json']) {
      const plain = await raw(path);
      expect(plain.status, path).toBe(200);
      const br = await raw(path, { 'accept-encoding': 'gzip, deflate, br' });
      const gz = await raw(path, { 'accept-encoding': 'gzip' });
      expect(br.headers['content-encoding'], path).toBe('br');
      expect(gz.headers['content-encoding'], path).toBe('gzip');
      expect(brotliDecompressSync(br.body).equals(plain.body), path).toBe(true);
      expect(gunzipSync(gz.body).equals(plain.body), path).toBe(true);
      expect(br.headers.vary).toBe('Accept-Encoding');
      const revalidated = await raw(path, { 'if-none-match': br.headers.etag as string });
      expect(revalidated.status, path).toBe(304);
      expect(revalidated.body.length).toBe(0);
    }
    // Hashed build assets (the admin console's script; small stylesheets are inlined into the pages).
    const html = (await raw('/admin/')).body.toString();
    const asset = /\/_astro\/[^"']+\.js/.exec(html)?.[0];
    expect(asset).toBeDefined();
    expect((await raw(asset!)).headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('answers unknown pages with the site’s HTML 404 in the visitor’s language, and unknown API paths with JSON', async () => {
    const es = await raw('/no-existe', { 'accept-language': 'es-CO,es;q=0.9' });
    expect(es.status).toBe(404);
    expect(es.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(es.body.toString()).toContain('<html lang="es"');
    const en = await raw('/en/incidents/no-such-incident/');
    expect(en.status).toBe(404);
    expect(en.body.toString()).toContain('<html lang="en"');
    const pt = await raw('/no-existe', { 'accept-language': 'pt-BR,pt;q=0.9' });
    expect(pt.body.toString()).toContain('<html lang="pt-BR"');
    const api = await raw('/api/no-existe');
    expect(api.status).toBe(404);
    expect(JSON.parse(api.body.toString())).toMatchObject({ error: { code: 'not_found' } });
  });

  it('rebuilds the page by itself after an incident is declared', async () => {
    const response = await fetch(`${vigia.url}/api/admin/incidents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${vigia.generatedAdminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Correo lento en Bogotá', severity: 3, message: 'Investigamos.', components: ['correo-corporativo'] }),
    });
    expect(response.status).toBe(201);
    const { incident } = (await response.json()) as any;
    // No build is asked for: the change is published, and the published change rebuilds the site.
    const deadline = Date.now() + 55_000;
    let html = '';
    while (!html.includes('Correo lento en Bogotá') && Date.now() < deadline) {
      html = await (await fetch(`${vigia.url}/`)).text();
      if (!html.includes('Correo lento en Bogotá')) await new Promise((r) => setTimeout(r, 200));
    }
    expect(html).toContain('Correo lento en Bogotá');
    const detail = await fetch(`${vigia.url}/incidents/${incident.id}/`);
    expect(detail.status).toBe(200);
    expect(await detail.text()).toContain('Investigamos.');
  }, 60_000);
});
