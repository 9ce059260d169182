import { describe, expect, it } from 'vitest';
import { compileCalendar, type CalendarConfig } from '../../worker/sla/calendar.ts';
import { dueAtMs, elapsedMs } from '../../worker/sla/clock.ts';
import { oracleFor } from './oracle.ts';

const MINUTE = 60_000;

describe('zones that changed offset twice in one week', () => {
  // In October 2000 Boa Vista, Recife and Noronha started daylight saving time on the 8th and
  // dropped it again on the 15th. Week skipping must not treat that week as ordinary. The ranges
  // are chosen so the skipped and the repeated hour do not cancel out.
  it.each(['America/Boa_Vista', 'America/Recife', 'America/Noronha'])('%s: agrees with the minute-by-minute reference', (timezone) => {
    const config: CalendarConfig = { id: 'edge', timezone, week: { sat: ['22:00-23:30'], sun: ['00:00-01:30'], wed: ['10:00-11:00'] } };
    const calendar = compileCalendar(config);
    const oracle = oracleFor(config);
    const first = Date.UTC(2000, 8, 18, 12);
    const to = Date.UTC(2000, 10, 6);
    // Open minutes counted once; prefix[k] = open minutes in [first, first + k min).
    const prefix = [0];
    for (let t = first; t < to; t += MINUTE) prefix.push(prefix[prefix.length - 1]! + (oracle.isOpenMinute(t) ? 1 : 0));
    const total = prefix[prefix.length - 1]!;
    // Every week day as a start, so one of the skipped weeks begins on each day.
    for (let day = 0; day < 7; day++) {
      const k0 = day * 24 * 60;
      const open = total - prefix[k0]!;
      expect(elapsedMs(first + k0 * MINUTE, to, calendar, 'business')).toBe(open * MINUTE);
      const k = prefix.findIndex((p) => p === total); // first minute boundary where all open time is used
      expect(dueAtMs(first + k0 * MINUTE, open * MINUTE, calendar, 'business')).toBe(first + k * MINUTE);
    }
  });
});
