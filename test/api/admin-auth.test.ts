import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, testApp } from '../helpers/app.ts';

describe('admin API authentication', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeEach(async () => {
    t = await testApp();
  });
  afterEach(() => t.close());

  const body = { title: 'Prueba', severity: 2, message: 'x' };

  it('refuses a missing token with 401 JSON', async () => {
    const response = await t.request('/api/admin/incidents', { method: 'POST', json: body, token: null });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: { code: 'unauthorized', message: expect.stringContaining('Bearer') } });
  });

  it('refuses a wrong token (also one that shares a prefix) with 401 JSON', async () => {
    for (const token of ['wrong', `${ADMIN_TOKEN}x`, ADMIN_TOKEN.slice(0, -1)]) {
      const response = await t.request('/api/admin/incidents', { method: 'POST', json: body, token });
      expect(response.status).toBe(401);
      expect(((await response.json()) as any).error.code).toBe('unauthorized');
    }
  });

  it('accepts the right token', async () => {
    const response = await t.request('/api/admin/incidents', { method: 'POST', json: body });
    expect(response.status).toBe(201);
  });

  it('never answers with a stack trace, even for a broken body', async () => {
    const response = await t.request('/api/admin/incidents', { method: 'POST', body: '{not json', headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'invalid_json', message: 'the request body is not valid JSON' } });
    expect(text).not.toMatch(/at .*\.ts:\d+/);
  });
});
