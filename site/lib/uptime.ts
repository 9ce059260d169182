/**
 * Reading `/api/uptime.json` for the pages: the day cells of a row, and how figures, days and months are written.
 * Pure (no I/O), so the bar components stay small.
 */
import type { DayState } from '../../worker/core/vocabulary.ts';
import type { Locale, UptimeInfo, UptimeRowInfo } from './api.ts';
import { t } from './i18n.ts';

export type { DayState };

export interface DayCell {
  date: string;
  /** The letter of the document (`o`, `u`, `m`, `d`, `p`, `x`; `-` becomes `n`), used as the cell's class. */
  code: string;
  state: DayState;
  incidents: string[];
  maintenances: string[];
}

/** The Intl language tag of a locale's dates and numbers (the language's one date format). */
const intlTag = (locale: Locale): string => t(locale).dateLocale;

/** Every `{name}` in a text, filled from `values`. */
export function fillIn(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** YYYY-MM-DD plus `days`. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The local dates of the document's days, oldest first: the same for every row (a home page has a hundred). */
const datesOf = new WeakMap<UptimeInfo, string[]>();

/** The row's days, oldest first, with their events. */
export function dayCells(uptime: UptimeInfo, row: UptimeRowInfo): DayCell[] {
  let dates = datesOf.get(uptime);
  if (!dates) datesOf.set(uptime, (dates = []));
  return [...row.days].map((code, k) => {
    const date = (dates[k] ??= addDays(uptime.first_day, k));
    return {
      date,
      code: code === '-' ? 'n' : code,
      state: uptime.legend[code] ?? 'no_data',
      incidents: row.incidents[date] ?? [],
      maintenances: row.maintenances[date] ?? [],
    };
  });
}

/** How many days of each state a row has. */
export function stateCounts(cells: DayCell[]): Partial<Record<DayState, number>> {
  const counts: Partial<Record<DayState, number>> = {};
  for (const c of cells) counts[c.state] = (counts[c.state] ?? 0) + 1;
  return counts;
}

// Formatters are built once per locale: building one costs far more than using it, and a build formats thousands.
const formats = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function cached<F extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => F): F {
  let format = formats.get(key) as F | undefined;
  if (!format) formats.set(key, (format = make()));
  return format;
}

/**
 * An availability as a percentage with two decimals, rounded down so that any downtime shows below 100 %
 * (99.996 % is written 99.99 %, never 100.00 %). Null (nothing to measure) gives null.
 */
export function formatShare(availability: number | null, locale: Locale): string | null {
  if (availability === null) return null;
  const floored = Math.floor(availability * 10_000 + 1e-7) / 10_000;
  return cached(`share ${locale}`, () => new Intl.NumberFormat(intlTag(locale), { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 })).format(floored);
}

/** A local calendar date, e.g. "10 nov 2026". */
export function formatDay(date: string, locale: Locale): string {
  return cached(`day ${locale}`, () => new Intl.DateTimeFormat(intlTag(locale), { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' })).format(
    new Date(`${date}T00:00:00Z`),
  );
}

/** A month, e.g. "noviembre de 2026". */
export function formatMonth(month: string, locale: Locale): string {
  return cached(`month ${locale}`, () => new Intl.DateTimeFormat(intlTag(locale), { timeZone: 'UTC', month: 'long', year: 'numeric' })).format(
    new Date(`${month}-01T00:00:00Z`),
  );
}

/** A duration in hours and minutes, e.g. "2 h 5 min" (at least one minute when there is any). */
export function formatDuration(ms: number): string {
  const minutes = Math.max(ms > 0 ? 1 : 0, Math.round(ms / 60_000));
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h && m ? `${h} h ${m} min` : h ? `${h} h` : `${m} min`;
}

/** Every incident and window of a row over the 90 days, newest first. */
export function rowEvents(uptime: UptimeInfo, row: UptimeRowInfo) {
  const incidentIds = new Set(Object.values(row.incidents).flat());
  const windowIds = new Set(Object.values(row.maintenances).flat());
  const incidents = [...incidentIds].map((id) => ({ id, ...uptime.incidents[id]! })).sort((a, b) => b.started_at.localeCompare(a.started_at));
  const maintenances = [...windowIds].map((id) => ({ id, ...uptime.maintenances[id]! })).sort((a, b) => b.starts_at.localeCompare(a.starts_at));
  return { incidents, maintenances };
}
