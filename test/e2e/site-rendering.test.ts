import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTempVigia, type TempVigia } from '../helpers/server.ts';

const TOKEN = 'site-rendering-admin-token';

/** Polls until a condition holds (the site follows a change by itself, within about a second on a quiet machine). */
async function eventually<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the site follows the published state, page by page', () => {
  let t: TempVigia;
  let url: string;
  const admin = async (path: string, body: unknown) => {
    const res = await fetch(`${url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status, await res.clone().text()).toBe(201);
    return (await res.json()) as { incident: { id: string } };
  };
  const page = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${url}${path}`, { headers });
    return { status: res.status, type: res.headers.get('content-type'), etag: res.headers.get('etag'), html: await res.text() };
  };

  beforeAll(async () => {
    t = await startTempVigia({ env: { ADMIN_TOKEN: TOKEN } });
    url = t.vigia.url;
  }, 300_000);
  afterAll(() => t?.close());

  it('shows a new incident on the home page without any rebuild being asked for', async () => {
    const { incident } = await admin('/api/admin/incidents', { title: 'Correo demorado', severity: 2, message: 'Los mensajes tardan en llegar.', components: ['correo-corporativo'] });
    await eventually('the home page to show the incident', async () => ((await page('/')).html.includes('Correo demorado') ? true : undefined));
    await eventually('the English home page too', async () => ((await page('/en/')).html.includes('Correo demorado') ? true : undefined));

    // Its own page is rendered when asked for, then answered from memory with the same validator.
    const first = await page(`/incidents/${incident.id}/`);
    expect(first.status).toBe(200);
    expect(first.type).toBe('text/html; charset=utf-8');
    expect(first.html).toContain('Los mensajes tardan en llegar.');
    expect((await page(`/incidents/${incident.id}`)).etag).toBe(first.etag);
    expect((await page(`/incidents/${incident.id}/`, { 'if-none-match': first.etag! })).status).toBe(304);

    // An update: the next request of that page has it, and a new validator.
    const res = await fetch(`${url}/api/admin/incidents/${incident.id}/updates`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'identified', message: 'Un filtro antispam retenía los mensajes.' }),
    });
    expect(res.status).toBe(201);
    const updated = await eventually('the incident page to show the update', async () => {
      const p = await page(`/incidents/${incident.id}/`);
      return p.html.includes('Un filtro antispam retenía los mensajes.') ? p : undefined;
    });
    expect(updated.etag).not.toBe(first.etag);
  }, 180_000);

  it('answers unknown pages with the HTML 404 page of their language, and the API with JSON', async () => {
    const missing = await page('/incidents/no-such-incident/');
    expect(missing.status).toBe(404);
    expect(missing.type).toBe('text/html; charset=utf-8');
    expect(missing.html).toContain('lang="es"');
    const english = await page('/en/nothing-here');
    expect(english.status).toBe(404);
    expect(english.html).toContain('lang="en"');
    const byHeader = await page('/nothing-here', { 'accept-language': 'en-US,en;q=0.8' });
    expect(byHeader.html).toContain('lang="en"');
    const api = await page('/api/v2/nothing.json');
    expect(api.status).toBe(404);
    expect(JSON.parse(api.html)).toMatchObject({ error: { code: 'not_found' } });
  });

  it('serves hashed assets for a year and pages for seconds, compressed', async () => {
    const home = await page('/');
    const css = /href="(\/_astro\/[^"]+\.css)"/.exec(home.html)?.[1];
    expect(css).toBeTruthy();
    const asset = await fetch(`${url}${css}`, { headers: { 'accept-encoding': 'br' } });
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-encoding')).toBe('br');
    const html = await fetch(`${url}/`, { headers: { 'accept-encoding': 'gzip' } });
    expect(html.headers.get('cache-control')).toMatch(/^public, max-age=15, stale-while-revalidate=/);
    expect(html.headers.get('content-encoding')).toBe('gzip');
    expect(html.headers.get('vary')).toBe('Accept-Encoding');
  });
});
