/**
 * The SLA clocks. Pure functions over a compiled {@link BusinessCalendar}; all arithmetic is on
 * whole milliseconds over per-day open intervals, skipping whole regular weeks at a time, so the
 * cost grows with the number of days touched, not with the length in minutes.
 *
 * - `always`: wall time; the calendar is ignored.
 * - `business`: only open time of the calendar counts. A start in closed time waits for the next
 *   opening.
 *
 * Convention for due instants: the due instant is the first instant at which `duration` of clock
 * time has elapsed since the start. On the business clock it is therefore inside open time or
 * exactly at a closing instant, never later: Friday 16:00 + 6 h with Fri 08:00–18:00 and
 * Sat 08:00–12:00 is due Saturday 12:00, not Monday 08:00. A zero duration is due at the start.
 */
import type { SlaClock } from '../core/vocabulary.ts';
import type { BusinessCalendar } from './calendar.ts';
import { DAY_MS } from './zone.ts';

/** Latest instant a `Date` can hold. */
const MAX_TIME = 8.64e15;

function checkInstant(ms: number, what: string): void {
  if (!Number.isFinite(ms)) throw new RangeError(`${what} is not a valid date`);
}

function checkResult(ms: number): number {
  if (Math.abs(ms) > MAX_TIME) throw new RangeError('the due instant is beyond the range of dates');
  return ms;
}

/** Days of `day …` lie entirely after an instant of UTC day `day − 2` (offsets are under a day). */
const SAFE_DAY_GAP = 2;

function dueAtBusiness(calendar: BusinessCalendar, start: number, duration: number): number {
  if (duration === 0) return start;
  let remaining = duration;
  let cursor = start;
  const firstDay = Math.floor(start / DAY_MS) - 1;
  const lastDay = MAX_TIME / DAY_MS;
  for (let day = firstDay; day <= lastDay; day++) {
    if (day > firstDay + SAFE_DAY_GAP) {
      // `cursor` is before this day, so a regular week counts in full.
      while (remaining > calendar.weeklyOpenMs && calendar.isRegularWeek(day)) {
        remaining -= calendar.weeklyOpenMs;
        day += 7;
      }
    }
    const intervals = calendar.openIntervals(day);
    for (let i = 0; i < intervals.length; i += 2) {
      const end = intervals[i + 1]!;
      if (end <= cursor) continue;
      const from = Math.max(intervals[i]!, cursor);
      if (remaining <= end - from) return from + remaining;
      remaining -= end - from;
      cursor = end;
    }
  }
  throw new RangeError('the due instant is beyond the range of dates');
}

function elapsedBusiness(calendar: BusinessCalendar, from: number, to: number): number {
  if (to <= from) return 0;
  let total = 0;
  const firstDay = Math.floor(from / DAY_MS) - 1;
  const lastDay = Math.floor(to / DAY_MS) + 1;
  // A week whose last day is at most this ends before `to`.
  const lastFullDay = lastDay - 1 - SAFE_DAY_GAP;
  for (let day = firstDay; day <= lastDay; day++) {
    if (day > firstDay + SAFE_DAY_GAP) {
      while (day + 6 <= lastFullDay && calendar.isRegularWeek(day)) {
        total += calendar.weeklyOpenMs;
        day += 7;
      }
    }
    const intervals = calendar.openIntervals(day);
    for (let i = 0; i < intervals.length; i += 2) {
      const s = Math.max(intervals[i]!, from);
      const e = Math.min(intervals[i + 1]!, to);
      if (e > s) total += e - s;
    }
  }
  return total;
}

/** {@link dueAt} on epoch milliseconds, for callers that loop over many incidents. */
export function dueAtMs(startMs: number, durationMs: number, calendar: BusinessCalendar, clock: SlaClock): number {
  checkInstant(startMs, 'start');
  if (!Number.isSafeInteger(durationMs) || durationMs < 0) {
    throw new RangeError(`duration must be a whole, non-negative number of milliseconds, got ${durationMs}`);
  }
  if (clock === 'always') return checkResult(startMs + durationMs);
  return checkResult(dueAtBusiness(calendar, startMs, durationMs));
}

/**
 * The instant at which `durationMs` of clock time has elapsed since `start` (see the convention
 * above). On the business clock a start in closed time begins counting at the next opening.
 * @throws RangeError for an invalid start, a negative or fractional duration, or a result past the Date range.
 */
export function dueAt(start: Date, durationMs: number, calendar: BusinessCalendar, clock: SlaClock): Date {
  return new Date(dueAtMs(start.getTime(), durationMs, calendar, clock));
}

/** {@link elapsed} on epoch milliseconds. */
export function elapsedMs(fromMs: number, toMs: number, calendar: BusinessCalendar, clock: SlaClock): number {
  checkInstant(fromMs, 'from');
  checkInstant(toMs, 'to');
  if (toMs <= fromMs) return 0;
  return clock === 'always' ? toMs - fromMs : elapsedBusiness(calendar, fromMs, toMs);
}

/**
 * Milliseconds of clock time in `[from, to)`; 0 when `to <= from`. Additive:
 * `elapsed(a, c) = elapsed(a, b) + elapsed(b, c)` for `a ≤ b ≤ c`, and
 * `elapsed(start, dueAt(start, d)) = d`.
 */
export function elapsed(from: Date, to: Date, calendar: BusinessCalendar, clock: SlaClock): number {
  return elapsedMs(from.getTime(), to.getTime(), calendar, clock);
}

/** Whether the calendar is open at `at` (open intervals are half-open: open at 08:00, closed at 18:00). */
export function isOpen(at: Date, calendar: BusinessCalendar): boolean {
  const ms = at.getTime();
  checkInstant(ms, 'at');
  const day = Math.floor(ms / DAY_MS);
  for (let d = day - 1; d <= day + 1; d++) {
    const intervals = calendar.openIntervals(d);
    for (let i = 0; i < intervals.length; i += 2) {
      if (intervals[i]! <= ms && ms < intervals[i + 1]!) return true;
    }
  }
  return false;
}

/** `at` itself when the calendar is open then, otherwise the next instant it opens. */
export function nextOpening(at: Date, calendar: BusinessCalendar): Date {
  const ms = at.getTime();
  checkInstant(ms, 'at');
  const lastDay = MAX_TIME / DAY_MS;
  for (let day = Math.floor(ms / DAY_MS) - 1; day <= lastDay; day++) {
    const intervals = calendar.openIntervals(day);
    for (let i = 0; i < intervals.length; i += 2) {
      if (intervals[i + 1]! > ms) return new Date(Math.max(intervals[i]!, ms));
    }
  }
  throw new RangeError('the calendar does not open again within the range of dates');
}
