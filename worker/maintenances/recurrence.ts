/**
 * Recurring maintenance windows: an RFC 5545 RRULE (read and expanded by the `rrule` library) over a first start
 * written as a wall-clock time in a zone, so "every first Sunday 02:00–04:00" stays 02:00 in that zone across
 * daylight-saving changes. Pure: the series store and the job that schedules each occurrence apply it.
 */
import * as rruleModule from 'rrule';
import { zoneOffsetAt } from '../sla/zone.ts';

// rrule ships CommonJS to Node, whose named exports then sit on the default export; a bundler gives them directly.
const { RRule, rrulestr, Frequency } = (rruleModule as { default?: typeof rruleModule }).default ?? rruleModule;

export interface Recurrence {
  /** The rule's body, without DTSTART: `FREQ=MONTHLY;BYDAY=1SU`. */
  rrule: string;
  /** The first start as a wall-clock reading in `timeZone`: `2026-12-06T02:00`. */
  firstStart: string;
  timeZone: string;
  durationMs: number;
}

export interface Occurrence {
  startsAt: Date;
  endsAt: Date;
}

const WALL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;
/** Occurrences closer together than this are not maintenance windows but a schedule; they are refused. */
const SHORTEST_FREQUENCY = Frequency.DAILY;
/** How many occurrences one look-ahead may give: a bound on a rule like a daily one read over years. */
export const MAX_OCCURRENCES = 500;

export class RecurrenceError extends Error {}

/** A wall-clock reading (`2026-12-06T02:00`) as milliseconds of a UTC-labelled clock: rrule's "floating" time. */
function wallMs(wall: string): number {
  const m = WALL.exec(wall);
  if (!m) throw new RecurrenceError(`first_start: must be a local date and time like 2026-12-06T02:00, not "${wall}"`);
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi);
}

/**
 * The instant a wall-clock reading names in `timeZone`. A reading skipped by a spring-forward change is taken as
 * the same reading after the change (02:30 that does not exist becomes 03:30); a repeated one as its first showing.
 */
export function wallToInstant(wall: number, timeZone: string): Date {
  const first = wall - zoneOffsetAt(timeZone, wall);
  const second = wall - zoneOffsetAt(timeZone, first);
  // Two candidates when the offset differs around the reading: the earlier one that shows `wall`, else the later.
  const shows = (instant: number) => instant + zoneOffsetAt(timeZone, instant) === wall;
  const candidates = [first, second].sort((a, b) => a - b);
  return new Date(candidates.find(shows) ?? Math.max(first, second));
}

/** The parsed rule with its first start, checked: a known syntax, no DTSTART of its own, at most daily. */
function parse(recurrence: Pick<Recurrence, 'rrule' | 'firstStart'>): InstanceType<typeof RRule> {
  // RFC 5545 names and values are case-insensitive; rrule reads upper case only.
  const body = recurrence.rrule.trim().replace(/^RRULE:/i, '').toUpperCase();
  if (!body) throw new RecurrenceError('rrule: must not be empty');
  if (/DTSTART|TZID|\n/i.test(body)) throw new RecurrenceError('rrule: must be the rule alone (FREQ=…); the first start and the zone are given apart');
  let options;
  try {
    options = RRule.parseString(body);
  } catch (error) {
    throw new RecurrenceError(`rrule: ${(error as Error).message}`);
  }
  if (options.freq === undefined) throw new RecurrenceError('rrule: FREQ is required');
  if (options.freq > SHORTEST_FREQUENCY) throw new RecurrenceError('rrule: a window may repeat at most daily (FREQ=DAILY, WEEKLY, MONTHLY or YEARLY)');
  const dtstart = new Date(wallMs(recurrence.firstStart));
  try {
    return rrulestr(`RRULE:${body}`, { dtstart });
  } catch (error) {
    throw new RecurrenceError(`rrule: ${(error as Error).message}`);
  }
}

/** Throws a `RecurrenceError` naming the field when the recurrence cannot be used; returns the rule in canonical form. */
export function checkRecurrence(recurrence: Recurrence): string {
  const rule = parse(recurrence);
  if (!(recurrence.durationMs > 0)) throw new RecurrenceError('duration: must be longer than zero');
  const [a, b] = rule.all((_, i) => i < 2);
  if (!a) throw new RecurrenceError('rrule: gives no occurrence after the first start');
  if (b && b.getTime() - a.getTime() < recurrence.durationMs) throw new RecurrenceError('rrule: occurrences would overlap (the window is longer than the time between two of them)');
  return RRule.optionsToString({ ...rule.origOptions, dtstart: null }).replace(/^RRULE:/, '');
}

/** The occurrences starting in `[from, to]`, as real instants, at most `MAX_OCCURRENCES`. */
export function occurrencesBetween(recurrence: Recurrence, from: Date, to: Date): Occurrence[] {
  const rule = parse(recurrence);
  // Floating readings a day wider than the range on each side cover every zone's offset; exact instants are filtered after.
  const DAY = 86_400_000;
  const walls = rule.between(new Date(from.getTime() - DAY), new Date(to.getTime() + DAY), true, (_, i) => i < MAX_OCCURRENCES + 2);
  return walls
    .map((wall) => {
      const startsAt = wallToInstant(wall.getTime(), recurrence.timeZone);
      return { startsAt, endsAt: new Date(startsAt.getTime() + recurrence.durationMs) };
    })
    .filter((o) => o.startsAt.getTime() >= from.getTime() && o.startsAt.getTime() <= to.getTime())
    .slice(0, MAX_OCCURRENCES);
}

/** The next `count` occurrences starting at or after `from`. */
export function nextOccurrences(recurrence: Recurrence, from: Date, count: number): Occurrence[] {
  const rule = parse(recurrence);
  const DAY = 86_400_000;
  const out: Occurrence[] = [];
  let cursor = new Date(from.getTime() - DAY);
  while (out.length < count) {
    const wall = rule.after(cursor, false);
    if (!wall) break;
    cursor = wall;
    const startsAt = wallToInstant(wall.getTime(), recurrence.timeZone);
    if (startsAt.getTime() >= from.getTime()) out.push({ startsAt, endsAt: new Date(startsAt.getTime() + recurrence.durationMs) });
  }
  return out;
}
