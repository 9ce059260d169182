import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMinutes, parseTimestamp } from '../../worker/upstream/time.ts';

const iso = (value: unknown): string | undefined => parseTimestamp(value)?.toISOString();

describe('parseTimestamp', () => {
  it('converts Statuspage offsets to UTC', () => {
    expect(iso('2019-02-20T13:40:58.572-06:00')).toBe('2019-02-20T19:40:58.572Z');
    expect(iso('2026-11-17T10:41:07.118-05:00')).toBe('2026-11-17T15:41:07.118Z');
    expect(iso('2026-11-17T10:41:07+05:30')).toBe('2026-11-17T05:11:07.000Z');
  });

  it('reads Z, compact and hour-only offsets, a space separator, long fractions and date-only values', () => {
    expect(iso('2026-11-17T14:03:00Z')).toBe('2026-11-17T14:03:00.000Z');
    expect(iso('2026-11-17T14:03:00-0600')).toBe('2026-11-17T20:03:00.000Z');
    expect(iso('2026-11-17T14:03:00-06')).toBe('2026-11-17T20:03:00.000Z');
    expect(iso('2026-11-17 14:03:00 UTC')).toBe('2026-11-17T14:03:00.000Z');
    expect(iso('2026-11-17T14:03:00.123456789+00:00')).toBe('2026-11-17T14:03:00.123Z');
    expect(iso('2026-11-17')).toBe('2026-11-17T00:00:00.000Z');
  });

  it('reads an ISO time without offset as UTC', () => {
    expect(iso('2026-11-17T14:03:00')).toBe('2026-11-17T14:03:00.000Z');
  });

  it('reads JavaScript Date.toString() output (Instatus)', () => {
    expect(iso('Tue Nov 17 2026 14:03:00 GMT+0000 (Coordinated Universal Time)')).toBe('2026-11-17T14:03:00.000Z');
    expect(iso('Thu Nov 19 2026 03:00:00 GMT-0600 (Central Standard Time)')).toBe('2026-11-19T09:00:00.000Z');
    expect(iso('Tue Nov 17 2026 14:03:00 GMT+0530')).toBe('2026-11-17T08:33:00.000Z');
  });

  it('reads RFC 822 dates as used in RSS', () => {
    expect(iso('Tue, 17 Nov 2026 08:55:00 -0600')).toBe('2026-11-17T14:55:00.000Z');
    expect(iso('Tue, 17 Nov 2026 14:55:00 GMT')).toBe('2026-11-17T14:55:00.000Z');
    expect(iso('17 Nov 26 14:55 EST')).toBe('2026-11-17T19:55:00.000Z');
  });

  it('reads epoch milliseconds and seconds', () => {
    expect(iso(1_794_924_180_000)).toBe('2026-11-17T14:03:00.000Z');
    expect(iso(1_794_924_180)).toBe('2026-11-17T14:03:00.000Z');
    expect(iso('1794924180000')).toBe('2026-11-17T14:03:00.000Z');
  });

  it('refuses what it cannot read with certainty instead of inventing a date', () => {
    for (const value of ['1', 'May 5', 'yesterday', '2026-13-01T00:00:00Z', '2026-02-30', '2026-11-17T25:00:00Z',
      '2026-11-17T10:00:00+19:00', '', '   ', 'Tue Foo 17 2026 14:03:00 GMT+0000', null, undefined, {}, [], true, NaN, -5]) {
      expect(parseTimestamp(value), String(value)).toBeNull();
    }
  });

  it('converts any instant written with any offset back to the same UTC instant', () => {
    const instant = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true });
    const offsetMinutes = fc.integer({ min: -14 * 60, max: 14 * 60 });
    fc.assert(
      fc.property(instant, offsetMinutes, fc.boolean(), (date, offset, withColon) => {
        const local = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, 23);
        const sign = offset < 0 ? '-' : '+';
        const hours = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
        const minutes = String(Math.abs(offset) % 60).padStart(2, '0');
        const text = `${local}${sign}${hours}${withColon ? ':' : ''}${minutes}`;
        expect(parseTimestamp(text)?.getTime()).toBe(date.getTime());
      }),
      { numRuns: 300 },
    );
  });

  it('converts Date.toString()-style strings with any offset to the same instant (to the second)', () => {
    const instant = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true });
    const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    fc.assert(
      fc.property(instant, fc.integer({ min: -12 * 60, max: 14 * 60 }), (date, offset) => {
        const wholeSeconds = Math.floor(date.getTime() / 1000) * 1000;
        const local = new Date(wholeSeconds + offset * 60_000);
        const pad = (n: number): string => String(n).padStart(2, '0');
        const zone = `${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}${pad(Math.abs(offset) % 60)}`;
        const text = `${days[local.getUTCDay()]} ${months[local.getUTCMonth()]} ${pad(local.getUTCDate())} ${local.getUTCFullYear()} ` +
          `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())} GMT${zone} (Some Time Zone)`;
        expect(parseTimestamp(text)?.getTime()).toBe(wholeSeconds);
      }),
      { numRuns: 200 },
    );
  });
});

describe('parseMinutes', () => {
  it('reads numbers and numeric strings, refuses the rest', () => {
    expect(parseMinutes(120)).toBe(120);
    expect(parseMinutes('120')).toBe(120);
    expect(parseMinutes(' 90 ')).toBe(90);
    expect(parseMinutes('1.5')).toBe(1.5);
    for (const value of ['two hours', '', '-5', -5, Number.POSITIVE_INFINITY, null, undefined, {}, 10_000_000]) {
      expect(parseMinutes(value), String(value)).toBeNull();
    }
  });
});
