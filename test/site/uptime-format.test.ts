import { describe, expect, it } from 'vitest';
import type { UptimeInfo } from '../../site/lib/api.ts';
import { addDays, dayCells, fillIn, formatDuration, formatMonth, formatShare, stateCounts } from '../../site/lib/uptime.ts';

describe('uptime figures on the page', () => {
  it('rounds down, so any downtime reads below 100 %', () => {
    expect(formatShare(0.99996, 'en')).toBe('99.99%');
    expect(formatShare(1, 'en')).toBe('100.00%');
    expect(formatShare(0.995750, 'es')).toBe('99,57%');
    expect(formatShare(0.99575, 'pt-BR')).toBe('99,57%');
    expect(formatShare(null, 'es')).toBeNull();
  });

  it('fills every placeholder and leaves unknown ones as they are', () => {
    expect(fillIn('{share} en {days} días', { share: '99,57%', days: 30 })).toBe('99,57% en 30 días');
    expect(fillIn('{n} y {x}', { n: 2 })).toBe('2 y {x}');
  });

  it('writes durations and months', () => {
    expect(formatDuration(2 * 3_600_000)).toBe('2 h');
    expect(formatDuration(90 * 60_000)).toBe('1 h 30 min');
    expect(formatDuration(1_000)).toBe('1 min');
    expect(formatMonth('2026-11', 'es')).toBe('noviembre de 2026');
    expect(formatMonth('2026-11', 'pt-BR')).toBe('novembro de 2026');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('reads a row of the uptime document into dated cells with their events', () => {
    const uptime = {
      first_day: '2026-11-18',
      last_day: '2026-11-20',
      legend: { '-': 'no_data', o: 'operational', m: 'under_maintenance', d: 'degraded_performance', p: 'partial_outage', x: 'major_outage' },
    } as unknown as UptimeInfo;
    const row = { id: 'a', name: 'A', days: '-xm', uptime: [], incidents: { '2026-11-19': ['i1'] }, maintenances: { '2026-11-20': ['w1'] } };
    const cells = dayCells(uptime, row);
    expect(cells).toEqual([
      { date: '2026-11-18', code: 'n', state: 'no_data', incidents: [], maintenances: [] },
      { date: '2026-11-19', code: 'x', state: 'major_outage', incidents: ['i1'], maintenances: [] },
      { date: '2026-11-20', code: 'm', state: 'under_maintenance', incidents: [], maintenances: ['w1'] },
    ]);
    expect(stateCounts(cells)).toEqual({ no_data: 1, major_outage: 1, under_maintenance: 1 });
  });
});
