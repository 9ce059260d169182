import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outbox } from '../../db/schema/index.ts';
import { queueNotice } from '../../worker/mail/outbox.ts';
import { readPause, startPause } from '../../worker/mail/pause.ts';
import { testApp } from '../helpers/app.ts';
import { queueNotices } from './support.ts';

describe('admin outbox API', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeEach(async () => {
    t = await testApp();
  });
  afterEach(() => t.close());

  const queuePausedAlert = (at: string, now: Date) =>
    queueNotice(
      t.database.db,
      { kind: 'admin.mail_paused', reason: 'quota', code: 'daily_quota_exceeded', message: 'You have reached your daily email sending quota.', pausedAt: at, until: null },
      [{ channel: 'email', target: 'ops@prueba.example', idempotencyKey: `admin.mail_paused:${at}:ops@prueba.example`, locale: 'es' }],
      now,
    );

  it('lists messages newest first, filtered by state and ref, with counts per state', async () => {
    await queueNotices(t.database.db, 3, { maintenanceId: 'm1', now: new Date('2026-11-20T14:00:00Z') });
    await queueNotices(t.database.db, 2, { maintenanceId: 'm2', now: new Date('2026-11-20T14:30:00Z') });
    await queuePausedAlert('2026-11-20T14:45:00.000Z', new Date('2026-11-20T14:45:00Z'));

    const all = await (await t.request('/api/admin/outbox')).json();
    expect(all.outbox).toHaveLength(6);
    expect(all.outbox[0]).toMatchObject({
      channel: 'email',
      target: 'ops@prueba.example',
      recipient: 'ops@prueba.example',
      kind: 'admin.mail_paused',
      template: 'admin.mail_paused',
      ref: 'mail:paused',
      state: 'pending',
      created_at: '2026-11-20T14:45:00.000Z',
      sent_at: null,
      provider_id: null,
    });
    expect(all.outbox.map((m: { created_at: string }) => m.created_at)).toEqual([...all.outbox.map((m: { created_at: string }) => m.created_at)].sort().reverse());
    expect(all.counts).toEqual({ pending: 6, claimed: 0, sending: 0, sent: 0, failed: 0, cancelled: 0 });
    expect(all.paused).toBeNull();

    const m2 = await (await t.request('/api/admin/outbox?ref=maintenance:m2&state=pending&limit=1')).json();
    expect(m2.outbox).toHaveLength(1);
    expect(m2.outbox[0]).toMatchObject({ ref: 'maintenance:m2', maintenance_id: 'm2', kind: 'maintenance.announcement' });
    expect((await (await t.request('/api/admin/outbox?state=sent')).json()).outbox).toEqual([]);
  });

  it('finds messages by window, incident, kind and channel, and by their earlier ref and template', async () => {
    await queueNotices(t.database.db, 3, { maintenanceId: 'm1' });
    await queueNotices(t.database.db, 2, { maintenanceId: 'm2' });
    await queuePausedAlert('2026-11-20T14:45:00.000Z', t.clock.now());
    await queueNotice(
      t.database.db,
      { kind: 'admin.sla_warning', incidentId: 'i1', title: 'Caída', severity: 1, target: 'response', dueAt: '2026-11-20T16:00:00.000Z' },
      [{ channel: 'email', target: 'ops@prueba.example', idempotencyKey: 'sla-warning:i1', locale: 'es' }],
      t.clock.now(),
    );
    const keys = async (query: string) => {
      const res = await t.request(`/api/admin/outbox?${query}`);
      expect(res.status).toBe(200);
      return ((await res.json()).outbox as { idempotency_key: string }[]).map((m) => m.idempotency_key).sort();
    };
    const m1 = ['maintenance:m1:announcement:0', 'maintenance:m1:announcement:1', 'maintenance:m1:announcement:2'];
    expect(await keys('maintenance_id=m1')).toEqual(m1);
    expect(await keys('ref=maintenance:m1')).toEqual(m1);
    expect(await keys('maintenance_id=m2&kind=maintenance.announcement')).toEqual(['maintenance:m2:announcement:0', 'maintenance:m2:announcement:1']);
    expect(await keys('maintenance_id=m2&kind=maintenance.reminder')).toEqual([]);
    expect(await keys('incident_id=i1')).toEqual(['sla-warning:i1']);
    expect(await keys('ref=incident:i1')).toEqual(['sla-warning:i1']);
    expect(await keys('kind=admin.mail_paused')).toEqual(['admin.mail_paused:2026-11-20T14:45:00.000Z:ops@prueba.example']);
    expect(await keys('ref=mail:paused')).toEqual(await keys('template=admin.mail_paused'));
    expect(await keys('ref=nothing')).toEqual([]);
    expect(await keys('channel=email')).toHaveLength(7);
    const bad = await t.request('/api/admin/outbox?kind=maintenance.postponed');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toContain('kind');
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
    await queuePausedAlert('2026-11-20T14:45:00.000Z', t.clock.now());
    const [row] = await t.database.db.select().from(outbox);
    const res = await t.request(`/api/admin/outbox/${row!.id}`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.message).toMatchObject({
      id: row!.id,
      kind: 'admin.mail_paused',
      template: 'admin.mail_paused',
      notice: { kind: 'admin.mail_paused', code: 'daily_quota_exceeded' },
      data: { code: 'daily_quota_exceeded' },
    });
    expect(body.batch).toBeNull();
    expect(body.render_error).toBeNull();
    expect(body.rendered.subject).toContain('Prueba Hosting');
    expect(body.rendered.text).toContain('daily_quota_exceeded');
    expect(body.rendered.html).toContain('<html');
  });

  it('reports a message that cannot be rendered instead of failing', async () => {
    // A row kept from before typed notices, of a kind this version does not send.
    await t.database.client.execute({
      sql: `insert into outbox (id, idempotency_key, channel, target, kind, locale, notice, next_attempt_at, created_at)
            values ('x1', 'x', 'email', 'ops@prueba.example', 'no.such.template', 'es', '{"kind":"no.such.template"}', ?, ?)`,
      args: [t.clock.now().getTime(), t.clock.now().getTime()],
    });
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
