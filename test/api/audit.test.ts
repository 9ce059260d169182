import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { testApp } from '../helpers/app.ts';
import { startUpstreamServer } from '../fakes/upstream-server.ts';

type T = Awaited<ReturnType<typeof testApp>>;

describe('the audit log', () => {
  let t: T;
  beforeEach(async () => {
    t = await testApp();
  });
  afterEach(() => t.close());

  const audit = async (query = '') => ((await (await t.request(`/api/admin/audit${query}`)).json()) as any).entries as any[];

  it('records each change with its actor, what, when, from where, and the fields before and after', async () => {
    await t.request('/api/admin/accounts', { method: 'POST', json: { email: 'eva@example.com', name: 'Eva', role: 'editor', password: 'clave de eva larga' } });
    const signIn = await t.request('/api/admin/session', { method: 'POST', token: null, json: { email: 'eva@example.com', password: 'clave de eva larga' }, headers: { 'x-forwarded-for': '198.51.100.23' } });
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const { csrf_token: csrf } = (await signIn.json()) as any;
    const session = { token: null, headers: { cookie, 'x-csrf-token': csrf, 'x-forwarded-for': '198.51.100.23' } };

    t.clock.advance(60_000);
    const opened = await t.request('/api/admin/incidents', { method: 'POST', json: { title: 'Lentitud en el correo', severity: 3, message: 'Investigamos.', components: ['correo'] }, ...session });
    const id = ((await opened.json()) as any).incident.id;
    t.clock.advance(60_000);
    await t.request(`/api/admin/incidents/${id}/updates`, { method: 'POST', json: { status: 'identified', severity: 2, severity_reason: 'Afecta a todos', message: 'Causa hallada.' }, ...session });
    // A refused change changes nothing and is not logged.
    const refused = await t.request(`/api/admin/incidents/${id}/updates`, { method: 'POST', json: { status: 'bogus', message: 'x' }, ...session });
    expect(refused.status).toBe(400);
    // Reading is not a change.
    await t.request('/api/admin/incidents', session);

    const entries = await audit();
    expect(entries.map((e) => [e.actor.name, e.action, e.entity])).toEqual([
      ['eva@example.com', `POST /api/admin/incidents/${id}/updates`, 'incident'],
      ['eva@example.com', 'POST /api/admin/incidents', 'incident'],
      ['eva@example.com', 'POST /api/admin/session', 'session'],
      ['ADMIN_TOKEN', 'POST /api/admin/accounts', 'account'],
    ]);
    const [update, open] = entries;
    // Accounts are shown by their name now; the e-mail recorded stays; a token has no such name.
    expect(entries.map((e) => e.actor.display_name)).toEqual(['Eva', 'Eva', 'Eva', null]);
    expect(update).toMatchObject({ entity_id: id, address: '198.51.100.23', status: 201, at: t.clock.now().toISOString(), actor: { kind: 'account' } });
    expect(update.changes.status).toEqual({ before: 'investigating', after: 'identified' });
    expect(update.changes.severity).toEqual({ before: 3, after: 2 });
    expect(open.entity_id).toBe(id);
    expect(open.changes.title).toEqual({ before: null, after: 'Lentitud en el correo' });
    // The incident names who posted each update.
    const shown = ((await (await t.request(`/api/admin/incidents/${id}`, session)).json()) as any).incident;
    expect(shown.incident_updates.map((u: any) => [u.status, u.posted_by])).toEqual([
      ['identified', 'eva@example.com'],
      ['investigating', 'eva@example.com'],
    ]);
    // Only admins see who: the public API never names an account.
    const published = await (await t.request('/api/v2/incidents.json', { token: null })).text();
    expect(published).toContain('Lentitud en el correo');
    expect(published).not.toMatch(/eva@example\.com|posted_by/);
    expect(JSON.stringify(entries)).not.toMatch(/clave de eva/);
  });

  it('does not log looking at a provider\'s page to detect its format', async () => {
    const upstream = await startUpstreamServer();
    upstream.route('/api/v2/summary.json', { body: readFileSync(new URL('../upstream/fixtures/statuspage-summary.json', import.meta.url), 'utf8'), headers: { 'content-type': 'application/json' } });
    const app = await testApp({ env: { VIGIA_ALLOW_PRIVATE_NETWORKS: '1' } });
    try {
      const detected = await app.request('/api/admin/sources/detect', { method: 'POST', json: { url: upstream.url } });
      expect(detected.status, await detected.clone().text()).toBe(200);
      expect(((await detected.json()) as any).detected.type).toBe('statuspage');
      const added = await app.request('/api/admin/sources', { method: 'POST', json: { id: 'proveedor', name: 'Proveedor', type: 'statuspage', url: upstream.url } });
      expect(added.status, await added.clone().text()).toBe(201);
      const entries = ((await (await app.request('/api/admin/audit')).json()) as any).entries as any[];
      expect(entries.map((e) => e.action)).toEqual(['POST /api/admin/sources']);
    } finally {
      app.close();
      await upstream.close();
    }
  });

  it('filters by actor, entity and time, exports CSV, and is for owners only', async () => {
    const token = ((await (await t.request('/api/admin/tokens', { method: 'POST', json: { name: 'ci', role: 'editor' } })).json()) as any).token;
    const start = t.clock.now();
    t.clock.advance(3600_000);
    await t.request('/api/admin/incidents', { method: 'POST', token, json: { title: '=HYPERLINK("x")', severity: 4, message: 'x' } });
    t.clock.advance(3600_000);
    await t.request('/api/admin/maintenances', { method: 'POST', token, json: { title: 'Ventana', starts_at: '2026-11-25T03:00:00Z', ends_at: '2026-11-25T04:00:00Z' } });

    expect((await audit('?actor=ci')).map((e) => e.entity)).toEqual(['maintenance', 'incident']);
    expect((await audit('?entity=incident')).map((e) => e.actor.name)).toEqual(['ci']);
    const tokenEntry = (await audit('?entity=token'))[0];
    expect(tokenEntry.changes.name).toEqual({ before: null, after: 'ci' });
    expect(JSON.stringify(tokenEntry)).not.toContain(token);
    const to = new Date(start.getTime() + 90 * 60_000).toISOString();
    expect((await audit(`?from=${encodeURIComponent(new Date(start.getTime() + 1).toISOString())}&to=${encodeURIComponent(to)}`)).map((e) => e.entity)).toEqual(['incident']);

    const csv = await t.request('/api/admin/audit?actor=ci&format=csv');
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('at,actor_kind,actor,action,entity,entity_id,address,status,changes');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/^2026-11-20T16:00:00\.000Z,token,ci,POST \/api\/admin\/incidents,incident,/);
    expect(lines[2]).not.toMatch(/,=HYPERLINK/);

    expect((await t.request('/api/admin/audit', { token })).status).toBe(403);
    const bad = await t.request('/api/admin/audit?from=yesterday');
    expect(bad.status).toBe(400);
  });

  it('keeps no erased subscriber\'s address', async () => {
    const imported = await t.request('/api/admin/subscribers/import', { method: 'POST', json: { subscribers: [{ email: 'borrar@example.com' }], consent_source: 'prueba' } });
    expect(imported.status).toBe(200);
    const { subscribers } = (await (await t.request('/api/admin/subscribers?q=borrar')).json()) as any;
    expect((await t.request(`/api/admin/subscribers/${subscribers[0].id}`, { method: 'DELETE' })).status).toBe(204);
    const [erased] = await audit('?entity=subscriber');
    expect(erased).toMatchObject({ action: `DELETE /api/admin/subscribers/${subscribers[0].id}`, entity_id: subscribers[0].id });
    expect(erased.changes.status).toEqual({ before: 'confirmed', after: null });
    expect(JSON.stringify(await audit())).not.toContain('borrar@example.com');
  });
});
