import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outbox } from '../../db/schema/index.ts';
import { enqueueMail } from '../../worker/mail/outbox.ts';
import { readPause, startPause } from '../../worker/mail/pause.ts';
import { testApp } from '../helpers/app.ts';
import { queueNotices } from './support.ts';

describe('admin outbox API', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeEach(async () => {
    t = await testApp();
  });
  afterEach(() => t.close());

  const pausedAlert = (at: string) => ({
    idempotencyKey: `admin.mail_paused:${at}:ops@prueba.example`,
    recipient: 'ops@prueba.example',
    template: 'admin.mail_paused',
    locale: 'es' as const,
    ref: 'mail:paused',
    data: { reason: 'quota', code: 'daily_quota_exceeded', message: 'You have reached your daily email sending quota.', paused_at: at, until: null },
  });

  it('lists messages newest first, filtered by state and ref, with counts per state', async () => {
    await queueNotices(t.database.db, 3, { ref: 'maintenance:m1', now: new Date('2026-11-20T14:00:00Z') });
    await queueNotices(t.database.db, 2, { ref: 'maintenance:m2', now: new Date('2026-11-20T14:30:00Z') });
    await t.database.db.transaction((tx) => enqueueMail(tx, [pausedAlert('2026-11-20T14:45:00.000Z')], new Date('2026-11-20T14:45:00Z')));

    const all = await (await t.request('/api/admin/outbox')).json();
    expect(all.outbox).toHaveLength(6);
    expect(all.outbox[0]).toMatchObject({ template: 'admin.mail_paused', state: 'pending', created_at: '2026-11-20T14:45:00.000Z', sent_at: null, provider_id: null });
    expect(all.outbox.map((m: { created_at: string }) => m.created_at)).toEqual([...all.outbox.map((m: { created_at: string }) => m.created_at)].sort().reverse());
    expect(all.counts).toEqual({ pending: 6, claimed: 0, sending: 0, sent: 0, failed: 0, cancelled: 0 });
    expect(all.paused).toBeNull();

    const m2 = await (await t.request('/api/admin/outbox?ref=maintenance:m2&state=pending&limit=1')).json();
    expect(m2.outbox).toHaveLength(1);
    expect(m2.outbox[0]).toMatchObject({ ref: 'maintenance:m2' });
    expect((await (await t.request('/api/admin/outbox?state=sent')).json()).outbox).toEqual([]);
  });

  it('answers 400 naming the bad parameter, and 401 without the token', async () => {
    const bad = await t.request('/api/admin/outbox?state=delivered');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toContain('state');
    const big = await t.request('/api/admin/outbox?limit=100000');
    expect(big.status).toBe(400);
    expect((await big.json()).error.message).toContain('limit');
    expect((await t.request('/api/admin/outbox', { token: null })).status).toBe(401);
  });

  it('shows one message with its rendered content, through the real templates', async () => {
    await t.database.db.transaction((tx) => enqueueMail(tx, [pausedAlert('2026-11-20T14:45:00.000Z')], t.clock.now()));
    const [row] = await t.database.db.select().from(outbox);
    const res = await t.request(`/api/admin/outbox/${row!.id}`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.message).toMatchObject({ id: row!.id, template: 'admin.mail_paused', data: { code: 'daily_quota_exceeded' } });
    expect(body.batch).toBeNull();
    expect(body.render_error).toBeNull();
    expect(body.rendered.subject).toContain('Prueba Hosting');
    expect(body.rendered.text).toContain('daily_quota_exceeded');
    expect(body.rendered.html).toContain('<html');
  });

  it('reports a message that cannot be rendered instead of failing', async () => {
    await t.database.db.transaction((tx) =>
      enqueueMail(tx, [{ idempotencyKey: 'x', recipient: 'ops@prueba.example', template: 'no.such.template', locale: 'es', data: {} }], t.clock.now()),
    );
    const [row] = await t.database.db.select().from(outbox);
    const body = await (await t.request(`/api/admin/outbox/${row!.id}`)).json();
    expect(body.rendered).toBeNull();
    expect(body.render_error).toContain('no.such.template');
    expect((await t.request('/api/admin/outbox/nope')).status).toBe(404);
  });

  it('resumes paused sending', async () => {
    const at = t.clock.now();
    await startPause(t.database.db, { reason: 'quota', code: 'monthly_quota_exceeded', message: 'You have reached your monthly email sending quota.', pausedAt: at.toISOString(), until: null }, at);
    const listed = await (await t.request('/api/admin/outbox')).json();
    expect(listed.paused).toMatchObject({ reason: 'quota', code: 'monthly_quota_exceeded', until: null });

    const resumed = await (await t.request('/api/admin/outbox/resume', { method: 'POST' })).json();
    expect(resumed).toMatchObject({ resumed: true, pause: { code: 'monthly_quota_exceeded' } });
    expect(await readPause(t.database.db)).toBeNull();
    expect(await (await t.request('/api/admin/outbox/resume', { method: 'POST' })).json()).toEqual({ resumed: false, pause: null });
  });
});
