import { describe, expect, it } from 'vitest';
import { SlaConfigError } from '../../worker/sla/errors.ts';
import {
  compileSeverityPolicies,
  compileSeverityPolicy,
  computeTargets,
  DEFAULT_SEVERITY_POLICIES,
  DEFAULT_SEVERITY_POLICY_CONFIG,
  targetsWithinMargin,
  type SeverityPolicy,
  type SeverityPolicyConfig,
} from '../../worker/sla/targets.ts';
import { bogota, HOUR, MINUTE } from './fixtures.ts';

const at = (iso: string) => new Date(iso);
const level = (n: number): SeverityPolicy => DEFAULT_SEVERITY_POLICIES.find((p) => p.level === n)!;

describe('default severity policy', () => {
  it('ships four levels with names, descriptions and colours in both languages', () => {
    expect(
      DEFAULT_SEVERITY_POLICIES.map((p) => [p.level, p.name.es, p.name.en, p.color, p.response!.duration.text, p.resolution!.duration.text, p.response!.clock, p.resolution!.clock]),
    ).toEqual([
      [1, 'Crítico', 'Critical', '#c0262d', '1h', '5h', 'always', 'always'],
      [2, 'Alto', 'High', '#e8590c', '2h', '6h', 'business', 'business'],
      [3, 'Medio', 'Medium', '#d9a400', '6h', '12h', 'business', 'business'],
      [4, 'Bajo', 'Low', '#1c7ed6', '24h', '2d', 'business', 'business'],
    ]);
    for (const p of DEFAULT_SEVERITY_POLICIES) {
      expect(p.description.es.length).toBeGreaterThan(5);
      expect(p.description.en.length).toBeGreaterThan(5);
    }
    expect(level(1).description.en).toMatch(/total outage/i);
    expect(level(4).description.en).toMatch(/questions/i);
  });
});

describe('computeTargets', () => {
  const calendar = bogota();
  const friday = at('2026-11-20T16:00:00-05:00');

  it('counts critical incidents on the always clock', () => {
    const status = computeTargets({ startedAt: friday }, level(1), calendar, friday);
    expect(status.response_due_at!.toISOString()).toBe(at('2026-11-20T17:00:00-05:00').toISOString());
    expect(status.resolution_due_at!.toISOString()).toBe(at('2026-11-20T21:00:00-05:00').toISOString());
    expect(status).toMatchObject({ responded_at: null, resolved_at: null, response_breached: false, resolution_breached: false });
  });

  it('counts high incidents on the business clock, ending at a closing instant', () => {
    const status = computeTargets({ startedAt: friday }, level(2), calendar, friday);
    expect(status.response_due_at!.toISOString()).toBe(at('2026-11-20T18:00:00-05:00').toISOString());
    expect(status.resolution_due_at!.toISOString()).toBe('2026-11-21T17:00:00.000Z');
  });

  it('counts 2d as two business days of the calendar for low incidents', () => {
    const status = computeTargets({ startedAt: friday }, level(4), calendar, friday);
    // 20 open hours: Fri 2 + Sat 4 + Mon 10 + Tue 4.
    expect(status.resolution_due_at!.toISOString()).toBe(at('2026-11-24T12:00:00-05:00').toISOString());
  });

  it('is not breached when met exactly at the due instant, breached one millisecond later', () => {
    const due = at('2026-11-20T17:00:00-05:00');
    const onTime = computeTargets({ startedAt: friday, respondedAt: due }, level(1), calendar, at('2026-11-30T00:00:00Z'));
    expect(onTime.response_breached).toBe(false);
    const late = computeTargets({ startedAt: friday, respondedAt: new Date(due.getTime() + 1) }, level(1), calendar, due);
    expect(late.response_breached).toBe(true);
  });

  it('breaches an open target only once now is past the due instant', () => {
    const due = at('2026-11-20T17:00:00-05:00');
    expect(computeTargets({ startedAt: friday }, level(1), calendar, due).response_breached).toBe(false);
    expect(computeTargets({ startedAt: friday }, level(1), calendar, new Date(due.getTime() + 1)).response_breached).toBe(true);
  });

  it('judges resolved incidents by their times, not by now', () => {
    const status = computeTargets(
      { startedAt: friday, respondedAt: at('2026-11-20T16:30:00-05:00'), resolvedAt: at('2026-11-20T22:00:00-05:00') },
      level(1),
      calendar,
      at('2026-11-20T16:45:00-05:00'),
    );
    expect(status.response_breached).toBe(false);
    expect(status.resolution_breached).toBe(true);
  });

  it('treats a resolved incident without a recorded response as responded when resolved', () => {
    const resolvedAt = at('2026-11-20T16:20:00-05:00');
    const status = computeTargets({ startedAt: friday, respondedAt: null, resolvedAt }, level(1), calendar, at('2026-12-01T00:00:00Z'));
    expect(status.responded_at?.toISOString()).toBe(resolvedAt.toISOString());
    expect(status.response_breached).toBe(false);
  });

  it('uses a separate clock per target when configured', () => {
    const policy = compileSeverityPolicy({ ...DEFAULT_SEVERITY_POLICY_CONFIG[1]!, clock: 'business', response_clock: 'always' });
    expect(policy.response!.clock).toBe('always');
    expect(policy.resolution!.clock).toBe('business');
    const sunday = at('2026-11-22T10:00:00-05:00');
    const status = computeTargets({ startedAt: sunday }, policy, calendar, sunday);
    expect(status.response_due_at!.toISOString()).toBe(at('2026-11-22T12:00:00-05:00').toISOString());
    expect(status.resolution_due_at!.toISOString()).toBe(at('2026-11-23T14:00:00-05:00').toISOString());
  });
});

describe('targetsWithinMargin', () => {
  const calendar = bogota();
  const start = at('2026-11-20T16:00:00-05:00');
  const status = computeTargets({ startedAt: start }, level(1), calendar, start);

  it('lists open targets due within the margin and those past due', () => {
    const now = at('2026-11-20T16:40:00-05:00');
    expect(targetsWithinMargin(status, now, 30 * MINUTE)).toEqual([
      { target: 'response', due_at: status.response_due_at, ms_to_due: 20 * MINUTE, breached: false },
    ]);
    expect(targetsWithinMargin(status, now, 10 * MINUTE)).toEqual([]);
    const late = at('2026-11-20T20:30:00-05:00');
    expect(targetsWithinMargin(status, late, 30 * MINUTE)).toEqual([
      { target: 'response', due_at: status.response_due_at, ms_to_due: -210 * MINUTE, breached: true },
      { target: 'resolution', due_at: status.resolution_due_at, ms_to_due: 30 * MINUTE, breached: false },
    ]);
  });

  it('leaves out targets already met and rejects a negative margin', () => {
    const responded = computeTargets({ startedAt: start, respondedAt: at('2026-11-20T16:10:00-05:00') }, level(1), calendar, start);
    expect(targetsWithinMargin(responded, at('2026-11-20T23:00:00-05:00'), HOUR).map((a) => a.target)).toEqual(['resolution']);
    const resolved = computeTargets({ startedAt: start, resolvedAt: at('2026-11-20T16:10:00-05:00') }, level(1), calendar, start);
    expect(targetsWithinMargin(resolved, at('2026-11-21T23:00:00-05:00'), HOUR)).toEqual([]);
    expect(() => targetsWithinMargin(status, start, -1)).toThrow(RangeError);
  });
});

describe('compileSeverityPolicy', () => {
  const base: SeverityPolicyConfig = { ...DEFAULT_SEVERITY_POLICY_CONFIG[2]! };
  const errorOf = (config: unknown): SlaConfigError => {
    try {
      compileSeverityPolicy(config as SeverityPolicyConfig);
    } catch (error) {
      expect(error).toBeInstanceOf(SlaConfigError);
      return error as SlaConfigError;
    }
    throw new Error('expected the policy to be rejected');
  };

  it('takes the shipped colour of the level when none is given', () => {
    const { color: _, ...noColor } = base;
    expect(compileSeverityPolicy(noColor).color).toBe('#d9a400');
    expect(compileSeverityPolicy({ ...noColor, level: 5 }).color).toBe('#868e96');
    expect(compileSeverityPolicy({ ...base, color: '#ABCDEF' }).color).toBe('#abcdef');
  });

  it('keeps a label as the provider writes the target, while the clock counts its length', () => {
    const label = { es: 'menos de 1 hora', en: 'under 1 hour' };
    const policy = compileSeverityPolicy({ ...base, response: { target: '1h', label }, resolution: { in_hours: { target: '15m', label: { es: '15 minutos', en: '15 minutes' } }, out_of_hours: '2h' } });
    expect(policy.response).toEqual({ duration: { text: '1h', days: 0, minutes: 60 }, clock: base.clock ?? 'business', label });
    expect(policy.resolution).toMatchObject({ duration: { minutes: 15 }, label: { es: '15 minutos' }, outOfHours: { duration: { minutes: 120 }, clock: 'always' } });
    expect(policy.resolution!.outOfHours!.label).toBeUndefined();
    // The same length without a label computes the same due time.
    const start = at('2026-11-20T15:00:00Z');
    const labelled = computeTargets({ startedAt: start }, policy, bogota(), start);
    const plain = computeTargets({ startedAt: start }, compileSeverityPolicy({ ...base, response: '1h' }), bogota(), start);
    expect(labelled.response_due_at).toEqual(plain.response_due_at);
    expect(labelled.response_due_at!.toISOString()).toBe(at('2026-11-20T11:00:00-05:00').toISOString());
  });

  it('defaults both clocks to business', () => {
    const { clock: _, ...noClock } = base;
    const policy = compileSeverityPolicy(noClock);
    expect([policy.response!.clock, policy.resolution!.clock]).toEqual(['business', 'business']);
  });

  it.each([
    [{ response: '1.5h' }, ['response'], /fraction/],
    [{ resolution: '' }, ['resolution'], /empty/],
    [{ clock: 'wall' }, ['clock'], /"business" or "always"/],
    [{ resolution_clock: 'office' }, ['resolution_clock'], /"business" or "always"/],
    [{ color: 'red' }, ['color'], /#rrggbb/],
    [{ level: 0 }, ['level'], /whole number/],
    [{ level: 1.5 }, ['level'], /whole number/],
    [{ name: { es: 'Media' } }, ['name', 'en'], /non-empty/],
    [{ description: 'x' }, ['description'], /both languages/],
    [{ response: { target: '1h', label: { es: 'menos de 1 hora' } } }, ['response', 'label', 'en'], /non-empty/],
    [{ response: { target: 'N/A', label: { es: 'no aplica', en: 'none' } } }, ['response', 'target'], /takes no label/],
    [{ response: { label: { es: 'pronto', en: 'soon' } } }, ['response', 'target'], /is required with a label/],
    [{ response: { target: '1h', label: { es: 'a', en: 'b' }, note: 'x' } }, ['response', 'note'], /unknown key/],
    [{ response: { in_hours: { target: '1x', label: { es: 'a', en: 'b' } }, out_of_hours: '2h' } }, ['response', 'in_hours', 'target'], /unit "x"/],
  ] as [object, string[], RegExp][])('rejects %j at its path', (change, path, message) => {
    const error = errorOf({ ...base, ...change });
    expect(error.path).toEqual(path);
    expect(error.detail).toMatch(message);
  });

  it('rejects repeated levels in a list, with the index in the path', () => {
    const list = [DEFAULT_SEVERITY_POLICY_CONFIG[0]!, { ...DEFAULT_SEVERITY_POLICY_CONFIG[1]!, level: 1 }];
    expect(() => compileSeverityPolicies(list)).toThrow('[1].level: level 1 is also defined at [0]');
    expect(() => compileSeverityPolicies([{ ...base, response: 'x' }])).toThrow(/^\[0\]\.response: "x" is not a duration/);
    expect(compileSeverityPolicies([...DEFAULT_SEVERITY_POLICY_CONFIG].reverse()).map((p) => p.level)).toEqual([1, 2, 3, 4]);
  });
});
