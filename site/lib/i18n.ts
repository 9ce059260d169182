/**
 * The site's languages: the vocabulary's `LOCALES`, each with its strings file in `site/i18n/` (the type below
 * requires one per language), and everything about their URL prefixes.
 */
import es, { type Strings } from '../i18n/es.ts';
import en from '../i18n/en.ts';
import ptBR from '../i18n/pt-BR.ts';

import { isLocale, LOCALES, type Locale } from '../../worker/core/vocabulary.ts';

export type { Locale, Strings };
export { isLocale, LOCALES };

const STRINGS: Record<Locale, Strings> = { es, en, 'pt-BR': ptBR };
/**
 * The language at the site's root (the config's `default_locale`); the others live under a prefix of their own.
 * The site build sets it once from the API (`loadSiteData`); the worker passes its config's to `localePath`.
 */
let rootLocale: Locale = 'es';
export const rootLocaleOf = (): Locale => rootLocale;
export function setRootLocale(locale: string): void {
  if (isLocale(locale)) rootLocale = locale;
}

export const t = (locale: Locale): Strings => STRINGS[locale];

/** `{n}` and `{names}` in a text, filled. */
export function fill(text: string, values: { n?: number; names?: string[] }, locale: Locale): string {
  return text
    .replace('{n}', String(values.n ?? ''))
    .replace('{names}', values.names ? listFormat(values.names, locale) : '');
}

/** "A, B y C" / "A, B and C" / "A, B e C". */
export function listFormat(items: string[], locale: Locale): string {
  return new Intl.ListFormat(t(locale).dateLocale, { style: 'long', type: 'conjunction' }).format(items);
}

/**
 * The URL prefix of each language: the only place that knows it. Spanish is at the root
 * (the Astro pages live there), English under `/en/`, Brazilian Portuguese under `/pt-br/`.
 */
export function localePrefix(locale: Locale, root: Locale = rootLocale): string {
  return locale === root ? '' : `/${locale.toLowerCase()}`;
}

/** Path of a page in a language: `localePath('pt-BR', '/subscribe/')` is `/pt-br/subscribe/`. */
export function localePath(locale: Locale, path: string, root: Locale = rootLocale): string {
  const clean = path.startsWith('/') ? path : `/${path}`;
  return `${localePrefix(locale, root)}${clean}`;
}

/** The language a site path is in, from its prefix (the root language when none matches). */
export function localeOfPath(path: string, root: Locale = rootLocale): Locale {
  const first = path.split('/')[1]?.toLowerCase() ?? '';
  return LOCALES.find((l) => l !== root && localePrefix(l, root) === `/${first}`) ?? root;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** The one date format of a language: an instant in a time zone, e.g. "sáb 21 nov 2026, 12:00 GMT-5". */
export function formatInstant(iso: string, locale: Locale, timeZone: string): string {
  const key = `${locale}|${timeZone}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(t(locale).dateLocale, DATE_OPTIONS(timeZone));
    formats.set(key, format);
  }
  return format.format(new Date(iso));
}

/** The options of that one format; the page script formats the viewer's local time with the same ones. */
export const DATE_OPTIONS = (timeZone?: string): Intl.DateTimeFormatOptions => ({
  ...(timeZone ? { timeZone } : {}),
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
  timeZoneName: 'short',
});

/** The languages pages are made in: the config's, known here, with the root language first. */
export function siteLocales(configured: readonly string[]): Locale[] {
  return [rootLocale, ...LOCALES.filter((l) => l !== rootLocale && configured.includes(l))];
}
