import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerFor } from '../../worker/http/representation.ts';
import { precompressSite } from '../../worker/site/precompress.ts';
import { StaticSite } from '../../worker/site/static-site.ts';

const page = (lang: string, text: string) => `<!doctype html><html lang="${lang}"><body>${text.repeat(40)}</body></html>`;

describe('a site build served like a CDN', () => {
  let dir: string;
  let site: StaticSite;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigia-site-'));
    const files: Record<string, string> = {
      'index.html': page('es', 'Estado de los servicios. '),
      'en/index.html': page('en', 'Service status. '),
      '404.html': page('es', 'Página no encontrada. '),
      'en/404.html': page('en', 'Page not found. '),
      'pt-br/404.html': page('pt-BR', 'Página não encontrada. '),
      'incidents/abc123/index.html': page('es', 'Caída del correo. '),
      '_astro/index.B1x2.css': 'body{color:#111;background:#fff}'.repeat(60),
      'favicon.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
    };
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    const totals = await precompressSite(dir);
    expect(totals.files).toBe(8);
    site = await StaticSite.load(dir, 'es');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes gzip and brotli siblings once per build, only where they save bytes', () => {
    expect(existsSync(join(dir, 'index.html.br'))).toBe(true);
    expect(existsSync(join(dir, 'index.html.gz'))).toBe(true);
    expect(existsSync(join(dir, 'favicon.svg.br'))).toBe(false); // too small to be worth it
  });

  it('serves folders, their index.html and the path without the slash as the same page', async () => {
    const a = await site.representation('/incidents/abc123/');
    const b = await site.representation('/incidents/abc123');
    const c = await site.representation('/incidents/abc123/index.html');
    expect(a?.body.etag).toBeDefined();
    expect(b?.body.etag).toBe(a?.body.etag);
    expect(c?.body.etag).toBe(a?.body.etag);
    expect(await site.representation('/incidents/zzz/')).toBeUndefined();
    expect(await site.representation('/index.html.br')).toBeUndefined();
  });

  it('negotiates the precompressed bodies, which decode to the page', async () => {
    const rep = (await site.representation('/'))!;
    const identity = answerFor(rep, { method: 'GET' });
    const br = answerFor(rep, { method: 'GET', acceptEncoding: 'gzip, br' });
    const gz = answerFor(rep, { method: 'GET', acceptEncoding: 'gzip' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(brotliDecompressSync(br.body!).equals(identity.body!)).toBe(true);
    expect(gunzipSync(gz.body!).equals(identity.body!)).toBe(true);
    expect(identity.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(identity.headers.vary).toBe('Accept-Encoding');
  });

  it('caches hashed assets for a year and pages briefly, with validators and 304s', async () => {
    const css = (await site.representation('/_astro/index.B1x2.css'))!;
    expect(css.headers.identity!['cache-control']).toBe('public, max-age=31536000, immutable');
    const home = (await site.representation('/'))!;
    const first = answerFor(home, { method: 'GET' });
    expect(first.headers['cache-control']).toMatch(/^public, max-age=15/);
    expect(answerFor(home, { method: 'GET', ifNoneMatch: first.headers.etag }).status).toBe(304);
    expect(answerFor(home, { method: 'GET', ifModifiedSince: first.headers['last-modified'] }).status).toBe(304);
    // Once read, the representation is in memory for the fast path.
    expect(site.cached('/')).toBe(home);
  });

  it('answers unknown paths with the 404 page of the path’s locale, else of the visitor’s language', async () => {
    const text = async (path: string, lang?: string) => (await site.notFoundPage(path, lang))!.body.identity.toString();
    expect(await text('/en/nothing-here')).toContain('Page not found');
    expect(await text('/no-existe')).toContain('Página no encontrada');
    expect(await text('/no-existe', 'en-US,en;q=0.9')).toContain('Page not found');
    expect(await text('/no-existe', 'pt-BR,pt;q=0.9,en;q=0.5')).toContain('Página não encontrada');
    expect(await text('/no-existe', 'pt')).toContain('Página não encontrada');
    expect(await text('/no-existe', 'es-CO,en;q=0.5')).toContain('Página no encontrada');
    expect(await text('/no-existe', 'fr-FR,en;q=0.5')).toContain('Page not found');
    expect(await text('/no-existe', 'fr-FR')).toContain('Página no encontrada');
  });
});
