/**
 * The policy's level names in the console, in one place. At build, a page puts them in both languages on the element
 * its script reads (`levelNameAttributes`); in the browser, the script reads them in the admin's language
 * (`readLevelNames`) and writes a level as "3 · Medio" (`levelLabel`). Reading the choice of language is its only I/O.
 */
import type { SeverityInfo } from '../../../worker/core/api-types.ts';
import { adminLang } from '../admin-lang.ts';

type Named = Pick<SeverityInfo, 'level' | 'name'>;

const namesIn = (severities: readonly Named[], lang: 'es' | 'en') => JSON.stringify(Object.fromEntries(severities.map((s) => [s.level, s.name[lang]])));

/** At build: the data attributes carrying the level names in Spanish and English. */
export const levelNameAttributes = (severities: readonly Named[]) => ({
  'data-severity-names': namesIn(severities, 'es'),
  'data-severity-names-en': namesIn(severities, 'en'),
});

export type LevelNames = Record<string, string>;

/** In the browser: the level names an element carries, in the admin's language. */
export function readLevelNames(element: HTMLElement): LevelNames {
  const data = element.dataset;
  return JSON.parse((adminLang() === 'en' ? data.severityNamesEn : null) ?? data.severityNames ?? '{}') as LevelNames;
}

/** "3 · Medio", or the bare number for a level the policy does not name. */
export const levelLabel = (names: LevelNames, level: number): string => (names[level] ? `${level} · ${names[level]}` : String(level));
