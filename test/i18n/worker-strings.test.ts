import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../worker/core/vocabulary.ts';
import { workerStrings } from '../../worker/i18n/index.ts';

/** Every leaf of a strings table with its path: a text, or which of its arguments a function writes out. */
function shape(value: unknown, path = ''): string[] {
  if (typeof value === 'function') {
    const args = ['«a»', '«b»', 7];
    const text = String((value as (...a: unknown[]) => unknown)(...args));
    return [`${path}: fn(${args.filter((a) => text.includes(String(a))).length})`];
  }
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => shape(v, `${path}.${k}`));
  return [`${path}: ${typeof value}`];
}

describe('the worker’s strings files', () => {
  it('give every language every text of the Spanish file, writing out the same values', () => {
    const spanish = shape(workerStrings('es'));
    for (const locale of LOCALES) expect(shape(workerStrings(locale)), locale).toEqual(spanish);
  });

  it('have no empty text, and name their language and date format', () => {
    for (const locale of LOCALES) {
      const strings = workerStrings(locale);
      const texts: string[] = [];
      const collect = (v: unknown) => (typeof v === 'string' ? texts.push(v) : v && typeof v === 'object' && Object.values(v).forEach(collect));
      collect(strings);
      expect(texts.filter((t) => t.trim() === ''), locale).toEqual([]);
      expect(new Intl.DateTimeFormat(strings.intlLocale).resolvedOptions().locale.slice(0, 2)).toBe(locale.slice(0, 2));
    }
    expect(workerStrings('pt-BR').langName).toBe('Português (Brasil)');
  });
});
