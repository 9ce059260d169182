import { describe, expect, it } from 'vitest';
import { compileCalendar } from '../../worker/sla/calendar.ts';
import { DurationError, durationMs, formatDuration, parseDuration } from '../../worker/sla/duration.ts';
import { SlaConfigError } from '../../worker/sla/errors.ts';
import { bogota, HOUR, MINUTE, weekdays } from './fixtures.ts';

describe('parseDuration', () => {
  it.each([
    ['30m', 0, 30],
    ['1h', 0, 60],
    ['90m', 0, 90],
    ['1h30m', 0, 90],
    ['2d', 2, 0],
    ['1d4h', 1, 240],
    ['1d4h5m', 1, 245],
    ['24h', 0, 1440],
    ['  45m ', 0, 45],
  ])('reads %j', (text, days, minutes) => {
    expect(parseDuration(text)).toEqual({ text: text.trim(), days, minutes });
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['0m', /"0m" is zero/],
    ['0d0h0m', /is zero/],
    ['-1h', /"-1h" is negative/],
    ['1.5h', /"1.5h" has a fraction.*"1h30m"/],
    ['1w', /unit "w", which is not supported/],
    ['2 weeks', /unit "weeks", which is not supported/],
    ['1H', /unit "H", which is not supported/],
    ['abc', /"abc" is not a duration/],
    ['30', /"30" is not a duration/],
    ['1h30', /"1h30" is not a duration/],
    ['30m1h', /"30m1h" is not a duration/],
    ['1h 30m', /"1h 30m" is not a duration/],
    ['1h1h', /"1h1h" is not a duration/],
    ['h', /"h" is not a duration/],
    ['3661d', /longer than ten years/],
  ])('rejects %j', (text, message) => {
    expect(() => parseDuration(text)).toThrow(message);
  });

  it('rejects values that are not text, naming what it got', () => {
    expect(() => parseDuration(30)).toThrow(/the number 30 \(a number has no unit\)/);
    expect(() => parseDuration(null)).toThrow(/got object/);
    expect(() => parseDuration(undefined)).toThrow(/got undefined/);
  });

  it('throws a DurationError with an empty path so a config loader can add the key', () => {
    try {
      parseDuration('soon');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DurationError);
      expect(error).toBeInstanceOf(SlaConfigError);
      expect((error as DurationError).path).toEqual([]);
      expect((error as DurationError).detail).toBe((error as DurationError).message);
    }
  });

  it('formats back to canonical text', () => {
    expect(formatDuration(parseDuration('90m'))).toBe('1h30m');
    expect(formatDuration(parseDuration('1d4h5m'))).toBe('1d4h5m');
    expect(formatDuration(parseDuration('2d'))).toBe('2d');
    expect(formatDuration({ days: 0, minutes: 0 })).toBe('0m');
  });
});

describe('durationMs', () => {
  const calendar = weekdays('America/Bogota');

  it('counts wall time on the always clock, a day being 24 h', () => {
    expect(durationMs(parseDuration('1m'), 'always', calendar)).toBe(MINUTE);
    expect(durationMs(parseDuration('1h'), 'always', calendar)).toBe(HOUR);
    expect(durationMs(parseDuration('2d'), 'always', calendar)).toBe(48 * HOUR);
    expect(durationMs(parseDuration('1d2h'), 'always', calendar)).toBe(26 * HOUR);
  });

  it('counts a business day as the longest open weekday: 2d on Mon–Fri 08–18 is 20 open hours', () => {
    expect(calendar.businessDayMs).toBe(10 * HOUR);
    expect(durationMs(parseDuration('2d'), 'business', calendar)).toBe(20 * HOUR);
    expect(durationMs(parseDuration('90m'), 'business', calendar)).toBe(90 * MINUTE);
    // Saturday's shorter hours do not shorten the business day.
    expect(bogota().businessDayMs).toBe(10 * HOUR);
  });

  it('sums split ranges of a day and honours an explicit business_day', () => {
    const split = compileCalendar({ id: 'split', timezone: 'UTC', week: { mon: ['08:00-12:00', '14:00-18:00'], tue: ['09:00-12:00'] } });
    expect(durationMs(parseDuration('1d'), 'business', split)).toBe(8 * HOUR);
    const nine = weekdays('UTC', { business_day: '9h' });
    expect(durationMs(parseDuration('2d1h'), 'business', nine)).toBe(19 * HOUR);
  });
});
