/** Durations in words per locale ("2 días hábiles", "1 hour", "8 horas"). Pure. */
import { perLocale, type Locale } from '../core/vocabulary.ts';
import type { SlaClock } from '../sla/index.ts';

interface Units {
  day: [string, string];
  hour: [string, string];
  minute: [string, string];
  and: string;
}

const PLAIN: Record<Locale, Units> = {
  es: { day: ['día', 'días'], hour: ['hora', 'horas'], minute: ['minuto', 'minutos'], and: 'y' },
  en: { day: ['day', 'days'], hour: ['hour', 'hours'], minute: ['minute', 'minutes'], and: 'and' },
  'pt-BR': { day: ['dia', 'dias'], hour: ['hora', 'horas'], minute: ['minuto', 'minutos'], and: 'e' },
};

const BUSINESS: Record<Locale, Units> = {
  es: { day: ['día hábil', 'días hábiles'], hour: ['hora hábil', 'horas hábiles'], minute: ['minuto hábil', 'minutos hábiles'], and: 'y' },
  en: { day: ['business day', 'business days'], hour: ['business hour', 'business hours'], minute: ['business minute', 'business minutes'], and: 'and' },
  'pt-BR': { day: ['dia útil', 'dias úteis'], hour: ['hora útil', 'horas úteis'], minute: ['minuto útil', 'minutos úteis'], and: 'e' },
};

function say(units: Units, parts: { days: number; hours: number; minutes: number }): string {
  const words = (['days', 'hours', 'minutes'] as const)
    .map((key) => {
      const n = parts[key];
      const [one, many] = units[key === 'days' ? 'day' : key === 'hours' ? 'hour' : 'minute'];
      return n > 0 ? `${n} ${n === 1 ? one : many}` : null;
    })
    .filter((w): w is string => w !== null);
  if (words.length <= 1) return words[0] ?? `0 ${units.minute[1]}`;
  return `${words.slice(0, -1).join(', ')} ${units.and} ${words[words.length - 1]}`;
}

/** An SLA target (`days` + `minutes` as written) in words on its clock, in every locale. */
export function targetWords(target: { days: number; minutes: number }, clock: SlaClock): Record<Locale, string> {
  const parts = { days: target.days, hours: Math.floor(target.minutes / 60), minutes: target.minutes % 60 };
  const table = clock === 'business' ? BUSINESS : PLAIN;
  return perLocale((l) => say(table[l], parts));
}

const TO: Record<Locale, string> = { es: 'a', en: 'to', 'pt-BR': 'a' };

/** The one unit a length is written in, when it is written in one (`48h` → hours 48), else null. */
function singleUnit(target: { days: number; minutes: number }): { unit: 'day' | 'hour' | 'minute'; n: number } | null {
  if (target.days > 0) return target.minutes === 0 ? { unit: 'day', n: target.days } : null;
  if (target.minutes % 60 === 0) return { unit: 'hour', n: target.minutes / 60 };
  return target.minutes < 60 ? { unit: 'minute', n: target.minutes } : null;
}

/**
 * A range in words, in the order it was written: "48 a 36 horas hábiles", "1 to 2 days"; bounds in different
 * units each carry their own ("30 minutos a 2 horas").
 */
export function rangeWords(first: { days: number; minutes: number }, second: { days: number; minutes: number }, clock: SlaClock): Record<Locale, string> {
  const a = singleUnit(first);
  const b = singleUnit(second);
  if (a && b && a.unit === b.unit) {
    const table = clock === 'business' ? BUSINESS : PLAIN;
    return perLocale((l) => `${a.n} ${TO[l]} ${say(table[l], { days: 0, hours: 0, minutes: 0, [`${b.unit}s`]: b.n } as { days: number; hours: number; minutes: number })}`);
  }
  const x = targetWords(first, clock);
  const y = targetWords(second, clock);
  return perLocale((l) => `${x[l]} ${TO[l]} ${y[l]}`);
}

/** An immediate target in words (the policy's "inmediata"). */
export const IMMEDIATE_WORDS: Record<Locale, string> = { es: 'inmediata', en: 'immediate', 'pt-BR': 'imediata' };
/** A target the policy does not state. */
export const NOT_APPLICABLE_WORDS: Record<Locale, string> = { es: 'N/A', en: 'N/A', 'pt-BR': 'N/A' };

/** A wall-clock length (ms) in words, in every locale. */
export function wallWords(ms: number): Record<Locale, string> {
  const total = Math.round(ms / 60_000);
  const parts = { days: Math.floor(total / 1440), hours: Math.floor((total % 1440) / 60), minutes: total % 60 };
  return perLocale((l) => say(PLAIN[l], parts));
}

/** The name of the one calendar assumed when the config declares no business hours. */
export const ASSUMED_CALENDAR_NAME: Record<Locale, string> = {
  es: 'Horario de atención',
  en: 'Business hours',
  'pt-BR': 'Horário de atendimento',
};
