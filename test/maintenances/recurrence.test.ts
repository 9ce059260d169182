import { describe, expect, it } from 'vitest';
import { checkRecurrence, MAX_OCCURRENCES, nextOccurrences, occurrencesBetween, RecurrenceError, wallToInstant } from '../../worker/maintenances/recurrence.ts';

const HOUR = 3_600_000;
const FIRST_SUNDAY = { rrule: 'FREQ=MONTHLY;BYDAY=1SU', firstStart: '2026-12-06T02:00', timeZone: 'America/Bogota', durationMs: 2 * HOUR };
const isoOf = (list: { startsAt: Date; endsAt: Date }[]) => list.map((o) => [o.startsAt.toISOString(), o.endsAt.toISOString()]);

describe('recurring windows', () => {
  it('gives every first Sunday 02:00–04:00 in the zone', () => {
    expect(isoOf(nextOccurrences(FIRST_SUNDAY, new Date('2026-12-01T00:00:00Z'), 3))).toEqual([
      ['2026-12-06T07:00:00.000Z', '2026-12-06T09:00:00.000Z'],
      ['2027-01-03T07:00:00.000Z', '2027-01-03T09:00:00.000Z'],
      ['2027-02-07T07:00:00.000Z', '2027-02-07T09:00:00.000Z'],
    ]);
  });

  it('keeps the wall-clock time across a daylight-saving change, and moves a skipped time past the gap', () => {
    const weekly = { ...FIRST_SUNDAY, rrule: 'FREQ=WEEKLY', firstStart: '2027-03-07T02:30', timeZone: 'America/New_York' };
    // 14 March 2027: New York's clocks jump from 02:00 to 03:00, so 02:30 that day is read as 03:30 EDT.
    expect(occurrencesBetween(weekly, new Date('2027-03-01T00:00:00Z'), new Date('2027-03-22T00:00:00Z')).map((o) => o.startsAt.toISOString())).toEqual([
      '2027-03-07T07:30:00.000Z',
      '2027-03-14T07:30:00.000Z',
      '2027-03-21T06:30:00.000Z',
    ]);
    // 7 November 2027: 01:30 shows twice; the first showing (EDT) is the one meant.
    expect(wallToInstant(Date.UTC(2027, 10, 7, 1, 30), 'America/New_York').toISOString()).toBe('2027-11-07T05:30:00.000Z');
  });

  it('lists occurrences inside a range only, never before the first start, and at most a bounded number', () => {
    expect(occurrencesBetween(FIRST_SUNDAY, new Date('2026-12-06T07:00:00Z'), new Date('2027-01-03T06:59:59Z')).length).toBe(1);
    expect(occurrencesBetween(FIRST_SUNDAY, new Date('2026-01-01T00:00:00Z'), new Date('2026-12-01T00:00:00Z'))).toEqual([]);
    const daily = { ...FIRST_SUNDAY, rrule: 'FREQ=DAILY', durationMs: HOUR };
    expect(occurrencesBetween(daily, new Date('2026-12-01T00:00:00Z'), new Date('2030-01-01T00:00:00Z')).length).toBe(MAX_OCCURRENCES);
  });

  it('ends with COUNT or UNTIL', () => {
    expect(nextOccurrences({ ...FIRST_SUNDAY, rrule: 'FREQ=MONTHLY;BYDAY=1SU;COUNT=2' }, new Date('2026-12-01T00:00:00Z'), 5).length).toBe(2);
  });

  it('refuses what cannot be a maintenance schedule, naming the field', () => {
    const refused = (changes: Partial<typeof FIRST_SUNDAY>) => {
      try {
        checkRecurrence({ ...FIRST_SUNDAY, ...changes });
      } catch (error) {
        expect(error).toBeInstanceOf(RecurrenceError);
        return (error as Error).message;
      }
      return 'accepted';
    };
    expect(refused({})).toBe('accepted');
    expect(refused({ rrule: 'FREQ=HOURLY' })).toMatch(/^rrule: a window may repeat at most daily/);
    expect(refused({ rrule: 'FREQ=DAILY', durationMs: 25 * HOUR })).toMatch(/^rrule: occurrences would overlap/);
    expect(refused({ rrule: 'DTSTART:20261206T020000Z\nRRULE:FREQ=DAILY' })).toMatch(/^rrule: must be the rule alone/);
    expect(refused({ rrule: 'BYDAY=MO' })).toMatch(/^rrule: /);
    expect(refused({ rrule: 'FREQ=MONTHLY;BYDAY=1SU;UNTIL=20261101T000000Z' })).toMatch(/^rrule: gives no occurrence/);
    expect(refused({ firstStart: '6/12/2026 02:00' })).toMatch(/^first_start: /);
    expect(refused({ durationMs: 0 })).toMatch(/^duration: /);
  });

  it('writes the rule back in its canonical form', () => {
    expect(checkRecurrence({ ...FIRST_SUNDAY, rrule: 'RRULE:freq=monthly;byday=1su' })).toBe('FREQ=MONTHLY;BYDAY=+1SU');
  });
});
