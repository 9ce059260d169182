/**
 * A deliberately naive reference for the business clock: it reads the local date and time of each
 * minute with its own Intl formatter and checks the configured texts directly. Slow; tests count
 * minutes with it between minute-aligned instants.
 */
import type { CalendarConfig } from '../../worker/sla/calendar.ts';

const DAY_KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

export interface Oracle {
  /** Whether the minute starting at `utcMs` is open. */
  isOpenMinute(utcMs: number): boolean;
}

export function oracleFor(config: CalendarConfig): Oracle {
  const formatter = new Intl.DateTimeFormat('en-GB', {
    timeZone: config.timezone,
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const holidays = new Set(config.holidays ?? []);
  const toMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

  const isOpenMinute = (utcMs: number): boolean => {
    const parts = Object.fromEntries(formatter.formatToParts(utcMs).map((p) => [p.type, p.value]));
    const date = `${parts.year}-${parts.month}-${parts.day}`;
    if (holidays.has(date)) return false;
    const weekday = (parts.weekday ?? '').toLowerCase().slice(0, 3) as (typeof DAY_KEYS)[number];
    const minute = Number(parts.hour) * 60 + Number(parts.minute);
    return (config.week[weekday] ?? []).some((range) => {
      const [start, end] = range.split('-') as [string, string];
      return toMinutes(start) <= minute && minute < toMinutes(end);
    });
  };

  return { isOpenMinute };
}
