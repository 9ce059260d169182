/**
 * Incident history by local calendar month (the site's zone). Pure: which months are listed and which month an
 * instant belongs to.
 */
import { localMidnight } from '../reports/range.ts';
import { localDate } from './uptime.ts';

/** How many months, the current one included, the public history keeps. */
export const HISTORY_MONTHS = 12;

/** The local month (YYYY-MM) of an instant. */
export const localMonth = (ms: number, timeZone: string) => localDate(ms, timeZone).slice(0, 7);

/** `month` moved by `delta` months. */
export function addMonths(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/**
 * The months the history lists, newest first: from the month the data starts (never more than HISTORY_MONTHS back)
 * to the current one, empty months included so that pages and their links do not come and go.
 */
export function historyMonths(dataStartMs: number, now: Date, timeZone: string): string[] {
  const current = localMonth(now.getTime(), timeZone);
  const oldestAllowed = addMonths(current, -(HISTORY_MONTHS - 1));
  const start = localMonth(Math.min(dataStartMs, now.getTime()), timeZone);
  const first = start < oldestAllowed ? oldestAllowed : start;
  const months: string[] = [];
  for (let m = current; m >= first; m = addMonths(m, -1)) months.push(m);
  return months;
}

/** The instant the local month starts. */
export const monthStart = (month: string, timeZone: string) => localMidnight(`${month}-01`, timeZone);
