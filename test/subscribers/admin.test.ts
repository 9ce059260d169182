import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { eq } from 'drizzle-orm';
import { outbox, subscriberComponents, subscribers } from '../../db/schema/index.ts';
import { suppressAddresses } from '../../worker/subscribers/suppression.ts';
import { testApp } from '../helpers/app.ts';
import { confirmedSubscriber, linksFor, subscribeJson, subscriber, type TestApp } from './fixtures.ts';

let t: TestApp;
beforeEach(async () => {
  t = await testApp({ now: '2026-11-20T15:00:00Z' });
});
afterEach(() => t.close());

const importJson = (body: unknown) => t.request('/api/admin/subscribers/import', { method: 'POST', json: body });
const importCsv = (text: string, query = '') =>
  t.request(`/api/admin/subscribers/import${query}`, { method: 'POST', body: text, headers: { 'content-type': 'text/csv; charset=utf-8' } });
const chosen = async (id: string) =>
  (await t.database.db.select().from(subscriberComponents).where(eq(subscriberComponents.subscriberId, id))).map((c) => c.componentId).sort();

interface ListBody {
  subscribers: { id: string; email: string; status: string; components: string[] }[];
  total: number;
  next_cursor: string | null;
}

describe('import', () => {
  it('JSON: records confirmed subscribers with their consent source; bad rows are reported, good rows kept; a re-import changes nothing', async () => {
    const body = {
      consent_source: 'contrato de servicio 2026',
      subscribers: [
        { email: 'Ana@Example.com', components: ['correo', 'hosting'], locale: 'en', timezone: 'America/Lima' },
        { email: 'broken-address' },
        { email: 'luis@example.com' },
        { email: 'eva@example.com', components: ['ghost'] },
        { email: 'ana@example.com' },
        'not an object',
        { email: 'zoe@example.com', timezone: 'Mars/Base' },
        { email: 'max@example.com', phone: '123' },
      ],
    };
    const first = await importJson(body);
    expect(first.status).toBe(200);
    const report = (await first.json()) as { created: number; updated: number; unchanged: number; errors: { row: number; message: string }[] };
    expect(report).toMatchObject({ created: 2, updated: 0, unchanged: 0 });
    expect(report.errors.map((e) => e.row)).toEqual([2, 4, 5, 6, 7, 8]);
    expect(report.errors[0]!.message).toContain('email');
    expect(report.errors[1]!.message).toContain('unknown component "ghost"');
    expect(report.errors[2]!.message).toContain('already appears in row 1');
    expect(report.errors[4]!.message).toContain('timezone');
    expect(report.errors[5]!.message).toContain('"phone"');

    const ana = await subscriber(t, 'ana@example.com');
    expect(ana).toMatchObject({ status: 'confirmed', consentSource: 'contrato de servicio 2026', locale: 'en', timezone: 'America/Lima', confirmedAt: t.clock.now() });
    expect(await chosen(ana!.id)).toEqual(['correo', 'hosting']);
    expect(await subscriber(t, 'luis@example.com')).toMatchObject({ status: 'confirmed', locale: 'es', timezone: 'America/Bogota' });
    // Imported people get no confirmation mail: the admin vouches for their consent.
    expect(await t.database.db.select().from(outbox)).toEqual([]);

    const before = await t.database.db.select().from(subscribers);
    t.clock.advance(3_600_000);
    const again = (await (await importJson(body)).json()) as typeof report;
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    expect(await t.database.db.select().from(subscribers)).toEqual(before);
  });

  it('updates what changed, and confirms a pending subscriber', async () => {
    await importJson({ subscribers: [{ email: 'ana@example.com', components: ['correo'] }] });
    await subscribeJson(t, { email: 'pending@example.com' });
    const report = await (
      await importJson({ consent_source: 'crm', subscribers: [{ email: 'ana@example.com', components: ['hosting'] }, { email: 'pending@example.com' }] })
    ).json();
    expect(report).toEqual({ created: 0, updated: 2, unchanged: 0, errors: [] });
    const ana = await subscriber(t, 'ana@example.com');
    expect(ana!.consentSource).toBe('admin-import');
    expect(await chosen(ana!.id)).toEqual(['hosting']);
    expect(await subscriber(t, 'pending@example.com')).toMatchObject({ status: 'confirmed', consentSource: 'crm' });
  });

  it('does not bring back someone who unsubscribed or bounced', async () => {
    const ana = await confirmedSubscriber(t, { email: 'ana@example.com' });
    await t.request((await linksFor(t, ana.id)).unsubscribe, { method: 'POST' });
    await importJson({ subscribers: [{ email: 'gone@example.com' }] });
    await suppressAddresses(t.database.db, ['gone@example.com'], 'hard bounce: mailbox does not exist', t.clock.now());

    const report = (await (await importJson({ subscribers: [{ email: 'ana@example.com' }, { email: 'gone@example.com' }] })).json()) as {
      errors: { row: number; message: string }[];
    };
    expect(report.errors).toEqual([
      { row: 1, message: expect.stringContaining('unsubscribed') },
      { row: 2, message: expect.stringContaining('suppressed') },
    ]);
    expect((await subscriber(t, 'ana@example.com'))!.status).toBe('unsubscribed');
    expect((await subscriber(t, 'gone@example.com'))!.status).toBe('suppressed');
  });

  it('CSV: header row, components split by ; or |, rows reported by line, idempotent', async () => {
    const csv = [
      'Email,Components,Locale,Timezone',
      'ana@example.com,correo;hosting,en,America/Lima',
      'luis@example.com,telefonia | hosting,,',
      'not-an-address,,,',
      'eva@example.com,ghost,,',
      '"pablo@example.com",,es,America/Bogota,extra',
      'rosa@example.com',
      '',
    ].join('\n');
    const res = await importCsv(csv, '?consent_source=hoja%20de%20clientes');
    expect(res.status).toBe(200);
    const report = (await res.json()) as { created: number; errors: { row: number; message: string }[] };
    expect(report).toMatchObject({ created: 3, updated: 0, unchanged: 0 });
    expect(report.errors.map((e) => e.row)).toEqual([4, 5, 6]);
    expect(report.errors[2]!.message).toContain('5 fields');

    const luis = await subscriber(t, 'luis@example.com');
    expect(luis).toMatchObject({ consentSource: 'hoja de clientes', locale: 'es', status: 'confirmed' });
    expect(await chosen(luis!.id)).toEqual(['hosting', 'telefonia']);
    expect(await chosen((await subscriber(t, 'ana@example.com'))!.id)).toEqual(['correo', 'hosting']);

    const again = await (await importCsv(csv)).json();
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
  });

  it('CSV: refuses an unreadable file or unknown columns as a whole', async () => {
    const unknown = await importCsv('email,phone\na@example.com,1\n');
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toContain('"phone"');
    expect((await importCsv('components\nhosting\n')).status).toBe(400);
    expect((await importCsv('email\n"a@example.com\n')).status).toBe(400);
    expect((await importCsv('')).status).toBe(400);
    expect(await t.database.db.select().from(subscribers)).toEqual([]);
  });

  it('needs the admin token and a JSON or CSV body', async () => {
    expect((await t.request('/api/admin/subscribers/import', { method: 'POST', json: { subscribers: [] }, token: null })).status).toBe(401);
    expect((await t.request('/api/admin/subscribers/import', { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } })).status).toBe(415);
    expect((await importJson({ people: [] })).status).toBe(400);
  });
});

describe('search and export', () => {
  beforeEach(async () => {
    await importJson({
      subscribers: [
        { email: 'ana@uno.example', components: ['correo'] },
        { email: 'beto@uno.example' },
        { email: 'carla@dos.example', components: ['hosting'] },
        { email: 'dario@dos.example', components: ['hosting', 'correo'] },
        { email: 'elena_x@dos.example' },
      ],
    });
    await subscribeJson(t, { email: 'fede@uno.example' });
  });

  const list = async (query: string) => {
    const res = await t.request(`/api/admin/subscribers${query}`);
    expect(res.status).toBe(200);
    return (await res.json()) as ListBody;
  };

  it('filters by part of the address, status and component', async () => {
    expect((await list('?q=UNO')).subscribers.map((s) => s.email)).toEqual(['ana@uno.example', 'beto@uno.example', 'fede@uno.example']);
    expect((await list('?q=uno&status=pending')).subscribers.map((s) => s.email)).toEqual(['fede@uno.example']);
    // "_" is a plain character, not a wildcard.
    expect((await list('?q=a_u')).subscribers).toEqual([]);
    expect((await list('?q=elena_')).subscribers.map((s) => s.email)).toEqual(['elena_x@dos.example']);
    // A component's audience: those who chose it and those who chose nothing (everything).
    expect((await list('?component=correo&status=confirmed')).subscribers.map((s) => s.email)).toEqual([
      'ana@uno.example',
      'beto@uno.example',
      'dario@dos.example',
      'elena_x@dos.example',
    ]);
    const dario = (await list('?q=dario')).subscribers[0]!;
    expect(dario).toMatchObject({ status: 'confirmed', components: ['correo', 'hosting'], consent_source: 'admin-import' });
    expect((await t.request('/api/admin/subscribers?status=gone')).status).toBe(400);
  });

  it('pages with a cursor until every subscriber has been seen once', async () => {
    const seen: string[] = [];
    let cursor: string | null = '';
    let pages = 0;
    while (cursor !== null) {
      const page: ListBody = await list(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.total).toBe(6);
      expect(page.subscribers.length).toBeLessThanOrEqual(2);
      seen.push(...page.subscribers.map((s) => s.email));
      cursor = page.next_cursor;
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(6);
    expect((await t.request('/api/admin/subscribers?cursor=bm9wZQ')).status).toBe(400);
    expect((await t.request('/api/admin/subscribers?limit=0')).status).toBe(400);
  });

  it('exports CSV that the import reads back without changes', async () => {
    const res = await t.request('/api/admin/subscribers/export');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toContain('attachment; filename="subscribers-2026-11-20.csv"');
    const text = await res.text();
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(6);
    expect(rows.find((r) => r.email === 'dario@dos.example')).toMatchObject({ components: 'correo;hosting', status: 'confirmed', consent_source: 'admin-import', locale: 'es', timezone: 'America/Bogota' });
    expect(rows.find((r) => r.email === 'fede@uno.example')).toMatchObject({ status: 'pending', confirmed_at: '' });

    const confirmedOnly = await (await t.request('/api/admin/subscribers/export?status=confirmed')).text();
    const csv = confirmedOnly.split('\r\n').map((line) => line.split(',').slice(0, 4).join(',')).join('\n');
    expect(await (await importCsv(csv)).json()).toEqual({ created: 0, updated: 0, unchanged: 5, errors: [] });
  });

  it('guards formula-like cells and takes the guard off again on import', async () => {
    await importJson({ consent_source: '=HYPERLINK("http://evil")', subscribers: [{ email: '-dash@example.com' }] });
    const text = await (await t.request('/api/admin/subscribers/export?q=dash')).text();
    expect(text).toContain(`'-dash@example.com`);
    expect(text).toContain(`"'=HYPERLINK(""http://evil"")"`);
    const csv = text.split('\r\n').map((line) => line.split(',').slice(0, 4).join(',')).join('\n');
    expect(await (await importCsv(csv)).json()).toMatchObject({ unchanged: 1, errors: [] });
  });
});

describe('erase', () => {
  it('removes the subscriber, their choices and every mail addressed to them', async () => {
    await subscribeJson(t, { email: 'ana@example.com', components: ['correo'] });
    const ana = await subscriber(t, 'ana@example.com');
    await subscribeJson(t, { email: 'luis@example.com' });
    const res = await t.request(`/api/admin/subscribers/${ana!.id}`, { method: 'DELETE' });
    expect(res.status).toBe(204);

    const db = t.database.db;
    expect(await subscriber(t, 'ana@example.com')).toBeUndefined();
    expect(await db.select().from(subscriberComponents).where(eq(subscriberComponents.subscriberId, ana!.id))).toEqual([]);
    const left = await db.select().from(outbox);
    expect(left.map((m) => m.target)).toEqual(['luis@example.com']);
    expect(JSON.stringify(await db.select().from(subscribers))).not.toContain('ana@');

    expect((await t.request(`/api/admin/subscribers/${ana!.id}`, { method: 'DELETE' })).status).toBe(404);
    // Links that named the subscriber now lead nowhere.
    expect((await t.request((await linksFor(t, ana!.id)).manage)).status).toBe(404);
  });
});
