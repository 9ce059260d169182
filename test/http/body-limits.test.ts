import { request as httpRequest } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { subscribers } from '../../db/schema/index.ts';
import { ADMIN_BODY_BYTES } from '../../worker/routes/admin/index.ts';
import { ADMIN_TOKEN, testApp } from '../helpers/app.ts';
import { startTempVigia, type TempVigia } from '../helpers/server.ts';

type App = Awaited<ReturnType<typeof testApp>>;

describe('admin request bodies are bounded', () => {
  let t: App;
  beforeEach(async () => {
    t = await testApp();
  });
  afterEach(() => t.close());

  it('a JSON body over the limit is refused with 413 in the error shape, before it is parsed', async () => {
    const huge = JSON.stringify({ title: 'x', severity: 2, message: 'a'.repeat(10 * 1024 * 1024), components: ['hosting'] });
    const res = await t.request('/api/admin/incidents', { method: 'POST', body: huge, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: { code: 'payload_too_large', message: expect.stringContaining('256 KiB') } });
  });

  it('the limit holds for a body sent without a length (chunked)', async () => {
    const chunk = new TextEncoder().encode('a'.repeat(64 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > ADMIN_BODY_BYTES * 2) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const res = await t.request('/api/admin/maintenances', { method: 'POST', body, headers: { 'content-type': 'application/json' }, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('a body under the limit is read as before', async () => {
    const res = await t.request('/api/admin/incidents', { method: 'POST', json: { title: 'Lento', severity: 3, message: 'm'.repeat(20_000), components: ['hosting'] } });
    expect(res.status).toBe(201);
  });

  it("a source's url and its components setting have length limits", async () => {
    const longUrl = `https://status.example.com/${'a'.repeat(3_000)}`;
    const tooLong = await t.request('/api/admin/sources', { method: 'POST', json: { id: 'long', name: 'Long', type: 'statuspage', url: longUrl } });
    expect(tooLong.status).toBe(400);
    expect(((await tooLong.json()) as { error: { message: string } }).error.message).toContain('url: must be at most 2048 characters');
    const detect = await t.request('/api/admin/sources/detect', { method: 'POST', json: { url: longUrl } });
    expect(detect.status).toBe(400);

    const many = Array.from({ length: 1_001 }, (_, i) => `Región ${i}`);
    const manyComponents = await t.request('/api/admin/sources', {
      method: 'POST',
      json: { id: 'many', name: 'Many', type: 'statuspage', url: 'https://status.example.com/api/v2/summary.json', settings: { components: many } },
    });
    expect(manyComponents.status).toBe(400);
    expect(((await manyComponents.json()) as { error: { message: string } }).error.message).toContain('components');
    const longName = await t.request('/api/admin/sources', {
      method: 'POST',
      json: { id: 'longname', name: 'Long name', type: 'statuspage', url: 'https://status.example.com/api/v2/summary.json', settings: { components: ['x'.repeat(301)] } },
    });
    expect(longName.status).toBe(400);
  });
});

describe('a subscriber import is read as it arrives', () => {
  let vigia: TempVigia;
  beforeAll(async () => {
    vigia = await startTempVigia({ env: { VIGIA_BUILD_SITE: '0', ADMIN_TOKEN } });
  });
  afterAll(async () => vigia?.close());

  const admin = (path: string) => fetch(`${vigia.vigia.url}/api/admin/subscribers${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }).then((r) => r.json() as Promise<any>);
  const rows = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `persona${from + i}@cliente.example,panel,es,America/Bogota\n`).join('');

  it('writes rows while the list is still being sent, reports its progress, and the public API answers meanwhile', async () => {
    let answer: Promise<{ status: number; body: any }>;
    const req = httpRequest(`${vigia.vigia.url}/api/admin/subscribers/import?consent_source=contrato`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv' },
    });
    answer = new Promise((resolve, reject) => {
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
      });
      req.on('error', reject);
    });
    req.write(`email,components,locale,timezone\n${rows(0, 1_000)}`);

    // The first half is written before the rest of the list has been sent.
    await expect.poll(async () => (await admin('/imports')).imports[0]?.created ?? 0, { timeout: 15_000 }).toBeGreaterThanOrEqual(900);
    const running = (await admin('/imports')).imports[0];
    expect(running).toMatchObject({ state: 'running', format: 'csv', consent_source: 'contrato', finished_at: null });
    expect((await vigia.vigia.database.db.select().from(subscribers)).length).toBe(running.created);
    const summary = await fetch(`${vigia.vigia.url}/api/v2/summary.json`);
    expect(summary.status).toBe(200);

    req.end(rows(1_000, 2_000));
    const { status, body } = await answer;
    expect(status).toBe(200);
    expect(body).toEqual({ created: 2_000, updated: 0, unchanged: 0, errors: [] });
    const done = await admin(`/imports/${running.id}`);
    expect(done.import).toMatchObject({ state: 'done', rows: 2_000, created: 2_000, errors: 0 });
    expect(done.import.finished_at).not.toBeNull();
  });

  it('a list declared past the CSV limit is refused with 413 in the error shape, before it is read', async () => {
    const answer = await new Promise<{ status: number; body: any }>((resolve, reject) => {
      const req = httpRequest(`${vigia.vigia.url}/api/admin/subscribers/import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv', 'content-length': String(65 * 1024 * 1024) },
      });
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          resolve({ status: res.statusCode!, body: JSON.parse(text) });
          req.destroy();
        });
      });
      req.on('error', reject);
      req.write('email\n');
    });
    expect(answer.status).toBe(413);
    expect(answer.body).toEqual({ error: { code: 'payload_too_large', message: expect.stringContaining('64 MiB') } });
  });
});
