import { describe, expect, it } from 'vitest';
import { WEEKDAYS } from '../../worker/core/vocabulary.ts';
import { CalendarError, compileCalendar, dayToIsoDate, isoDateToDay, weekdayOf, type CalendarConfig } from '../../worker/sla/calendar.ts';
import { formatConfigPath, SlaConfigError } from '../../worker/sla/errors.ts';
import { BOGOTA_CONFIG, HOUR, MINUTE } from './fixtures.ts';

function compileError(config: unknown): CalendarError {
  try {
    compileCalendar(config as CalendarConfig);
  } catch (error) {
    expect(error).toBeInstanceOf(CalendarError);
    expect(error).toBeInstanceOf(SlaConfigError);
    return error as CalendarError;
  }
  throw new Error('expected the calendar to be rejected');
}

const withMonday = (mon: unknown): unknown => ({ id: 'x', timezone: 'UTC', week: { mon, tue: ['08:00-18:00'] } });

describe('compileCalendar', () => {
  it('compiles the ranges per week day in minutes, Monday first', () => {
    const calendar = compileCalendar(BOGOTA_CONFIG);
    expect(calendar.id).toBe('bogota');
    expect(calendar.timezone).toBe('America/Bogota');
    expect(calendar.week[0]).toEqual([{ start: 480, end: 1080 }]);
    expect(calendar.week[5]).toEqual([{ start: 480, end: 720 }]);
    expect(calendar.week[6]).toEqual([]);
    expect(calendar.holidays).toEqual(['2026-12-08', '2026-12-25']);
    expect(calendar.weeklyOpenMs).toBe(54 * HOUR);
    expect(calendar.businessDayMs).toBe(10 * HOUR);
  });

  it('accepts 24:00 as an end, merges touching ranges, sorts ranges and holidays, and canonicalises the zone', () => {
    const calendar = compileCalendar({
      id: ' night ',
      timezone: 'america/sao_paulo',
      week: { fri: ['20:00-24:00', '12:00-14:00', '14:00-18:00'], sat: ['00:00-24:00'] },
      holidays: ['2026-12-25', '2026-01-01', '2026-12-25'],
    });
    expect(calendar.id).toBe('night');
    expect(calendar.timezone).toBe('America/Sao_Paulo');
    expect(calendar.week[4]).toEqual([
      { start: 720, end: 1080 },
      { start: 1200, end: 1440 },
    ]);
    expect(calendar.week[5]).toEqual([{ start: 0, end: 1440 }]);
    expect(calendar.holidays).toEqual(['2026-01-01', '2026-12-25']);
    expect(calendar.businessDayMs).toBe(24 * HOUR);
  });

  it('takes business_day from the configuration when given', () => {
    const calendar = compileCalendar({ ...BOGOTA_CONFIG, business_day: '8h30m' });
    expect(calendar.businessDayMs).toBe(8 * HOUR + 30 * MINUTE);
  });

  it('names overlapping ranges with the path of the later one', () => {
    const error = compileError(withMonday(['08:00-12:00', '11:00-14:00']));
    expect(error.path).toEqual(['week', 'mon', 1]);
    expect(error.message).toBe('week.mon[1]: ranges "08:00-12:00" and "11:00-14:00" overlap');
    expect(error.detail).toBe('ranges "08:00-12:00" and "11:00-14:00" overlap');
    // Listed out of order, the clash is still reported against the later entry.
    const reversed = compileError(withMonday(['13:00-18:00', '08:00-12:00', '11:30-13:30']));
    expect(reversed.path).toEqual(['week', 'mon', 2]);
    expect(reversed.detail).toMatch(/"08:00-12:00" and "11:30-13:30" overlap/);
    // A range inside another overlaps too.
    expect(compileError(withMonday(['08:00-18:00', '09:00-10:00'])).path).toEqual(['week', 'mon', 1]);
  });

  it.each([
    ['8:00-18:00', /"8:00-18:00" is not a time range; write "HH:MM-HH:MM"/],
    ['08:00 18:00', /is not a time range/],
    ['08:00-18:00-20:00', /is not a time range/],
    ['0800-1800', /is not a time range/],
    ['', /is not a time range/],
    ['08:00-25:00', /invalid time "25:00"/],
    ['08:60-09:00', /invalid time "08:60"/],
    ['24:00-24:00', /invalid time "24:00"/],
    ['08:00-24:30', /invalid time "24:30"/],
    ['18:00-08:00', /ends at or before its start; a range cannot cross midnight/],
    ['08:00-08:00', /ends at or before its start/],
  ])('rejects the range %j at its path', (range, message) => {
    const error = compileError(withMonday(['06:00-07:00', range]));
    expect(error.path).toEqual(['week', 'mon', 1]);
    expect(error.message).toMatch(/^week\.mon\[1\]: /);
    expect(error.detail).toMatch(message);
  });

  it('rejects a range that is not text, and a day that is not a list', () => {
    expect(compileError(withMonday([8])).path).toEqual(['week', 'mon', 0]);
    const error = compileError(withMonday('08:00-18:00'));
    expect(error.path).toEqual(['week', 'mon']);
    expect(error.detail).toMatch(/expected a list of ranges/);
  });

  it.each([
    ['2026-02-30', 1],
    ['2026-13-01', 1],
    ['26-12-25', 1],
    ['2026-1-05', 1],
    ['yesterday', 1],
  ])('rejects the holiday %j', (holiday, index) => {
    const error = compileError({ ...BOGOTA_CONFIG, holidays: ['2026-12-25', holiday] });
    expect(error.path).toEqual(['holidays', index]);
    expect(error.detail).toBe(`${JSON.stringify(holiday)} is not a real date written YYYY-MM-DD`);
  });

  it('accepts 29 February only in leap years', () => {
    expect(compileCalendar({ ...BOGOTA_CONFIG, holidays: ['2028-02-29'] }).holidays).toEqual(['2028-02-29']);
    expect(compileError({ ...BOGOTA_CONFIG, holidays: ['2027-02-29'] }).path).toEqual(['holidays', 0]);
    expect(compileError({ ...BOGOTA_CONFIG, holidays: [20261225] }).detail).toMatch(/^20261225 is not a real date/);
    expect(compileError({ ...BOGOTA_CONFIG, holidays: '2026-12-25' }).path).toEqual(['holidays']);
  });

  it('rejects an unknown or missing time zone', () => {
    const error = compileError({ ...BOGOTA_CONFIG, timezone: 'Mars/Olympus_Mons' });
    expect(error.path).toEqual(['timezone']);
    expect(error.message).toBe('timezone: unknown time zone "Mars/Olympus_Mons"; use an IANA name such as "America/Bogota"');
    expect(compileError({ ...BOGOTA_CONFIG, timezone: '' }).path).toEqual(['timezone']);
    expect(compileError({ ...BOGOTA_CONFIG, timezone: -5 }).path).toEqual(['timezone']);
  });

  it('rejects a week with no open time at all', () => {
    const empty = compileError({ ...BOGOTA_CONFIG, week: { mon: [], sun: [] } });
    expect(empty.path).toEqual(['week']);
    expect(empty.detail).toMatch(/the week has no open time/);
    expect(compileError({ ...BOGOTA_CONFIG, week: {} }).path).toEqual(['week']);
    expect(compileError({ ...BOGOTA_CONFIG, week: ['08:00-18:00'] }).path).toEqual(['week']);
  });

  it('rejects an unknown week day key', () => {
    const error = compileError({ ...BOGOTA_CONFIG, week: { monday: ['08:00-18:00'] } });
    expect(error.path).toEqual(['week', 'monday']);
    expect(error.detail).toBe('unknown day "monday"; days are mon, tue, wed, thu, fri, sat, sun');
  });

  it.each([
    ['1d', /counts days/],
    ['25h', /longer than 24 hours/],
    ['soon', /"soon" is not a duration/],
    ['0h', /is zero/],
  ])('rejects business_day %j', (value, message) => {
    const error = compileError({ ...BOGOTA_CONFIG, business_day: value });
    expect(error.path).toEqual(['business_day']);
    expect(error.detail).toMatch(message);
  });

  it('rejects a missing id and a calendar that is not an object', () => {
    expect(compileError({ ...BOGOTA_CONFIG, id: '  ' }).path).toEqual(['id']);
    expect(compileError(null).path).toEqual([]);
    expect(compileError(['x']).message).toMatch(/expected a calendar object/);
  });
});

describe('dates and paths', () => {
  it('converts local dates to day numbers and back', () => {
    expect(isoDateToDay('1970-01-01')).toBe(0);
    expect(isoDateToDay('2026-11-20')).toBe(20_777);
    expect(dayToIsoDate(20_777)).toBe('2026-11-20');
    expect(isoDateToDay('2026-11-31')).toBeNull();
    expect(WEEKDAYS[weekdayOf(20_777)]).toBe('fri');
    expect(WEEKDAYS[weekdayOf(0)]).toBe('thu');
    expect(WEEKDAYS[weekdayOf(-1)]).toBe('wed');
  });

  it('formats key paths the way they are read', () => {
    expect(formatConfigPath(['week', 'mon', 1])).toBe('week.mon[1]');
    expect(formatConfigPath([0, 'level'])).toBe('[0].level');
    expect(formatConfigPath([])).toBe('');
  });
});
