import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseEncoding, encodeBody, etagMatches, etagOf, MIN_COMPRESS_BYTES, variantEtag } from '../../worker/publish/encode.ts';
import { answerFor, prepareRepresentation } from '../../worker/http/representation.ts';

const both = { gzip: Buffer.from('g'), br: Buffer.from('b') };

describe('content encodings', () => {
  it('gzip and brotli bodies decode to the identity body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: MIN_COMPRESS_BYTES, maxLength: 5_000 }), async (text) => {
        const body = text.repeat(3);
        const encoded = await encodeBody(body);
        expect(encoded.identity.toString()).toBe(body);
        if (encoded.gzip) expect(gunzipSync(encoded.gzip).toString()).toBe(body);
        if (encoded.br) expect(brotliDecompressSync(encoded.br).toString()).toBe(body);
      }),
      { numRuns: 30 },
    );
    const json = JSON.stringify({ components: Array.from({ length: 50 }, (_, i) => ({ id: `c${i}`, status: 'operational' })) });
    const encoded = await encodeBody(json);
    expect(encoded.gzip!.length).toBeLessThan(json.length / 3);
    expect(encoded.br!.length).toBeLessThan(encoded.gzip!.length);
  });

  it('keeps a small compressed body in bytes of about its size, not in zlib’s whole output chunk', async () => {
    const badge = `<svg xmlns="http://www.w3.org/2000/svg">${'<text x="1">Operativo</text>'.repeat(40)}</svg>`;
    const encoded = await encodeBody(badge);
    for (const bytes of [encoded.gzip!, encoded.br!]) {
      expect(bytes.length).toBeLessThan(200);
      // Its own bytes, or a slice of Node's shared pool for small buffers.
      expect(bytes.buffer.byteLength).toBeLessThanOrEqual(Buffer.poolSize);
    }
    expect(brotliDecompressSync(encoded.br!).toString()).toBe(badge);
  });

  it('leaves small bodies uncompressed', async () => {
    const encoded = await encodeBody('{"ok":true}');
    expect(encoded).toMatchObject({ gzip: null, br: null });
  });

  it('prefers brotli, then gzip, honours q=0, and falls back to identity', () => {
    expect(chooseEncoding('gzip, deflate, br', both)).toBe('br');
    expect(chooseEncoding('gzip', both)).toBe('gzip');
    expect(chooseEncoding('br;q=0, gzip;q=0.5', both)).toBe('gzip');
    expect(chooseEncoding('gzip;q=0', both)).toBe('identity');
    expect(chooseEncoding('*', both)).toBe('br');
    expect(chooseEncoding(undefined, both)).toBe('identity');
    expect(chooseEncoding('br', { gzip: both.gzip, br: null })).toBe('identity');
  });

  it('has one validator per body, with a variant per encoding, matched weakly by If-None-Match', () => {
    const etag = etagOf(Buffer.from('a'));
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
    expect(etagOf(Buffer.from('a'))).toBe(etag);
    expect(etagOf(Buffer.from('b'))).not.toBe(etag);
    expect(variantEtag(etag, 'gzip')).toBe(`${etag.slice(0, -1)}-gz"`);
    expect(etagMatches(etag, etag)).toBe(true);
    expect(etagMatches(`W/${variantEtag(etag, 'br')}`, etag)).toBe(true);
    expect(etagMatches(`"other", ${variantEtag(etag, 'gzip')}`, etag)).toBe(true);
    expect(etagMatches('"other"', etag)).toBe(false);
    expect(etagMatches('*', etag)).toBe(true);
  });
});

describe('answers', () => {
  const rep = async (body: string) =>
    prepareRepresentation(await encodeBody(body), { contentType: 'application/json', cacheControl: 'public, max-age=10', lastModified: new Date('2026-11-20T15:00:00.500Z') });

  it('answers 304 with the validators and no body for a matching If-None-Match, whatever the encoding asked', async () => {
    const r = await rep('x'.repeat(2_000));
    const full = answerFor(r, { method: 'GET', acceptEncoding: 'gzip' });
    expect(full.status).toBe(200);
    expect(full.headers).toMatchObject({ 'content-encoding': 'gzip', vary: 'Accept-Encoding', 'cache-control': 'public, max-age=10' });
    expect(Number(full.headers['content-length'])).toBe(full.body!.length);
    const again = answerFor(r, { method: 'GET', acceptEncoding: 'br', ifNoneMatch: full.headers.etag });
    expect(again).toMatchObject({ status: 304, body: null });
    expect(again.headers.etag).toBe(variantEtag(r.body.etag, 'br'));
    expect(again.headers['content-length']).toBeUndefined();
  });

  it('uses If-Modified-Since only without If-None-Match, at one-second precision', async () => {
    const r = await rep('{"a":1}');
    expect(r.headers.identity!['last-modified']).toBe('Fri, 20 Nov 2026 15:00:00 GMT');
    expect(answerFor(r, { method: 'GET', ifModifiedSince: 'Fri, 20 Nov 2026 15:00:00 GMT' }).status).toBe(304);
    expect(answerFor(r, { method: 'GET', ifModifiedSince: 'Fri, 20 Nov 2026 14:59:59 GMT' }).status).toBe(200);
    expect(answerFor(r, { method: 'GET', ifModifiedSince: 'Fri, 20 Nov 2026 15:00:00 GMT', ifNoneMatch: '"nope"' }).status).toBe(200);
    expect(answerFor(r, { method: 'GET', ifModifiedSince: 'not a date' }).status).toBe(200);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const r = await rep('{"a":1}');
    const head = answerFor(r, { method: 'HEAD' });
    expect(head.body).toBeNull();
    expect(head.headers['content-length']).toBe('7');
  });
});
