/**
 * The languages the worker writes to people in: e-mail, subscriber preferences and the subscription pages. One
 * strings file per language (`es.ts` defines the shape); adding a language is adding its file and its name here.
 */
import es, { type WorkerStrings } from './es.ts';
import en from './en.ts';
import ptBR from './pt-BR.ts';

export type { WorkerStrings };

export const LOCALES = ['es', 'en', 'pt-BR'] as const;
export type Locale = (typeof LOCALES)[number];

const STRINGS: Record<Locale, WorkerStrings> = { es, en, 'pt-BR': ptBR };

export const workerStrings = (locale: Locale): WorkerStrings => STRINGS[locale];
export const isLocale = (value: unknown): value is Locale => typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
