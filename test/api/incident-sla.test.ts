import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../worker/config/load.ts';
import { testApp } from '../helpers/app.ts';
import { TEST_CONFIG_YAML } from '../helpers/config.ts';

/**
 * The SLA promise end to end through the admin API: calendar Mon–Fri 08–18 / Sat 08–12 (America/Bogota),
 * severity 3 = response 6 h / resolution 12 h on business hours, severity 1 = 1 h / 5 h around the clock.
 */
describe('incident SLA targets', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeEach(async () => {
    t = await testApp({ now: '2026-11-20T21:05:00Z' });
  });
  afterEach(() => t.close());

  it('a severity-3 incident started Friday 16:00 is due for response Saturday 12:00 local; raised to 1 it is recomputed on the always clock', async () => {
    const created = await t.request('/api/admin/incidents', {
      method: 'POST',
      json: { title: 'Un cliente sin correo', severity: 3, message: 'Revisando.', components: ['telefonia'], started_at: '2026-11-20T16:00:00-05:00' },
    });
    expect(created.status).toBe(201);
    const { incident } = (await created.json()) as any;
    // Fri 16–18 (2 h) + Sat 08–12 (4 h) = 6 h → Saturday 12:00 in Bogotá = 17:00Z.
    expect(incident.sla.response_due_at).toBe('2026-11-21T17:00:00.000Z');
    // 12 h: Fri 2 h + Sat 4 h + Mon 08–14 (6 h) → Monday 14:00 local.
    expect(incident.sla.resolution_due_at).toBe('2026-11-23T19:00:00.000Z');
    expect(incident.sla.response_breached).toBe(false);
    expect(incident.sla.calendar).toBe('bogota');

    t.clock.set('2026-11-20T21:30:00Z');
    const raised = await t.request(`/api/admin/incidents/${incident.id}/updates`, {
      method: 'POST',
      json: { status: 'identified', message: 'Afecta a todos.', severity: 1, severity_reason: 'Caída total confirmada' },
    });
    const after = ((await raised.json()) as any).incident;
    // Severity 1: 1 h / 5 h around the clock from the start (21:00Z).
    expect(after.sla.response_due_at).toBe('2026-11-20T22:00:00.000Z');
    expect(after.sla.resolution_due_at).toBe('2026-11-21T02:00:00.000Z');
    expect(after.severity_history).toEqual([expect.objectContaining({ from: 3, to: 1, reason: 'Caída total confirmada' })]);

    // Past the resolution target and still open: breached, in the public API too.
    t.clock.set('2026-11-21T02:30:00Z');
    const pub = (await (await t.request('/api/v2/incidents/unresolved.json')).json()) as any;
    expect(pub.incidents[0].sla).toMatchObject({ response_breached: false, resolution_breached: true });
  });

  it('skips holidays and nights on the business clock', async () => {
    t.clock.set('2026-12-24T22:30:00Z');
    const created = await t.request('/api/admin/incidents', {
      method: 'POST',
      json: { title: 'Consulta', severity: 2, message: 'x', components: ['hosting'], started_at: '2026-12-24T17:00:00-05:00' },
    });
    const { incident } = (await created.json()) as any;
    // Thu 24 Dec 17–18 (1 h), 25 Dec holiday, Sat 26 08–09 → response (2 h) due Sat 09:00 local.
    expect(incident.sla.response_due_at).toBe('2026-12-26T14:00:00.000Z');
  });

  it('names the key path of a bad calendar or severity in the config', () => {
    const bad = TEST_CONFIG_YAML.replace('mon: ["08:00-18:00"]', 'mon: ["08:00-12:00", "11:00-14:00"]');
    expect(() => parseConfigText(bad, 'vigia.config.yaml')).toThrow(
      'vigia.config.yaml: business_hours.calendars.bogota.week.mon[1]: ranges "08:00-12:00" and "11:00-14:00" overlap',
    );
    const holiday = TEST_CONFIG_YAML.replace('holidays: ["2026-12-25"]', 'holidays: ["2026-02-30"]');
    expect(() => parseConfigText(holiday, 'vigia.config.yaml')).toThrow(/business_hours\.calendars\.bogota\.holidays\[0\]: /);
    const zero = TEST_CONFIG_YAML.replace('response: 2h', 'response: 0h');
    expect(() => parseConfigText(zero, 'vigia.config.yaml')).toThrow(/vigia\.config\.yaml: severities\[1\]\.response: /);
  });
});
