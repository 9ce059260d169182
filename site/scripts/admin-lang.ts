/**
 * The admin's language for the console, chosen in the header and remembered in this browser (localStorage).
 * Spanish unless English was chosen; read where no storage exists (a unit test), it is Spanish.
 */
import es, { type AdminWords } from './admin-dictionary/es.ts';
import en from './admin-dictionary/en.ts';

export type AdminLang = 'es' | 'en';
const KEY = 'vigia.admin.lang';

export function adminLang(): AdminLang {
  try {
    return globalThis.localStorage?.getItem(KEY) === 'en' ? 'en' : 'es';
  } catch {
    return 'es';
  }
}

/** Remembers the choice in this browser; where storage is refused, the console stays in Spanish. */
export function chooseAdminLang(lang: AdminLang): void {
  try {
    localStorage.setItem(KEY, lang);
  } catch {
    // No storage (a locked-down browser): nothing to remember it in.
  }
}

export const wordsFor = (lang: AdminLang): AdminWords => (lang === 'en' ? en : es);

/** The current language's words. */
export const adminWords = (): AdminWords => wordsFor(adminLang());
