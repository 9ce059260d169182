import type { Locale } from '../../config/schema.ts';
import { workerStrings } from '../../i18n/index.ts';

/**
 * Formatters are costly to build (about a millisecond and some native memory each); a fan-out renders the
 * same few (locale, zone, style) combinations many thousands of times, so each is built once.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: Locale, timeZone: string, style: 'long' | 'short'): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${style}`;
  let cached = formatters.get(key);
  if (!cached) {
    cached = new Intl.DateTimeFormat(workerStrings(locale).intlLocale, {
      timeZone,
      ...(style === 'long' ? { weekday: 'long', month: 'long', year: 'numeric' } : { weekday: 'short', month: 'short' }),
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'shortOffset',
    });
    formatters.set(key, cached);
  }
  return cached;
}

/** "sábado, 21 de noviembre de 2026, 08:00 GMT-5 (America/Bogota)". */
export function localTime(iso: string, locale: Locale, timeZone: string): string {
  const text = formatter(locale, timeZone, 'long').format(new Date(iso));
  return `${text} (${timeZone})`;
}

/** "2026-11-21 13:00 UTC": unambiguous whatever the reader's language. */
export function utcTime(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/** The instant in the reader's time zone and in UTC, on two lines. */
export function bothTimes(iso: string, locale: Locale, timeZone: string): string {
  return `${localTime(iso, locale, timeZone)}\n${utcTime(iso)}`;
}

/** A short local date for subjects: "sáb 21 nov, 08:00". */
export function shortLocalTime(iso: string, locale: Locale, timeZone: string): string {
  return formatter(locale, timeZone, 'short').format(new Date(iso));
}
