import type { Locale } from '../config/schema.ts';
import { workerStrings, type WorkerStrings } from '../i18n/index.ts';

/** Every text of the subscription pages the worker serves, in each of its languages (`worker/i18n/`). */
export type PageStrings = WorkerStrings['pages'];
export const pageStrings = (locale: Locale): PageStrings => workerStrings(locale).pages;
