import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp } from '../helpers/app.ts';
import { insertSubscriber } from '../notices/fixtures.ts';

/** What the console shows before a window is scheduled: who would be told, per channel, and the earliest start. */
describe('GET /api/admin/maintenances/audience', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeEach(async () => {
    t = await testApp({ now: '2026-11-20T15:00:00Z' });
    const db = t.database.db;
    await insertSubscriber(db, { email: 'todo@cliente.example' });
    await insertSubscriber(db, { email: 'hosting@cliente.example', components: ['hosting'] });
    await insertSubscriber(db, { email: 'correo@cliente.example', components: ['correo'] });
    await insertSubscriber(db, { email: 'pendiente@cliente.example', status: 'pending' });
  });
  afterEach(() => t.close());

  const audience = async (query: string) => {
    const response = await t.request(`/api/admin/maintenances/audience${query}`);
    return { status: response.status, body: (await response.json()) as any };
  };

  it('counts the confirmed subscribers who follow the components, or everyone when none are named', async () => {
    await expect(audience('?component_ids=hosting')).resolves.toMatchObject({ status: 200, body: { audience: { total: 2, by_channel: { email: 2 } } } });
    await expect(audience('?component_ids=hosting,correo')).resolves.toMatchObject({ body: { audience: { total: 3 } } });
    await expect(audience('')).resolves.toMatchObject({ body: { audience: { total: 3, by_channel: { email: 3 } } } });
  });

  it('gives the minimum notice and the earliest start it allows from now', async () => {
    const { body } = await audience('');
    expect(body.min_notice_ms).toBe(8 * 3_600_000);
    expect(body.earliest_allowed_start).toBe('2026-11-20T23:00:00.000Z');
  });

  it('gives each window its messages by channel and state, counted whole', async () => {
    const created = await t.request('/api/admin/maintenances', {
      method: 'POST',
      json: { title: 'Discos', starts_at: '2026-11-21T15:00:00Z', ends_at: '2026-11-21T16:00:00Z', component_ids: ['hosting'] },
    });
    expect(created.status).toBe(201);
    const { maintenance } = (await created.json()) as any;
    expect(maintenance.delivery).toEqual({ email: { pending: 2 } });
  });

  it('refuses a query it does not know, naming it', async () => {
    const { status, body } = await audience('?components=hosting');
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_request');
  });
});
