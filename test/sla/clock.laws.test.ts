import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WEEKDAYS, type SlaClock } from '../../worker/core/vocabulary.ts';
import { compileCalendar, type CalendarConfig } from '../../worker/sla/calendar.ts';
import { dueAtMs, elapsedMs, isOpen, nextOpening } from '../../worker/sla/clock.ts';
import { HOUR, MINUTE } from './fixtures.ts';
import { oracleFor } from './oracle.ts';

const ZONES = ['America/Bogota', 'America/New_York', 'America/Sao_Paulo', 'America/Santiago', 'Europe/London', 'Asia/Kolkata', 'UTC'];
const pad = (n: number) => String(n).padStart(2, '0');
const hhmm = (minutes: number) => `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;

/** Up to three non-overlapping ranges on quarter-hour boundaries, sometimes touching midnight. */
const dayRanges = fc
  .uniqueArray(fc.integer({ min: 0, max: 96 }), { maxLength: 6 })
  .map((points) => {
    const sorted = [...points].sort((a, b) => a - b);
    const ranges: string[] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) ranges.push(`${hhmm(sorted[i]! * 15)}-${hhmm(sorted[i + 1]! * 15)}`);
    return ranges;
  });

const calendarConfig: fc.Arbitrary<CalendarConfig> = fc
  .record({
    timezone: fc.constantFrom(...ZONES),
    days: fc.tuple(...WEEKDAYS.map(() => dayRanges)),
    holidays: fc.uniqueArray(fc.integer({ min: 0, max: 5 * 365 }), { maxLength: 12 }),
  })
  .map(({ timezone, days, holidays }) => {
    if (days.every((d) => d.length === 0)) days[0] = ['09:00-17:00'];
    return {
      id: 'random',
      timezone,
      week: Object.fromEntries(WEEKDAYS.map((d, i) => [d, days[i]!])),
      holidays: holidays.map((d) => new Date(Date.UTC(2024, 0, 1) + d * 86_400_000).toISOString().slice(0, 10)),
    };
  });

const FROM = Date.UTC(2024, 0, 1);
const TO = Date.UTC(2029, 0, 1);
const instant = fc.integer({ min: FROM, max: TO });
const duration = fc.oneof(fc.integer({ min: 0, max: 10 * HOUR }), fc.integer({ min: 0, max: 120 * 24 * HOUR }));
const clock = fc.constantFrom<SlaClock>('business', 'always');

const RUNS = { numRuns: 300 };

describe('laws of the SLA clocks on random calendars', () => {
  it('dueAt composes: due(s, a + b) = due(due(s, a), b)', () => {
    fc.assert(
      fc.property(calendarConfig, instant, duration, duration, clock, (config, start, a, b, kind) => {
        const calendar = compileCalendar(config);
        expect(dueAtMs(start, a + b, calendar, kind)).toBe(dueAtMs(dueAtMs(start, a, calendar, kind), b, calendar, kind));
      }),
      RUNS,
    );
  });

  it('elapsed(s, due(s, d)) = d, and just before the due instant less than d has elapsed', () => {
    fc.assert(
      fc.property(calendarConfig, instant, duration, clock, (config, start, d, kind) => {
        const calendar = compileCalendar(config);
        const due = dueAtMs(start, d, calendar, kind);
        expect(elapsedMs(start, due, calendar, kind)).toBe(d);
        if (d > 0) expect(elapsedMs(start, due - 1, calendar, kind)).toBeLessThan(d);
      }),
      RUNS,
    );
  });

  it('whole weeks of open time end at the closing instant of the last open range', () => {
    fc.assert(
      fc.property(calendarConfig, instant, fc.integer({ min: 1, max: 30 }), (config, start, weeks) => {
        const calendar = compileCalendar(config);
        const d = weeks * calendar.weeklyOpenMs;
        const due = dueAtMs(start, d, calendar, 'business');
        expect(elapsedMs(start, due, calendar, 'business')).toBe(d);
        expect(elapsedMs(start, due - 1, calendar, 'business')).toBe(d - 1);
      }),
      RUNS,
    );
  });

  it('a business due instant is open or exactly a closing instant', () => {
    fc.assert(
      fc.property(calendarConfig, instant, duration.filter((d) => d > 0), (config, start, d) => {
        const calendar = compileCalendar(config);
        const due = dueAtMs(start, d, calendar, 'business');
        expect(isOpen(new Date(due), calendar) || isOpen(new Date(due - 1), calendar)).toBe(true);
      }),
      RUNS,
    );
  });

  it('elapsed is additive and never exceeds wall time', () => {
    fc.assert(
      fc.property(calendarConfig, fc.tuple(instant, instant, instant), clock, (config, points, kind) => {
        const calendar = compileCalendar(config);
        const [a, b, c] = [...points].sort((x, y) => x - y) as [number, number, number];
        const ab = elapsedMs(a, b, calendar, kind);
        expect(elapsedMs(a, c, calendar, kind)).toBe(ab + elapsedMs(b, c, calendar, kind));
        expect(ab).toBeLessThanOrEqual(b - a);
      }),
      RUNS,
    );
  });

  it('nextOpening is the first open instant at or after the given one', () => {
    fc.assert(
      fc.property(calendarConfig, instant, (config, at) => {
        const calendar = compileCalendar(config);
        const next = nextOpening(new Date(at), calendar).getTime();
        expect(next).toBeGreaterThanOrEqual(at);
        expect(isOpen(new Date(next), calendar)).toBe(true);
        expect(elapsedMs(at, next, calendar, 'business')).toBe(0);
        expect(isOpen(new Date(at), calendar)).toBe(next === at);
      }),
      RUNS,
    );
  });
});

describe('agreement with a minute-by-minute reference', () => {
  // Windows of a few days around each daylight-saving change in the zones tested, plus ordinary weeks.
  const AROUND = [
    '2018-11-04T03:00:00Z', // Sao Paulo, clocks jump over midnight
    '2019-02-17T02:00:00Z', // Sao Paulo, 23:00–24:00 repeated
    '2026-03-08T07:00:00Z', // New York, spring
    '2026-11-01T06:00:00Z', // New York, autumn
    '2026-04-05T03:00:00Z', // Santiago, autumn at midnight
    '2026-09-06T04:00:00Z', // Santiago, spring at midnight
    '2026-03-29T01:00:00Z', // London, spring
    '2026-06-10T12:00:00Z', // no change anywhere
  ].map((s) => Date.parse(s));

  const window = fc
    .record({ center: fc.constantFrom(...AROUND), a: fc.integer({ min: -3 * 24 * 60, max: 3 * 24 * 60 }), length: fc.integer({ min: 0, max: 3 * 24 * 60 }) })
    .map(({ center, a, length }) => ({ from: center + a * MINUTE, to: center + (a + length) * MINUTE }));

  const zones = fc.constantFrom('America/New_York', 'America/Sao_Paulo', 'America/Santiago', 'Europe/London');
  const config = fc.tuple(calendarConfig, zones).map(([c, timezone]) => ({ ...c, timezone }));

  it('elapsed and dueAt match the reference across nights, weekends, holidays and clock changes', () => {
    fc.assert(
      fc.property(config, window, (cfg, { from, to }) => {
        const calendar = compileCalendar(cfg);
        const oracle = oracleFor(cfg);
        // One pass over the minutes: open time, and the end of the last open minute, which is
        // where that much open time from `from` runs out.
        let expected = 0;
        let lastOpenEnd = from;
        for (let t = from; t < to; t += MINUTE) {
          if (oracle.isOpenMinute(t)) {
            expected += MINUTE;
            lastOpenEnd = t + MINUTE;
          }
        }
        expect(elapsedMs(from, to, calendar, 'business')).toBe(expected);
        expect(dueAtMs(from, expected, calendar, 'business')).toBe(lastOpenEnd);
        expect(isOpen(new Date(from), calendar)).toBe(oracle.isOpenMinute(from));
      }),
      { numRuns: 120 },
    );
    // A minute-by-minute reference is slow by design; on a busy 2-core machine it needs more than the default.
  }, 60_000);
});
