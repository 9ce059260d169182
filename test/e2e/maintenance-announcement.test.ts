import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningVigia } from '../../worker/server.ts';
import { startMailingVigia } from '../helpers/server.ts';
import { testClock } from '../helpers/app.ts';
import { testConfig } from '../helpers/config.ts';
import { startFakeResend, type FakeResendServer } from '../fakes/resend-server.ts';

const TOKEN = 'e2e-maintenance-admin-token';
const HOUR = 3_600_000;

/**
 * The promise end to end, through the running server, the real jobs, the real templates and the real resend SDK
 * against the fake Resend API: an admin schedules a window 9 h ahead; every confirmed subscriber of the affected
 * components gets the announcement at once in their language, the 1 h reminder on time (the 24 h one is already
 * past), and the started and completed notices — each exactly once.
 */
describe('a maintenance window announced to subscribers', () => {
  let vigia: RunningVigia;
  let fake: FakeResendServer;
  let stop: () => Promise<void>;
  const clock = testClock('2026-11-23T12:00:00Z');

  const admin = async (method: string, path: string, body?: unknown, contentType = 'application/json') => {
    const response = await fetch(`${vigia.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body !== undefined ? { 'content-type': contentType } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const job = (name: string) => {
    const found = vigia.jobs.find((j) => j.name === name);
    if (!found) throw new Error(`no job ${name}`);
    return found.runNow();
  };
  /** Runs the notice and lifecycle jobs, then sends what they queued. */
  const settle = async () => {
    await job('maintenance-lifecycle');
    await job('maintenance-notices');
    await job('mail-dispatch');
  };
  const subjectsTo = (address: string) => fake.deliveries.filter((d) => d.to.includes(address)).map((d) => d.subject ?? '');

  beforeAll(async () => {
    fake = await startFakeResend();
    // The upstream watch is not part of this story.
    ({ vigia, close: stop } = await startMailingVigia(fake, { config: testConfig(), now: clock.now, adminToken: TOKEN }));
    const imported = await admin(
      'POST',
      '/api/admin/subscribers/import?consent_source=contrato',
      'email,components,locale,timezone\nana@cliente.example,hosting,es,America/Bogota\nbob@customer.example,hosting,en,America/New_York\ncarla@cliente.example,correo,es,America/Bogota\n',
      'text/csv',
    );
    expect(imported.body).toMatchObject({ created: 3, errors: [] });
  }, 60_000);

  afterAll(async () => {
    await stop?.();
    await fake?.close();
  });

  it('refuses a window 7 h 59 min ahead, naming the earliest allowed start', async () => {
    const start = new Date(clock.now().getTime() + 8 * HOUR - 60_000);
    const { status, body } = await admin('POST', '/api/admin/maintenances', {
      title: 'Demasiado pronto',
      starts_at: start.toISOString(),
      ends_at: new Date(start.getTime() + HOUR).toISOString(),
      component_ids: ['hosting'],
    });
    expect(status).toBe(422);
    expect(body.error.code).toBe('notice_too_short');
    expect(body.error.message).toContain('2026-11-23T20:00:00.000Z');
  });

  it('announces a window 9 h ahead at once, in each subscriber’s language, only to the affected subscribers', async () => {
    const { status, body } = await admin('POST', '/api/admin/maintenances', {
      title: 'Migración de servidores',
      message: 'Migramos los servidores de hosting a nuevo hardware.',
      starts_at: '2026-11-23T21:00:00Z',
      ends_at: '2026-11-23T23:00:00Z',
      component_ids: ['hosting'],
    });
    expect(status).toBe(201);
    await job('mail-dispatch');
    expect(subjectsTo('ana@cliente.example')).toHaveLength(1);
    expect(subjectsTo('ana@cliente.example')[0]).toMatch(/Migración de servidores/);
    expect(subjectsTo('bob@customer.example')).toHaveLength(1);
    expect(subjectsTo('carla@cliente.example')).toHaveLength(0);
    const ana = fake.deliveries.find((d) => d.to.includes('ana@cliente.example'))!;
    const bob = fake.deliveries.find((d) => d.to.includes('bob@customer.example'))!;
    expect(ana.text).toMatch(/mantenimiento/i);
    expect(bob.text).toMatch(/maintenance/i);
    expect(ana.headers['List-Unsubscribe-Post'] ?? ana.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(bob.html).toContain(`/maintenances/${body.maintenance.id}.ics`);

    const shown = await admin('GET', `/api/admin/maintenances/${body.maintenance.id}`);
    expect(shown.body.maintenance.notice).toMatchObject({ recipients: 2, notified: 2, all_ahead: true, status: 'ok' });
  });

  it('sends the 1 h reminder on time, then the started and completed notices, each once', async () => {
    clock.set('2026-11-23T19:30:00Z');
    await settle();
    expect(subjectsTo('ana@cliente.example')).toHaveLength(1);

    clock.set('2026-11-23T20:00:30Z');
    await settle();
    await settle();
    expect(subjectsTo('ana@cliente.example')).toHaveLength(2);
    expect(subjectsTo('bob@customer.example')).toHaveLength(2);

    clock.set('2026-11-23T21:00:10Z');
    await settle();
    clock.set('2026-11-23T23:00:10Z');
    await settle();
    await settle();
    expect(subjectsTo('ana@cliente.example')).toHaveLength(4);
    expect(subjectsTo('bob@customer.example')).toHaveLength(4);
    expect(subjectsTo('carla@cliente.example')).toHaveLength(0);
    expect(fake.duplicates('ref')).toEqual([]);
    const completed = await admin('GET', '/api/admin/maintenances?status=completed');
    expect(completed.body.maintenances.map((m: any) => m.name)).toEqual(['Migración de servidores']);
  });
});
