import type { BusinessCalendar } from './calendar.ts';
import type { SlaClock } from '../core/vocabulary.ts';
import { SlaConfigError } from './errors.ts';
import { DAY_MS, MINUTE_MS } from './zone.ts';

/**
 * An SLA target length as written in the configuration. The day part is kept apart from the
 * hours and minutes because a day means something different on each clock (see {@link durationMs}).
 */
export interface Duration {
  /** The text it was parsed from, trimmed, e.g. `"1h30m"`. */
  readonly text: string;
  /** Whole days (`d`). */
  readonly days: number;
  /** Hours and minutes together, in minutes (`1h30m` → 90). */
  readonly minutes: number;
}

/** Thrown by {@link parseDuration}; `path` is empty, a config loader adds the key. */
export class DurationError extends SlaConfigError {
  constructor(detail: string) {
    super([], detail);
    this.name = 'DurationError';
  }
}

/** Longest accepted target: ten years, so arithmetic on it stays exact and sane. */
const MAX_DAYS = 3660;
const FORM = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/;
const HINT = 'write it like "30m", "1h", "1h30m" or "2d" (units d, h, m, largest first)';

/**
 * Parses a target length: a positive whole number of days `d`, hours `h` and minutes `m`, each at
 * most once and largest first, e.g. `30m`, `1h`, `90m`, `1h30m`, `2d`, `1d4h`. Weeks, fractions,
 * signs and spaces inside are rejected, as are zero and anything over ten years.
 * @throws DurationError with a message that quotes the bad text.
 */
export function parseDuration(input: unknown): Duration {
  if (typeof input !== 'string') {
    const got = typeof input === 'number' ? `the number ${input} (a number has no unit)` : typeof input;
    throw new DurationError(`expected a duration text, got ${got}; ${HINT}`);
  }
  const text = input.trim();
  if (text === '') throw new DurationError(`the duration is empty; ${HINT}`);
  if (text.startsWith('-')) throw new DurationError(`duration "${text}" is negative; ${HINT}`);
  if (/\d[.,]\d/.test(text)) {
    throw new DurationError(`duration "${text}" has a fraction; use a smaller unit instead, e.g. "1h30m" for 1.5 h`);
  }
  const match = FORM.exec(text);
  if (match === null) {
    const unit = /\d+\s*([a-zA-Z]+)/.exec(text)?.[1];
    if (unit !== undefined && !['d', 'h', 'm'].includes(unit)) {
      throw new DurationError(`duration "${text}" uses the unit "${unit}", which is not supported; ${HINT}`);
    }
    throw new DurationError(`"${text}" is not a duration; ${HINT}`);
  }
  const days = Number(match[1] ?? 0);
  const minutes = Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
  if (days === 0 && minutes === 0) throw new DurationError(`duration "${text}" is zero; a target must be longer`);
  if (days + minutes / 1440 > MAX_DAYS) throw new DurationError(`duration "${text}" is longer than ten years`);
  return { text, days, minutes };
}

/** Canonical text of a duration: `{ days: 1, minutes: 90 }` → `"1d1h30m"`. */
export function formatDuration(duration: Pick<Duration, 'days' | 'minutes'>): string {
  const hours = Math.floor(duration.minutes / 60);
  const minutes = duration.minutes % 60;
  const text = `${duration.days > 0 ? `${duration.days}d` : ''}${hours > 0 ? `${hours}h` : ''}${minutes > 0 ? `${minutes}m` : ''}`;
  return text === '' ? '0m' : text;
}

/**
 * Length of a duration in milliseconds of clock time:
 *
 * | unit | `always` clock          | `business` clock                                          |
 * |------|-------------------------|-----------------------------------------------------------|
 * | `m`  | 60 s of wall time       | 1 minute of open time                                     |
 * | `h`  | 3 600 s of wall time    | 1 hour of open time                                       |
 * | `d`  | 24 h of wall time       | 1 business day = the calendar's `business_day` of open time (default: its longest open weekday, e.g. 10 h for Mon–Fri 08:00–18:00) |
 *
 * So `2d` is 48 h on the always clock and 20 open hours on a Mon–Fri 08:00–18:00 calendar.
 * The result is what `dueAt` and `elapsed` in `clock.ts` count in.
 */
export function durationMs(duration: Duration, clock: SlaClock, calendar: BusinessCalendar): number {
  const dayMs = clock === 'always' ? DAY_MS : calendar.businessDayMs;
  return duration.days * dayMs + duration.minutes * MINUTE_MS;
}
