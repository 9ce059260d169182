import { describe, expect, it } from 'vitest';
import type { ComponentCondition } from '../../worker/status/derive.ts';
import { overallState, overallSummary } from '../../worker/status/overall.ts';
import type { ComponentState } from '../../worker/core/vocabulary.ts';

const since = new Date('2026-11-20T10:00:00Z');
const condition = (state: ComponentState): ComponentCondition => ({
  status: state === 'unknown' ? 'operational' : state,
  state,
  unknownSince: state === 'unknown' ? since : null,
});
const page = (states: Record<string, ComponentState>) => {
  const components = Object.keys(states).map((id) => ({ id, name: id.toUpperCase() }));
  const conditions = new Map(Object.entries(states).map(([id, s]) => [id, condition(s)]));
  return overallSummary(components, conditions);
};

describe('overall state', () => {
  it('is operational only when every component is', () => {
    const overall = page({ web: 'operational', mail: 'operational' });
    expect(overall.state).toBe('operational');
    expect(overall.affected).toEqual([]);
    expect(overall.counts).toMatchObject({ total: 2, operational: 2, unknown: 0 });
  });

  it('is never operational while a component cannot be checked, and names the unknown ones', () => {
    const overall = page({ web: 'operational', gws: 'unknown', m365: 'unknown', voip: 'operational', aws: 'unknown', gcp: 'unknown', cf: 'unknown', dns: 'operational' });
    expect(overall.state).toBe('unknown');
    expect(overall.counts).toMatchObject({ total: 8, unknown: 5, operational: 3 });
    expect(overall.affected.map((a) => a.name)).toEqual(['GWS', 'M365', 'AWS', 'GCP', 'CF']);
    expect(overall.affected[0]).toEqual({ id: 'gws', name: 'GWS', state: 'unknown', unknown_since: since.toISOString() });
  });

  it('puts a known outage before what cannot be checked, and lists both, worst first', () => {
    const overall = page({ web: 'degraded_performance', gws: 'unknown', mail: 'major_outage', panel: 'under_maintenance', dns: 'partial_outage' });
    expect(overall.state).toBe('major_outage');
    expect(overall.affected.map((a) => [a.id, a.state])).toEqual([
      ['mail', 'major_outage'],
      ['dns', 'partial_outage'],
      ['web', 'degraded_performance'],
      ['gws', 'unknown'],
      ['panel', 'under_maintenance'],
    ]);
  });

  it('ranks "cannot be checked" above planned maintenance', () => {
    expect(page({ panel: 'under_maintenance', web: 'operational' }).state).toBe('under_maintenance');
    expect(page({ panel: 'under_maintenance', gws: 'unknown' }).state).toBe('unknown');
  });

  it('gives the same one-word state from conditions alone', () => {
    expect(overallState([condition('operational'), condition('unknown'), condition('under_maintenance')])).toBe('unknown');
    expect(overallState([condition('unknown'), condition('degraded_performance')])).toBe('degraded_performance');
    expect(overallState([])).toBe('operational');
  });

  it('treats a component the derivation has no condition for as unknown', () => {
    const overall = overallSummary([{ id: 'new', name: 'New' }], new Map());
    expect(overall.state).toBe('unknown');
    expect(overall.affected).toEqual([{ id: 'new', name: 'New', state: 'unknown', unknown_since: null }]);
  });
});
