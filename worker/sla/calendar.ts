import { WEEKDAYS, type Weekday } from '../core/vocabulary.ts';
import { DurationError, parseDuration } from './duration.ts';
import { SlaConfigError, type ConfigPath } from './errors.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS, canonicalTimeZone, findOffsetChange, zoneOffsetAt } from './zone.ts';

/** A business calendar as written in the configuration. */
export interface CalendarConfig {
  id: string;
  /** IANA zone name, e.g. `America/Bogota`. Ranges and holidays are read in this zone. */
  timezone: string;
  /** Open ranges per day, `"HH:MM-HH:MM"`; `"24:00"` may end a range. A missing day is closed. */
  week: Partial<Record<Weekday, readonly string[]>>;
  /** Closed local dates, `YYYY-MM-DD`. */
  holidays?: readonly string[];
  /** Length of one business day (`1d` on the business clock), hours and minutes, e.g. `"9h"`. */
  business_day?: string;
}

/** An open range of one week day, in minutes after local midnight; `end` may be 1440 (24:00). */
export interface OpenRange {
  readonly start: number;
  readonly end: number;
}

/** A calendar value that cannot be used; `path` is relative to the calendar object. */
export class CalendarError extends SlaConfigError {
  constructor(path: ConfigPath, detail: string) {
    super(path, detail);
    this.name = 'CalendarError';
  }
}

/** Days since 1970-01-01 of a local date written `YYYY-MM-DD`, or null if it is not a real date. */
export function isoDateToDay(text: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(y, m - 1, d);
  const date = new Date(ms);
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return ms / DAY_MS;
}

/** `YYYY-MM-DD` of a day number (days since 1970-01-01). */
export function dayToIsoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Index into {@link WEEKDAYS} (Monday = 0) of a day number; 1970-01-01 was a Thursday. */
export function weekdayOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

// UTC offsets stay within −12 h … +14 h, so the instants of local day `d` all lie within
// [d·24h − 15h, (d+1)·24h + 15h]. Equal offsets at both ends of such a span are taken to mean no
// change inside it, which needs changes to be at least seven days apart (the offset is also checked
// mid-week). A scan of every zone in the runtime's tz data, 1970–2040 every six hours, found no two changes
// closer than that; the closest, a week apart, were Boa Vista, Recife and Noronha in October 2000.
const ZONE_SLACK_MS = 15 * HOUR_MS;
const WEEK_MIDDLE_MS = 3.5 * DAY_MS;
const DAY_CACHE_LIMIT = 4096;
const OFFSET_CACHE_LIMIT = 16384;
const NO_INTERVALS: readonly number[] = Object.freeze([]);

/**
 * A compiled business calendar. Build it with {@link compileCalendar}; the clock functions in
 * `clock.ts` read it. It caches the open intervals of the local days it has been asked about, which
 * never changes its answers.
 *
 * The ranges are wall-clock ranges: an instant is open when the calendar's zone shows, at that
 * instant, a local date that is not a holiday and a time inside one of that week day's ranges. On a
 * daylight-saving day an open range is therefore an hour shorter or longer in real time when the
 * clocks jump inside it; a range starting in a skipped hour opens when the clocks jump, and a
 * repeated hour counts each time it is shown.
 */
export class BusinessCalendar {
  readonly id: string;
  readonly timezone: string;
  /** Open ranges per week day, Monday first, sorted, touching ranges merged. */
  readonly week: readonly (readonly OpenRange[])[];
  /** Holidays as sorted unique `YYYY-MM-DD`. */
  readonly holidays: readonly string[];
  /** Length of `1d` on the business clock, in ms of open time. */
  readonly businessDayMs: number;
  /** Open time of a week without holidays or offset changes, in ms. */
  readonly weeklyOpenMs: number;

  readonly #holidayDays: readonly number[];
  readonly #holidaySet: ReadonlySet<number>;
  readonly #dayCache = new Map<number, readonly number[]>();
  readonly #offsetCache = new Map<number, number>();

  /** Use {@link compileCalendar}, which validates; this constructor trusts its input. */
  constructor(parts: {
    id: string;
    timezone: string;
    week: readonly (readonly OpenRange[])[];
    holidayDays: readonly number[];
    businessDayMs?: number;
  }) {
    this.id = parts.id;
    this.timezone = parts.timezone;
    this.week = parts.week;
    this.#holidayDays = [...new Set(parts.holidayDays)].sort((a, b) => a - b);
    this.#holidaySet = new Set(this.#holidayDays);
    this.holidays = this.#holidayDays.map(dayToIsoDate);
    const dayMinutes = this.week.map((ranges) => ranges.reduce((sum, r) => sum + r.end - r.start, 0));
    this.weeklyOpenMs = dayMinutes.reduce((a, b) => a + b, 0) * MINUTE_MS;
    this.businessDayMs = parts.businessDayMs ?? Math.max(...dayMinutes) * MINUTE_MS;
  }

  /** Whether local day `day` (days since 1970-01-01) is a holiday. */
  isHoliday(day: number): boolean {
    return this.#holidaySet.has(day);
  }

  /**
   * Open intervals of local day `day` as UTC milliseconds, flat and sorted: `[start0, end0, start1,
   * end1, …]`, each half-open. Intervals of successive days follow each other without overlap.
   */
  openIntervals(day: number): readonly number[] {
    let intervals = this.#dayCache.get(day);
    if (intervals === undefined) {
      if (this.#dayCache.size >= DAY_CACHE_LIMIT) this.#dayCache.clear();
      intervals = this.#computeDay(day);
      this.#dayCache.set(day, intervals);
    }
    return intervals;
  }

  /**
   * True when local days `day … day+6` have no holiday and no offset change, so together they hold
   * exactly {@link weeklyOpenMs} of open time and can be skipped in one step.
   */
  isRegularWeek(day: number): boolean {
    const holidayIndex = lowerBound(this.#holidayDays, day);
    const nextHoliday = this.#holidayDays[holidayIndex];
    if (nextHoliday !== undefined && nextHoliday < day + 7) return false;
    // The middle is checked too: two changes a week apart (Brazil, October 2000) can both fall
    // inside the span and cancel out at its ends.
    const first = this.#offset(day * DAY_MS - ZONE_SLACK_MS);
    return first === this.#offset(day * DAY_MS + WEEK_MIDDLE_MS) && first === this.#offset((day + 7) * DAY_MS + ZONE_SLACK_MS);
  }

  #offset(utcMs: number): number {
    let offset = this.#offsetCache.get(utcMs);
    if (offset === undefined) {
      if (this.#offsetCache.size >= OFFSET_CACHE_LIMIT) this.#offsetCache.clear();
      offset = zoneOffsetAt(this.timezone, utcMs);
      this.#offsetCache.set(utcMs, offset);
    }
    return offset;
  }

  #computeDay(day: number): readonly number[] {
    const ranges = this.week[weekdayOf(day)] ?? [];
    if (ranges.length === 0 || this.#holidaySet.has(day)) return NO_INTERVALS;
    const midnight = day * DAY_MS; // local midnight as a wall-clock reading
    const lo = midnight - ZONE_SLACK_MS;
    const hi = midnight + DAY_MS + ZONE_SLACK_MS;
    const offsetLo = this.#offset(lo);
    const offsetHi = this.#offset(hi);
    const out: number[] = [];
    if (offsetLo === offsetHi) {
      for (const r of ranges) out.push(midnight + r.start * MINUTE_MS - offsetLo, midnight + r.end * MINUTE_MS - offsetLo);
      return out;
    }
    // The clocks change at `change`: before it the zone shows utc + offsetLo, from it utc + offsetHi.
    // A wall range [a, b) is open where the shown time falls inside it, which is one piece on
    // each side of the change (either may be empty).
    const change = findOffsetChange(this.timezone, lo, hi, offsetLo);
    const firstShown = (wall: number): number =>
      wall - offsetLo < change ? wall - offsetLo : Math.max(wall - offsetHi, change);
    // Keep the day within the instants that show this date, so days never interleave even where
    // the clocks fall back across midnight.
    const dayStart = firstShown(midnight);
    const dayEnd = firstShown(midnight + DAY_MS);
    const pieces: [number, number][] = [];
    const add = (start: number, end: number): void => {
      const s = Math.max(start, dayStart);
      const e = Math.min(end, dayEnd);
      if (e > s) pieces.push([s, e]);
    };
    for (const r of ranges) {
      const a = midnight + r.start * MINUTE_MS;
      const b = midnight + r.end * MINUTE_MS;
      add(a - offsetLo, Math.min(b - offsetLo, change));
      add(Math.max(a - offsetHi, change), b - offsetHi);
    }
    pieces.sort((x, y) => x[0] - y[0]);
    for (const [s, e] of pieces) {
      const last = out.length - 1;
      if (last > 0 && s <= out[last]!) out[last] = Math.max(out[last]!, e);
      else out.push(s, e);
    }
    return out;
  }
}

/** Index of the first element ≥ `value` in a sorted array. */
function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const RANGE = /^(\d{2}):(\d{2})\s*-\s*(\d{2}):(\d{2})$/;

function parseRange(text: string, path: ConfigPath): OpenRange {
  const match = RANGE.exec(text.trim());
  if (match === null) {
    throw new CalendarError(path, `"${text}" is not a time range; write "HH:MM-HH:MM", e.g. "08:00-18:00"`);
  }
  const [sh, sm, eh, em] = [match[1], match[2], match[3], match[4]].map(Number) as [number, number, number, number];
  const bad = (h: number, m: number, canEnd: boolean): boolean => m > 59 || h > 24 || (h === 24 && (m !== 0 || !canEnd));
  if (bad(sh, sm, false) || bad(eh, em, true)) {
    const time = bad(sh, sm, false) ? `${match[1]}:${match[2]}` : `${match[3]}:${match[4]}`;
    throw new CalendarError(path, `"${text}" has an invalid time "${time}"; times run from 00:00 to 23:59, and 24:00 may end a range`);
  }
  const start = sh * 60 + sm;
  const end = eh * 60 + em;
  if (end <= start) {
    throw new CalendarError(
      path,
      `range "${text}" ends at or before its start; a range cannot cross midnight, so split it into one ending at 24:00 and one starting at 00:00 the next day`,
    );
  }
  return { start, end };
}

function compileDay(value: unknown, path: ConfigPath): OpenRange[] {
  if (!Array.isArray(value)) {
    throw new CalendarError(path, 'expected a list of ranges such as ["08:00-12:00", "14:00-18:00"], or [] for closed');
  }
  const ranges = value.map((item: unknown, index) => {
    if (typeof item !== 'string') throw new CalendarError([...path, index], `expected a range text such as "08:00-18:00", got ${typeof item}`);
    return { index, text: item.trim(), range: parseRange(item, [...path, index]) };
  });
  const sorted = [...ranges].sort((a, b) => a.range.start - b.range.start);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (cur.range.start < prev.range.end) {
      const [first, second] = prev.index < cur.index ? [prev, cur] : [cur, prev];
      throw new CalendarError([...path, second.index], `ranges "${first.text}" and "${second.text}" overlap`);
    }
  }
  const merged: OpenRange[] = [];
  for (const { range } of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && last.end === range.start) merged[merged.length - 1] = { start: last.start, end: range.end };
    else merged.push(range);
  }
  return merged;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validates a calendar from the configuration and compiles it.
 * @throws CalendarError whose `path` (relative to the calendar) and `detail` name the first problem:
 *   a malformed `"HH:MM-HH:MM"`, an end at or before the start, overlapping ranges on a day, a
 *   holiday that is not a real `YYYY-MM-DD` date, an unknown time zone, a week with no open time, or
 *   a `business_day` that is not between 1 minute and 24 hours.
 */
export function compileCalendar(config: CalendarConfig): BusinessCalendar {
  const raw: unknown = config;
  if (!isRecord(raw)) throw new CalendarError([], 'expected a calendar object with id, timezone and week');
  const { id, timezone, week, holidays, business_day: businessDay } = raw;
  if (typeof id !== 'string' || id.trim() === '') throw new CalendarError(['id'], 'expected a non-empty calendar id');
  if (typeof timezone !== 'string') throw new CalendarError(['timezone'], 'expected an IANA time zone name such as "America/Bogota"');
  const zone = canonicalTimeZone(timezone);
  if (zone === null) {
    throw new CalendarError(['timezone'], `unknown time zone "${timezone}"; use an IANA name such as "America/Bogota"`);
  }

  if (!isRecord(week)) throw new CalendarError(['week'], 'expected open ranges per day, e.g. { mon: ["08:00-18:00"], sun: [] }');
  for (const key of Object.keys(week)) {
    if (!(WEEKDAYS as readonly string[]).includes(key)) {
      throw new CalendarError(['week', key], `unknown day "${key}"; days are ${WEEKDAYS.join(', ')}`);
    }
  }
  const compiledWeek = WEEKDAYS.map((day) => (week[day] === undefined ? [] : compileDay(week[day], ['week', day])));
  if (compiledWeek.every((ranges) => ranges.length === 0)) {
    throw new CalendarError(['week'], 'the week has no open time; give at least one day a range such as "08:00-18:00"');
  }

  const holidayDays: number[] = [];
  if (holidays !== undefined) {
    if (!Array.isArray(holidays)) throw new CalendarError(['holidays'], 'expected a list of dates such as ["2026-12-25"]');
    holidays.forEach((item: unknown, index) => {
      const day = typeof item === 'string' ? isoDateToDay(item.trim()) : null;
      if (day === null) {
        throw new CalendarError(['holidays', index], `${JSON.stringify(item)} is not a real date written YYYY-MM-DD`);
      }
      holidayDays.push(day);
    });
  }

  let businessDayMs: number | undefined;
  if (businessDay !== undefined) {
    let parsed;
    try {
      parsed = parseDuration(businessDay);
    } catch (error) {
      if (error instanceof DurationError) throw new CalendarError(['business_day'], error.detail);
      throw error;
    }
    if (parsed.days > 0) {
      throw new CalendarError(['business_day'], `"${parsed.text}" counts days; write the open time of one business day in hours and minutes, e.g. "9h" or "8h30m"`);
    }
    if (parsed.minutes > 24 * 60) throw new CalendarError(['business_day'], `"${parsed.text}" is longer than 24 hours`);
    businessDayMs = parsed.minutes * MINUTE_MS;
  }

  return new BusinessCalendar({ id: id.trim(), timezone: zone, week: compiledWeek, holidayDays, businessDayMs });
}
