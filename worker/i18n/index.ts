/**
 * The languages the worker writes to people in: e-mail, subscriber preferences and the subscription pages. One
 * strings file per language (`es.ts` defines the shape) for each of the vocabulary's `LOCALES`.
 */
import type { Locale } from '../core/vocabulary.ts';
import es, { type WorkerStrings } from './es.ts';
import en from './en.ts';
import ptBR from './pt-BR.ts';

export type { WorkerStrings };

const STRINGS: Record<Locale, WorkerStrings> = { es, en, 'pt-BR': ptBR };

export const workerStrings = (locale: Locale): WorkerStrings => STRINGS[locale];
