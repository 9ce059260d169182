import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { incidents } from '../../db/schema/index.ts';
import type { NoticeKind } from '../../worker/core/notices.ts';
import { queueIncidentNotices } from '../../worker/notices/incident-notices.ts';
import { testApp } from '../helpers/app.ts';
import { insertSubscriber, outboxRows } from './fixtures.ts';

describe('incident notices', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeEach(async () => {
    t = await testApp();
    const db = t.database.db;
    await insertSubscriber(db, { email: 'solo-criticos@cliente.example', incidentNotices: true, minSeverity: 1 });
    await insertSubscriber(db, { email: 'hasta-alto@cliente.example', incidentNotices: true, minSeverity: 2, components: ['hosting'] });
    await insertSubscriber(db, { email: 'todo@cliente.example', incidentNotices: true, minSeverity: 4, locale: 'en' });
    await insertSubscriber(db, { email: 'sin-incidentes@cliente.example', incidentNotices: false, minSeverity: 4 });
    await insertSubscriber(db, { email: 'correo@cliente.example', incidentNotices: true, minSeverity: 4, components: ['correo'] });
    await insertSubscriber(db, { email: 'pendiente@cliente.example', status: 'pending', incidentNotices: true, minSeverity: 4 });
  });
  afterEach(() => t.close());

  const open = async (severity: number, components: string[]) => {
    const res = await t.request('/api/admin/incidents', { method: 'POST', json: { title: 'Caída del hosting', severity, message: 'Investigando.', components } });
    expect(res.status).toBe(201);
    return ((await res.json()) as { incident: { id: string } }).incident.id;
  };
  const recipients = async (kind: NoticeKind) => (await outboxRows(t.database.db, { kind })).map((r) => r.target).sort();

  it('a severity 1 incident reaches everyone of its components who wants incident notices', async () => {
    const id = await open(1, ['hosting']);
    expect(await recipients('incident.opened')).toEqual(['hasta-alto@cliente.example', 'solo-criticos@cliente.example', 'todo@cliente.example']);
    const rows = await outboxRows(t.database.db, { kind: 'incident.opened' });
    for (const row of rows) {
      expect(row).toMatchObject({ channel: 'email', incidentId: id, maintenanceId: null });
      expect(row.idempotencyKey).toBe(`incident:${id}:opened:${row.subscriberId}`);
    }
    expect(rows.find((r) => r.target === 'todo@cliente.example')).toMatchObject({ locale: 'en' });
    expect(rows[0]!.notice).toMatchObject({ incidentId: id, title: 'Caída del hosting', severity: 1, status: 'investigating', message: 'Investigando.', components: ['Hosting web'] });
  });

  it('severity 2 reaches min_severity 2 and above, not those who asked only for critical ones', async () => {
    await open(2, ['hosting']);
    expect(await recipients('incident.opened')).toEqual(['hasta-alto@cliente.example', 'todo@cliente.example']);
  });

  it('severity 3 reaches only those who asked for everything', async () => {
    await open(3, ['hosting', 'correo']);
    expect(await recipients('incident.opened')).toEqual(['correo@cliente.example', 'todo@cliente.example']);
  });

  it('updates and the resolution are told once each, at the severity the incident has then', async () => {
    const id = await open(3, ['hosting']);
    const update = (json: Record<string, unknown>) => t.request(`/api/admin/incidents/${id}/updates`, { method: 'POST', json });
    expect((await update({ status: 'identified', message: 'Es el disco.', severity: 1 })).status).toBe(201);
    expect(await recipients('incident.updated')).toEqual(['hasta-alto@cliente.example', 'solo-criticos@cliente.example', 'todo@cliente.example']);
    expect((await update({ status: 'resolved', message: 'Resuelto.' })).status).toBe(201);
    expect(await recipients('incident.resolved')).toEqual(['hasta-alto@cliente.example', 'solo-criticos@cliente.example', 'todo@cliente.example']);
    const resolved = await outboxRows(t.database.db, { kind: 'incident.resolved' });
    expect(resolved[0]!.notice).toMatchObject({ status: 'resolved', message: 'Resuelto.' });
    expect(resolved[0]!.idempotencyKey).toMatch(new RegExp(`^incident:${id}:resolved:[0-9a-z]{12}:[0-9a-z]{12}$`));
    // Queueing the same event again (a retry by an upstream recorder) adds nothing.
    expect(await t.database.db.transaction((tx) => queueIncidentNotices(tx, id, 'resolved', t.clock.now()))).toBe(0);
  });

  it('is queued in the incident transaction: a refused incident queues nothing', async () => {
    const res = await t.request('/api/admin/incidents', { method: 'POST', json: { title: 'x', severity: 1, message: 'y', components: ['nope'] } });
    expect(res.status).toBe(422);
    expect(await outboxRows(t.database.db)).toEqual([]);
    expect(await t.database.db.select().from(incidents)).toEqual([]);
  });
});
