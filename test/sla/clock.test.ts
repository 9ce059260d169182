import { describe, expect, it } from 'vitest';
import { compileCalendar } from '../../worker/sla/calendar.ts';
import { dueAt, elapsed, isOpen, nextOpening } from '../../worker/sla/clock.ts';
import { durationMs, parseDuration } from '../../worker/sla/duration.ts';
import { allDay, bogota, BOGOTA_CONFIG, HOUR, MINUTE, weekdays } from './fixtures.ts';

const at = (iso: string) => new Date(iso);
const iso = (date: Date) => date.toISOString();

describe('required example: Bogotá, Mon–Fri 08–18, Sat 08–12', () => {
  it('Friday 2026-11-20 16:00 + 6 business hours is due Saturday 12:00 local; 5 h on the always clock is Friday 21:00 local', () => {
    const calendar = bogota();
    const start = at('2026-11-20T16:00:00-05:00');
    expect(iso(dueAt(start, 6 * HOUR, calendar, 'business'))).toBe('2026-11-21T17:00:00.000Z');
    expect(iso(dueAt(start, 5 * HOUR, calendar, 'always'))).toBe(iso(at('2026-11-20T21:00:00-05:00')));
  });
});

describe('business clock on a Bogotá calendar', () => {
  const calendar = bogota();

  it('ends exactly at a closing instant rather than at the next opening', () => {
    expect(iso(dueAt(at('2026-11-16T08:00:00-05:00'), 10 * HOUR, calendar, 'business'))).toBe(iso(at('2026-11-16T18:00:00-05:00')));
    expect(iso(dueAt(at('2026-11-20T16:00:00-05:00'), 2 * HOUR, calendar, 'business'))).toBe(iso(at('2026-11-20T18:00:00-05:00')));
  });

  it('carries over the night and over the weekend', () => {
    expect(iso(dueAt(at('2026-11-16T17:00:00-05:00'), 2 * HOUR, calendar, 'business'))).toBe(iso(at('2026-11-17T09:00:00-05:00')));
    expect(iso(dueAt(at('2026-11-21T11:00:00-05:00'), 2 * HOUR, calendar, 'business'))).toBe(iso(at('2026-11-23T09:00:00-05:00')));
  });

  it('starts counting at the next opening when the start is in closed time', () => {
    expect(iso(dueAt(at('2026-11-22T10:00:00-05:00'), HOUR, calendar, 'business'))).toBe(iso(at('2026-11-23T09:00:00-05:00')));
    expect(iso(dueAt(at('2026-11-23T06:00:00-05:00'), 30 * MINUTE, calendar, 'business'))).toBe(iso(at('2026-11-23T08:30:00-05:00')));
    expect(iso(dueAt(at('2026-11-20T19:00:00-05:00'), HOUR, calendar, 'business'))).toBe(iso(at('2026-11-21T09:00:00-05:00')));
  });

  it('is due at the start for a zero duration, even in closed time', () => {
    const sunday = at('2026-11-22T10:00:00-05:00');
    expect(iso(dueAt(sunday, 0, calendar, 'business'))).toBe(iso(sunday));
  });

  it('skips holidays, which are local dates', () => {
    // Thursday 24 Dec 17:00 + 2 h: Friday 25 is a holiday, Saturday opens at 08:00.
    expect(iso(dueAt(at('2026-12-24T17:00:00-05:00'), 2 * HOUR, calendar, 'business'))).toBe(iso(at('2026-12-26T09:00:00-05:00')));
    // Around the clock with 25 Dec closed: of the UTC day 25 Dec only 00:00–05:00Z is still the 24th in Bogotá.
    const open = allDay('America/Bogota', ['2026-12-25']);
    expect(elapsed(at('2026-12-25T00:00:00Z'), at('2026-12-26T00:00:00Z'), open, 'business')).toBe(5 * HOUR);
    expect(isOpen(at('2026-12-25T04:59:59Z'), open)).toBe(true);
    expect(isOpen(at('2026-12-25T05:00:00Z'), open)).toBe(false);
    expect(iso(nextOpening(at('2026-12-25T05:00:00Z'), open))).toBe('2026-12-26T05:00:00.000Z');
  });

  it('resolves a business-day target through the calendar: 2d is 20 open hours', () => {
    const target = durationMs(parseDuration('2d'), 'business', calendar);
    // Friday 16:00: 2 h Friday, 4 h Saturday, 10 h Monday, 4 h Tuesday.
    expect(iso(dueAt(at('2026-11-20T16:00:00-05:00'), target, calendar, 'business'))).toBe(iso(at('2026-11-24T12:00:00-05:00')));
  });

  it('measures elapsed open time, zero when the end is not after the start', () => {
    expect(elapsed(at('2026-11-20T16:00:00-05:00'), at('2026-11-23T09:00:00-05:00'), calendar, 'business')).toBe(7 * HOUR);
    expect(elapsed(at('2026-11-22T00:00:00-05:00'), at('2026-11-23T00:00:00-05:00'), calendar, 'business')).toBe(0);
    const t = at('2026-11-20T12:00:00-05:00');
    expect(elapsed(t, t, calendar, 'business')).toBe(0);
    expect(elapsed(t, at('2026-11-20T11:00:00-05:00'), calendar, 'business')).toBe(0);
  });

  it('counts a whole year: 261 weekdays × 10 h + 52 Saturdays × 4 h, less the two holidays', () => {
    const year = elapsed(at('2026-01-01T00:00:00-05:00'), at('2027-01-01T00:00:00-05:00'), calendar, 'business');
    // 8 Dec is a Tuesday and 25 Dec a Friday: 20 h closed.
    expect(year).toBe((261 * 10 + 52 * 4 - 20) * HOUR);
    const noHolidays = compileCalendar({ ...BOGOTA_CONFIG, holidays: [] });
    expect(elapsed(at('2026-01-01T00:00:00-05:00'), at('2027-01-01T00:00:00-05:00'), noHolidays, 'business')).toBe((261 * 10 + 52 * 4) * HOUR);
  });

  it('finds due instants far ahead without losing holidays inside skipped weeks', () => {
    // 2026-11-02 (Mon) 08:00 + 54 h × 5 weeks lands on Saturday 5 Dec 12:00; the next week holds 8 Dec.
    const monday = at('2026-11-02T08:00:00-05:00');
    expect(iso(dueAt(monday, 5 * 54 * HOUR, calendar, 'business'))).toBe(iso(at('2026-12-05T12:00:00-05:00')));
    // One more full week: the 10 h lost on Tuesday 8 Dec push the end to Monday 14 Dec 18:00.
    expect(iso(dueAt(monday, 6 * 54 * HOUR, calendar, 'business'))).toBe(iso(at('2026-12-14T18:00:00-05:00')));
    // Exactly two weeks of open time from a Saturday closing ends at a Saturday closing, not the Monday after.
    expect(iso(dueAt(at('2026-11-07T12:00:00-05:00'), 2 * 54 * HOUR, calendar, 'business'))).toBe(iso(at('2026-11-21T12:00:00-05:00')));
  });

  it('answers isOpen with half-open ranges and nextOpening with the instant itself when open', () => {
    expect(isOpen(at('2026-11-20T08:00:00-05:00'), calendar)).toBe(true);
    expect(isOpen(at('2026-11-20T17:59:59.999-05:00'), calendar)).toBe(true);
    expect(isOpen(at('2026-11-20T18:00:00-05:00'), calendar)).toBe(false);
    expect(isOpen(at('2026-11-20T07:59:59.999-05:00'), calendar)).toBe(false);
    const open = at('2026-11-20T10:15:00-05:00');
    expect(iso(nextOpening(open, calendar))).toBe(iso(open));
    expect(iso(nextOpening(at('2026-11-21T12:00:00-05:00'), calendar))).toBe(iso(at('2026-11-23T08:00:00-05:00')));
  });
});

describe('several ranges a day', () => {
  const calendar = compileCalendar({
    id: 'lunch',
    timezone: 'America/Mexico_City',
    week: { mon: ['08:00-12:00', '14:00-18:00'], tue: ['08:00-12:00', '14:00-18:00'] },
  });

  it('pauses over the break', () => {
    expect(iso(dueAt(at('2026-11-16T11:00:00-06:00'), 2 * HOUR, calendar, 'business'))).toBe(iso(at('2026-11-16T15:00:00-06:00')));
    expect(isOpen(at('2026-11-16T12:30:00-06:00'), calendar)).toBe(false);
    expect(iso(nextOpening(at('2026-11-16T12:30:00-06:00'), calendar))).toBe(iso(at('2026-11-16T14:00:00-06:00')));
    // Tuesday 17:00 + 2 h wraps to the following Monday, six days later.
    expect(iso(dueAt(at('2026-11-17T17:00:00-06:00'), 2 * HOUR, calendar, 'business'))).toBe(iso(at('2026-11-23T09:00:00-06:00')));
    expect(calendar.businessDayMs).toBe(8 * HOUR);
  });
});

describe('always clock', () => {
  const calendar = bogota();

  it('counts wall time and ignores the calendar', () => {
    const sunday = at('2026-11-22T10:00:00-05:00');
    expect(iso(dueAt(sunday, 5 * HOUR, calendar, 'always'))).toBe(iso(at('2026-11-22T15:00:00-05:00')));
    expect(elapsed(sunday, at('2026-11-23T10:00:00-05:00'), calendar, 'always')).toBe(24 * HOUR);
    expect(elapsed(sunday, at('2026-11-21T10:00:00-05:00'), calendar, 'always')).toBe(0);
  });
});

describe('daylight saving: wall-clock ranges count', () => {
  it('America/New_York: a day is 23 h in March and 25 h in November around the clock', () => {
    const calendar = allDay('America/New_York');
    expect(elapsed(at('2026-03-08T00:00:00-05:00'), at('2026-03-09T00:00:00-04:00'), calendar, 'business')).toBe(23 * HOUR);
    expect(elapsed(at('2026-11-01T00:00:00-04:00'), at('2026-11-02T00:00:00-05:00'), calendar, 'business')).toBe(25 * HOUR);
  });

  it('America/New_York: a range over the skipped hour is shorter, one over the repeated hour longer', () => {
    const calendar = compileCalendar({ id: 'ny-night', timezone: 'America/New_York', week: { sun: ['01:00-03:00'] } });
    // 8 Mar 2026: 02:00 EST jumps to 03:00 EDT, so 01:00–03:00 is one real hour.
    expect(elapsed(at('2026-03-08T00:00:00-05:00'), at('2026-03-09T00:00:00-04:00'), calendar, 'business')).toBe(HOUR);
    // 1 Nov 2026: 02:00 EDT falls back to 01:00 EST, so 01:00 EDT – 03:00 EST is three real hours.
    expect(elapsed(at('2026-11-01T00:00:00-04:00'), at('2026-11-02T00:00:00-05:00'), calendar, 'business')).toBe(3 * HOUR);
    expect(isOpen(at('2026-11-01T01:30:00-05:00'), calendar)).toBe(true); // the second 01:30
    expect(iso(dueAt(at('2026-11-01T00:00:00-04:00'), 150 * MINUTE, calendar, 'business'))).toBe(iso(at('2026-11-01T02:30:00-05:00')));
  });

  it('America/New_York: business hours keep their local times across the change', () => {
    const calendar = weekdays('America/New_York');
    // Friday 6 Mar 17:00 EST + 2 h → Monday 9 Mar 09:00 EDT.
    expect(iso(dueAt(at('2026-03-06T17:00:00-05:00'), 2 * HOUR, calendar, 'business'))).toBe('2026-03-09T13:00:00.000Z');
    expect(iso(nextOpening(at('2026-10-31T12:00:00-04:00'), calendar))).toBe('2026-11-02T13:00:00.000Z');
  });

  it('America/Sao_Paulo 2018-11-04: midnight did not exist, the day had 23 h', () => {
    const calendar = allDay('America/Sao_Paulo');
    expect(elapsed(at('2018-11-04T00:00:00-03:00'), at('2018-11-05T00:00:00-02:00'), calendar, 'business')).toBe(23 * HOUR);
    const sundayEarly = compileCalendar({ id: 'sp', timezone: 'America/Sao_Paulo', week: { sun: ['00:00-02:00'] } });
    // 00:00–01:00 was skipped; the range opened when the clocks jumped, at 01:00 −02.
    expect(iso(nextOpening(at('2018-11-03T23:30:00-03:00'), sundayEarly))).toBe('2018-11-04T03:00:00.000Z');
    expect(elapsed(at('2018-11-03T00:00:00-03:00'), at('2018-11-05T00:00:00-02:00'), sundayEarly, 'business')).toBe(HOUR);
    expect(iso(dueAt(at('2018-11-03T12:00:00-03:00'), HOUR, sundayEarly, 'business'))).toBe('2018-11-04T04:00:00.000Z');
  });

  it('America/Sao_Paulo 2019-02-16: 23:00–24:00 happened twice, the day had 25 h', () => {
    const calendar = allDay('America/Sao_Paulo');
    expect(elapsed(at('2019-02-16T00:00:00-02:00'), at('2019-02-17T00:00:00-03:00'), calendar, 'business')).toBe(25 * HOUR);
    const saturdayLate = compileCalendar({ id: 'sp-late', timezone: 'America/Sao_Paulo', week: { sat: ['22:00-24:00'] } });
    expect(elapsed(at('2019-02-16T00:00:00-02:00'), at('2019-02-18T00:00:00-03:00'), saturdayLate, 'business')).toBe(3 * HOUR);
    // A range ending inside the repeated hour is open during both passes through it.
    const saturdayHalf = compileCalendar({ id: 'sp-half', timezone: 'America/Sao_Paulo', week: { sat: ['23:00-23:30'] } });
    expect(elapsed(at('2019-02-16T00:00:00-02:00'), at('2019-02-18T00:00:00-03:00'), saturdayHalf, 'business')).toBe(HOUR);
    expect(isOpen(at('2019-02-16T23:45:00-02:00'), saturdayHalf)).toBe(false);
    expect(isOpen(at('2019-02-16T23:15:00-03:00'), saturdayHalf)).toBe(true);
  });

  it('America/Sao_Paulo: business hours on both sides of each change', () => {
    const calendar = weekdays('America/Sao_Paulo');
    // Friday 2 Nov 2018 17:00 (−03) + 2 h → Monday 5 Nov 09:00 (−02).
    expect(iso(dueAt(at('2018-11-02T17:00:00-03:00'), 2 * HOUR, calendar, 'business'))).toBe('2018-11-05T11:00:00.000Z');
    // Friday 15 Feb 2019 17:00 (−02) + 2 h → Monday 18 Feb 09:00 (−03).
    expect(iso(dueAt(at('2019-02-15T17:00:00-02:00'), 2 * HOUR, calendar, 'business'))).toBe('2019-02-18T12:00:00.000Z');
    expect(elapsed(at('2018-10-29T00:00:00-03:00'), at('2019-02-25T00:00:00-03:00'), calendar, 'business')).toBe(17 * 5 * 10 * HOUR);
  });
});

describe('bad arguments', () => {
  const calendar = bogota();

  it('rejects invalid dates and negative or fractional durations', () => {
    expect(() => dueAt(new Date(Number.NaN), HOUR, calendar, 'business')).toThrow(RangeError);
    expect(() => dueAt(at('2026-11-20T12:00:00Z'), -1, calendar, 'business')).toThrow(/non-negative/);
    expect(() => dueAt(at('2026-11-20T12:00:00Z'), 1.5, calendar, 'always')).toThrow(/whole/);
    expect(() => elapsed(at('2026-11-20T12:00:00Z'), new Date(Number.NaN), calendar, 'business')).toThrow(RangeError);
    expect(() => isOpen(new Date(Number.NaN), calendar)).toThrow(RangeError);
    expect(() => dueAt(new Date(8.64e15), 1, calendar, 'always')).toThrow(/range of dates/);
  });
});
