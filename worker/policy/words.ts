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
