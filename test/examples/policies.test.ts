import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile, parseConfigText, type Config } from '../../worker/config/load.ts';
import { severityPolicy, slaTargetsFromConfig } from '../../worker/incidents/targets.ts';
import { buildSlaReport, levelOfCell } from '../../worker/sla/index.ts';
import { readFileSync } from 'node:fs';
import type { Severity } from '../../worker/core/vocabulary.ts';

const example = (name: string) => join(import.meta.dirname, '../../examples/policies', name);
const load = (name: string): Config => loadConfigFile(example(name));
const at = (iso: string) => new Date(iso);

/** Due instants of an incident of `level` on `calendar` that started at `start`, as ISO texts (null: none stated). */
function due(config: Config, level: number, calendar: string | null, start: string) {
  const d = slaTargetsFromConfig(config)(level as Severity, calendar, at(start));
  return { response: d.responseDueAt?.toISOString() ?? null, resolution: d.resolutionDueAt?.toISOString() ?? null };
}
const iso = (text: string) => at(text).toISOString();

describe('example policies', () => {
  it('the five examples load, each with levels named in Spanish and English', () => {
    const names = ['mexico-correo-telefonia.yaml', 'contact-center.yaml', 'agencia-web-matriz.yaml', 'ecommerce-regiones.yaml', 'cuatro-niveles-horario-habil.yaml'];
    const levels = names.map((name) => load(name).policy.severities.map((s) => [s.name.es, s.name.en]));
    expect(levels.map((l) => l.length)).toEqual([3, 4, 9, 4, 4]);
    for (const list of levels) for (const [es, en] of list) expect(es && en).toBeTruthy();
  });

  describe('Mexico, e-mail and telephony: a target that depends on when the incident starts', () => {
    const config = load('mexico-correo-telefonia.yaml');

    it('an emergency opened Saturday 10:00 in Mexico City is due for a response at 12:00 (out of hours, wall time)', () => {
      expect(due(config, 1, null, '2026-11-21T10:00:00-06:00')).toEqual({ response: iso('2026-11-21T12:00:00-06:00'), resolution: null });
    });

    it('the same on Tuesday 10:00 is due at 10:15 (service hours)', () => {
      expect(due(config, 1, null, '2026-11-24T10:00:00-06:00').response).toBe(iso('2026-11-24T10:15:00-06:00'));
    });

    it('an emergency that starts ten minutes before closing keeps the in-hours target, counted on service hours', () => {
      // Tue 17:20: 10 minutes to 17:30, then 5 more from Wednesday 08:30.
      expect(due(config, 1, null, '2026-11-24T17:20:00-06:00').response).toBe(iso('2026-11-25T08:35:00-06:00'));
    });

    it('a Standard request opened Saturday waits for Monday 08:30; raised to Emergency it is due by the out-of-hours target', () => {
      expect(due(config, 3, null, '2026-11-21T10:00:00-06:00').response).toBe(iso('2026-11-23T12:30:00-06:00'));
      // Escalation recomputes from the incident's start, which was out of hours.
      expect(due(config, 1, null, '2026-11-21T10:00:00-06:00').response).toBe(iso('2026-11-21T12:00:00-06:00'));
    });
  });

  describe('contact center: different clocks, targets that do not exist', () => {
    const config = load('contact-center.yaml');

    it('severity 1 is answered in 10 minutes around the clock and states an average restoration, not a resolution target', () => {
      expect(due(config, 1, null, '2026-11-22T03:00:00-05:00')).toEqual({ response: iso('2026-11-22T03:10:00-05:00'), resolution: null });
      expect(severityPolicy(config, 1)?.averageRestoration?.text).toBe('4h');
    });

    it('severity 2 counts one business hour, severity 4 one business day of 9 hours', () => {
      expect(due(config, 2, null, '2026-11-20T16:30:00-05:00').response).toBe(iso('2026-11-23T08:30:00-05:00'));
      expect(due(config, 4, null, '2026-11-23T12:00:00-05:00').response).toBe(iso('2026-11-24T12:00:00-05:00'));
    });

    it('a severity-3 incident has no resolution due time and never counts as a missed resolution', () => {
      expect(due(config, 3, null, '2026-11-23T09:00:00-05:00')).toEqual({ response: iso('2026-11-23T11:00:00-05:00'), resolution: null });
      const report = buildSlaReport({
        from: at('2026-11-01T00:00:00-05:00'),
        to: at('2026-12-01T00:00:00-05:00'),
        now: at('2026-12-15T00:00:00-05:00'),
        incidents: [
          // Never resolved, a month past: still not a missed resolution.
          { id: 'a', title: 'A', severity: 3, startedAt: at('2026-11-23T09:00:00-05:00'), respondedAt: at('2026-11-23T09:30:00-05:00'), resolvedAt: null, componentIds: ['voz'], countsForSla: true, calendarId: 'oficina' },
          { id: 'b', title: 'B', severity: 3, startedAt: at('2026-11-24T09:00:00-05:00'), respondedAt: at('2026-11-24T09:30:00-05:00'), resolvedAt: at('2026-11-28T09:00:00-05:00'), componentIds: ['voz'], countsForSla: true, calendarId: 'oficina' },
        ],
        policies: config.policy.severities,
        calendars: [...config.policy.calendars.values()],
        maintenance: [],
        components: [],
      });
      const three = report.severities.find((s) => s.level === 3)!;
      expect(three.resolution).toMatchObject({ clock: null, met: 0, breached: 0, pending: 0, within_target_share: null, aim_met: 0, aim_missed: 0 });
      expect(three.response).toMatchObject({ met: 2, breached: 0 });
      expect(report.timeline.map((t) => [t.resolution_due_at, t.resolution_breached])).toEqual([
        [null, false],
        [null, false],
      ]);
    });
  });

  describe('web agency: priority × impact, ranges and "inmediata"', () => {
    const config = load('agencia-web-matriz.yaml');

    it('a "media / medio impacto" request opened Friday 16:00 is due by the 12th business hour, aimed at the 8th', () => {
      const level = levelOfCell(config.policy.matrix!, 'media', 'medio')!;
      expect(level).toBe(5);
      // Fri 16–18 (2 h) + Mon 09–18 (9 h) + Tue 09–10 (1 h) = 12 business hours; the aim, 8, ends Monday 15:00.
      expect(due(config, level, null, '2026-11-20T16:00:00-03:00').response).toBe(iso('2026-11-24T10:00:00-03:00'));
      const policy = severityPolicy(config, level)!;
      expect([policy.response!.duration.text, policy.response!.aim!.text, policy.response!.commitmentFirst]).toEqual(['12h', '8h', true]);
    });

    it('"inmediata" is met within the grace: five minutes of wall time on the always clock', () => {
      expect(due(config, 1, null, '2026-11-25T11:00:00-03:00').response).toBe(iso('2026-11-25T11:05:00-03:00'));
      const text = readFileSync(example('agencia-web-matriz.yaml'), 'utf8').replace('immediate_grace: 5m', 'immediate_grace: 10m');
      expect(due(parseConfigText(text), 1, null, '2026-11-25T11:00:00-03:00').response).toBe(iso('2026-11-25T11:10:00-03:00'));
    });
  });

  describe('e-commerce: a policy per region', () => {
    const config = load('ecommerce-regiones.yaml');

    it('components take their region\'s calendar', () => {
      expect(Object.fromEntries(config.components.map((c) => [c.id, c.calendar]))).toMatchObject({ 'tiendas-br': 'brasil', 'tiendas-us': 'us', 'tiendas-apac': 'apac' });
    });

    it('the same level opened at 17:00 local on a Friday is due on each region\'s own hours and time zone', () => {
      expect(due(config, 2, 'us', '2026-11-20T17:00:00-05:00').response).toBe(iso('2026-11-23T09:00:00-05:00'));
      expect(due(config, 2, 'apac', '2026-11-20T17:00:00+08:00').response).toBe(iso('2026-11-23T12:00:00+08:00'));
      // Brazil's own level 2 is 2 h, and Friday 20 November is a holiday there.
      expect(due(config, 2, 'brasil', '2026-11-20T17:00:00-03:00').response).toBe(iso('2026-11-23T11:00:00-03:00'));
      // Brazil's level 1 answers in 30 minutes, the others' in an hour; Brazil has no level 4.
      expect(due(config, 1, 'brasil', '2026-11-21T10:00:00-03:00').response).toBe(iso('2026-11-21T10:30:00-03:00'));
      expect(due(config, 1, 'emea', '2026-11-21T10:00:00Z').response).toBe(iso('2026-11-21T11:00:00Z'));
      expect(due(config, 4, 'brasil', '2026-11-23T10:00:00-03:00')).toEqual({ response: null, resolution: null });
    });
  });

  describe('four levels on business hours', () => {
    const config = load('cuatro-niveles-horario-habil.yaml');

    it('Medio opened Friday 16:00 is due for a response on Saturday at 12:00, Crítico an hour later on the wall clock', () => {
      expect(due(config, 3, null, '2026-11-20T16:00:00-05:00').response).toBe(iso('2026-11-21T12:00:00-05:00'));
      expect(due(config, 1, null, '2026-11-20T16:00:00-05:00')).toEqual({ response: iso('2026-11-20T17:00:00-05:00'), resolution: iso('2026-11-20T21:00:00-05:00') });
    });
  });
});
