import { describe, expect, it } from 'vitest';
import { compileCalendar, type CalendarConfig } from '../../worker/sla/calendar.ts';
import { dueAtMs, elapsedMs } from '../../worker/sla/clock.ts';
import { oracleFor } from './oracle.ts';

describe('zones that changed offset twice in one week', () => {
  // In October 2000 Boa Vista, Recife and Noronha started daylight saving time on the 8th and
  // dropped it again on the 15th. Week skipping must not treat that week as ordinary.
  it.each(['America/Boa_Vista', 'America/Recife', 'America/Noronha'])('%s: agrees with the minute-by-minute reference', (timezone) => {
    const config: CalendarConfig = { id: 'edge', timezone, week: { sat: ['22:00-23:30'], sun: ['00:00-01:30'], wed: ['10:00-11:00'] } };
    const calendar = compileCalendar(config);
    const oracle = oracleFor(config);
    const to = Date.UTC(2000, 10, 6);
    // Every week day as a start, so one of the skipped weeks begins on each day.
    for (let offset = 0; offset < 7; offset++) {
      const from = Date.UTC(2000, 8, 18 + offset, 12);
      const expected = oracle.elapsed(from, to);
      expect(elapsedMs(from, to, calendar, 'business')).toBe(expected);
      expect(dueAtMs(from, expected, calendar, 'business')).toBe(oracle.dueAt(from, expected));
    }
  });
});
