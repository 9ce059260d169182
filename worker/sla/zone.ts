/**
 * UTC offsets of IANA time zones, read from the runtime's `Intl` data (no tz library is bundled).
 *
 * Offsets are in milliseconds, `local wall time − UTC`, whole seconds. Formatting is the only costly
 * step, so formatters are cached per zone and callers cache the offsets they reuse.
 */

export const SECOND_MS = 1_000;
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * The canonical name of an IANA time zone (`america/bogota` → `America/Bogota`), or null when the
 * runtime does not know the zone.
 */
export function canonicalTimeZone(timeZone: string): string | null {
  if (timeZone.trim() === '') return null;
  let canonical = canonicalNames.get(timeZone);
  if (canonical === undefined) {
    try {
      canonical = new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
    } catch {
      canonical = null;
    }
    // Building a formatter costs ~100 µs; names seen are few, so remember them.
    if (canonicalNames.size < 1000) canonicalNames.set(timeZone, canonical);
  }
  return canonical;
}

const canonicalNames = new Map<string, string | null>();

// `format()` is about four times faster than `formatToParts()`; the parts are the fallback for
// output the pattern does not cover (years before the common era).
const FORMATTED = /^(\d+)\/(\d+)\/(\d+),? (\d+):(\d+):(\d+)$/;

function wallClockMs(year: number, month: number, day: number, h: number, m: number, s: number): number {
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to the 1900s.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(h, m, s, 0);
  return date.getTime();
}

/** Offset of `timeZone` (local − UTC, ms) at the instant `utcMs`. */
export function zoneOffsetAt(timeZone: string, utcMs: number): number {
  const second = Math.floor(utcMs / SECOND_MS) * SECOND_MS;
  const formatter = formatterFor(timeZone);
  const match = FORMATTED.exec(formatter.format(second));
  if (match !== null) {
    const [, mo, d, y, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
    return wallClockMs(y, mo, d, h, mi, s) - second;
  }
  const field: Record<string, number> = {};
  let beforeCommonEra = false;
  for (const part of formatter.formatToParts(second)) {
    if (part.type === 'era') beforeCommonEra = /^b/i.test(part.value);
    else if (part.type !== 'literal') field[part.type] = Number(part.value);
  }
  const year = beforeCommonEra ? 1 - (field.year ?? 0) : (field.year ?? 0);
  return wallClockMs(year, field.month ?? 1, field.day ?? 1, field.hour ?? 0, field.minute ?? 0, field.second ?? 0) - second;
}

/**
 * The first whole second in `(lo, hi]` at which the offset of `timeZone` differs from `offsetAtLo`.
 * The caller guarantees that the offset at `hi` differs, so exactly such a second exists when the zone
 * changes offset once in the span (binary search, about 18 look-ups for two days).
 */
export function findOffsetChange(timeZone: string, lo: number, hi: number, offsetAtLo: number): number {
  let low = Math.floor(lo / SECOND_MS);
  let high = Math.floor(hi / SECOND_MS);
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (zoneOffsetAt(timeZone, mid * SECOND_MS) === offsetAtLo) low = mid;
    else high = mid;
  }
  return high * SECOND_MS;
}
