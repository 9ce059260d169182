/**
 * Lenient, explicit timestamp parsing for upstream payloads. We do not fall back to `Date.parse`: V8 accepts
 * strings such as "1" or "May 5" and invents a date, which would put made-up times on incidents.
 *
 * Accepted:
 * - ISO 8601 / RFC 3339: `2019-02-20T13:40:58.572-06:00`, `…Z`, `…-0600`, `…-06`, a space instead of `T`,
 *   date-only `2019-02-20`. No offset means UTC (Statuspage and Google always send one; this is the safe reading).
 * - JavaScript `Date.toString()`: `Tue Nov 17 2026 14:03:00 GMT+0000 (Coordinated Universal Time)` (Instatus).
 * - RFC 822/2822 as in RSS: `Tue, 17 Nov 2026 14:03:00 +0000`, `… GMT`, `… EST`.
 * - Epoch numbers: milliseconds, or seconds when the value is too small to be milliseconds of this era.
 */

const MONTHS: Readonly<Record<string, number>> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};

const NAMED_ZONES: Readonly<Record<string, number>> = {
  z: 0, ut: 0, utc: 0, gmt: 0,
  est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420,
};

const MIN_YEAR = 1000;
const MAX_YEAR = 9999;
const MAX_OFFSET_MINUTES = 18 * 60;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function build(parts: {
  year: number;
  month: number;
  day: number;
  hour?: number;
  minute?: number;
  second?: number;
  millisecond?: number;
  offsetMinutes: number;
}): Date | null {
  const { year, month, day, hour = 0, minute = 0, millisecond = 0, offsetMinutes } = parts;
  // A leap second (":60") is read as the last millisecond-precise second of that minute.
  const second = Math.min(parts.second ?? 0, 59);
  if (year < MIN_YEAR || year > MAX_YEAR) return null;
  if (month < 1 || month > 12) return null;
  if (day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 24 || minute > 59 || (parts.second ?? 0) > 60) return null;
  if (hour === 24 && (minute !== 0 || second !== 0 || millisecond !== 0)) return null;
  if (Math.abs(offsetMinutes) > MAX_OFFSET_MINUTES) return null;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millisecond) - offsetMinutes * 60_000;
  const date = new Date(utc);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** `+05:30`, `-0600`, `-06`, `Z`, `UTC`, `GMT+0000`, `EST` → minutes east of UTC; null when unreadable. */
function parseOffset(raw: string | undefined): number | null {
  if (raw === undefined || raw === '') return 0;
  const zone = raw.trim().toLowerCase();
  const named = NAMED_ZONES[zone];
  if (named !== undefined) return named;
  const match = /^(?:gmt|utc)?([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!match) return null;
  const [, sign, hours, minutes] = match;
  const total = Number(hours) * 60 + Number(minutes ?? '0');
  if (Number(minutes ?? '0') > 59) return null;
  return sign === '-' ? -total : total;
}

function millisFromFraction(fraction: string | undefined): number {
  if (!fraction) return 0;
  return Number(fraction.slice(0, 3).padEnd(3, '0'));
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*([Zz]|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/;

const JS_DATE_STRING =
  /^(?:[A-Za-z]{3}\s+)?([A-Za-z]{3})\s+(\d{1,2})\s+(\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s+(GMT[+-]\d{4}|GMT|UTC|Z)(?:\s*\([^)]*\))?$/;

const RFC_2822 =
  /^(?:[A-Za-z]{3},?\s*)?(\d{1,2})\s+([A-Za-z]{3})[a-z]*\s+(\d{2}|\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{4}|[A-Za-z]{1,3})?$/;

function parseIso(text: string): Date | null {
  const m = ISO.exec(text);
  if (!m) return null;
  const offset = parseOffset(m[8]);
  if (offset === null) return null;
  return build({
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: m[4] === undefined ? 0 : Number(m[4]),
    minute: m[5] === undefined ? 0 : Number(m[5]),
    second: m[6] === undefined ? 0 : Number(m[6]),
    millisecond: millisFromFraction(m[7]),
    offsetMinutes: offset,
  });
}

function parseJsDateString(text: string): Date | null {
  const m = JS_DATE_STRING.exec(text);
  if (!m) return null;
  const month = MONTHS[(m[1] ?? '').toLowerCase()];
  const offset = parseOffset(m[7]);
  if (month === undefined || offset === null) return null;
  return build({
    year: Number(m[3]),
    month,
    day: Number(m[2]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: m[6] === undefined ? 0 : Number(m[6]),
    offsetMinutes: offset,
  });
}

function parseRfc2822(text: string): Date | null {
  const m = RFC_2822.exec(text);
  if (!m) return null;
  const month = MONTHS[(m[2] ?? '').toLowerCase()];
  const offset = parseOffset(m[7]);
  if (month === undefined || offset === null) return null;
  let year = Number(m[3]);
  if ((m[3] ?? '').length === 2) year += year < 50 ? 2000 : 1900;
  return build({
    year,
    month,
    day: Number(m[1]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: m[6] === undefined ? 0 : Number(m[6]),
    offsetMinutes: offset,
  });
}

function parseEpoch(value: number): Date | null {
  if (!Number.isFinite(value) || value <= 0) return null;
  // Below 1e11 a millisecond count would be 1973; such values are seconds.
  const millis = value < 1e11 ? value * 1000 : value;
  const date = new Date(millis);
  if (Number.isNaN(date.getTime())) return null;
  const year = date.getUTCFullYear();
  return year >= 1970 && year <= MAX_YEAR ? date : null;
}

/** A timestamp from an upstream value; null when it is absent or not a timestamp we can read with certainty. */
export function parseTimestamp(value: unknown): Date | null {
  if (typeof value === 'number') return parseEpoch(value);
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text === '' || text.length > 100) return null;
  if (/^\d{9,13}$/.test(text)) return parseEpoch(Number(text));
  return parseIso(text) ?? parseJsDateString(text) ?? parseRfc2822(text);
}

/** A duration in minutes from a number or a numeric string ("90", " 45 ", "1.5"); null otherwise. */
export function parseMinutes(value: unknown): number | null {
  let minutes: number;
  if (typeof value === 'number') minutes = value;
  else if (typeof value === 'string' && /^\s*\d+(?:\.\d+)?\s*$/.test(value)) minutes = Number(value);
  else return null;
  // More than a year is not a maintenance window, it is a typo.
  return Number.isFinite(minutes) && minutes >= 0 && minutes <= 366 * 24 * 60 ? minutes : null;
}
