/**
 * The support policy as the public page shows it (`/api/policy.json`): each severity's meaning, its response and
 * resolution targets in words and in minutes, the clock they run on, the business-hours calendars with their week
 * and holidays, and the maintenance notice rule. Pure: it depends on the configuration only.
 */
import type { Config } from '../config/load.ts';
import { durationMs, formatDuration, WEEKDAYS, type BusinessCalendar, type SlaTarget, type Weekday } from '../sla/index.ts';
import { formatWallDuration } from '../config/wall-duration.ts';
import { localizedText } from '../config/schema.ts';
import type { PolicyInfo, PolicyTarget } from '../core/api-types.ts';
import { perLocale, type Locale } from '../core/vocabulary.ts';
import { ASSUMED_CALENDAR_NAME, targetWords, wallWords } from './words.ts';

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

function target(t: SlaTarget, calendars: Map<string, BusinessCalendar>, defaultCalendar: BusinessCalendar): PolicyTarget {
  const minutesOn = (calendar: BusinessCalendar) => Math.round(durationMs(t.duration, t.clock, calendar) / 60_000);
  return {
    target: formatDuration(t.duration),
    clock: t.clock,
    /** On the default calendar; a business day may last differently on another (see `minutes_by_calendar`). */
    minutes: minutesOn(defaultCalendar),
    minutes_by_calendar: Object.fromEntries([...calendars].map(([id, c]) => [id, minutesOn(c)])),
    words: targetWords(t.duration, t.clock),
  };
}

const everyLocale = (text: { es: string; en: string; 'pt-BR'?: string }) => perLocale((l) => localizedText(text, l));

/** An id made readable: "sao_paulo" → "Sao Paulo", "mexico-city" → "Mexico City". */
export const humanisedId = (id: string): string => id.split(/[-_]+/).filter(Boolean).map((w) => `${w[0]!.toUpperCase()}${w.slice(1)}`).join(' ');

/**
 * A calendar's name in every site language: the config's `name` (one text, or one per language), else its id made
 * readable; the calendar assumed without `business_hours` is called "business hours" in each language.
 */
export function calendarNames(config: Config, id: string): Record<Locale, string> {
  const name = config.business_hours?.calendars[id]?.name;
  if (typeof name === 'string') return perLocale(() => name);
  if (name) return everyLocale(name);
  if (!config.business_hours) return { ...ASSUMED_CALENDAR_NAME };
  return perLocale(() => humanisedId(id));
}

/**
 * A severity's name and description in every site language: the config's texts (which may include pt-BR), else
 * the shipped policy's; a language the config does not give falls back as the site does (pt-BR to Spanish).
 */
export function severityTexts(config: Config, level: number) {
  const written = config.severities?.find((s) => s.level === level);
  const compiled = config.policy.severities.find((s) => s.level === level);
  const source = written ?? compiled;
  return source ? { name: everyLocale(source.name), description: everyLocale(source.description) } : null;
}

export function publicPolicy(config: Config): PolicyInfo {
  const { policy } = config;
  const defaultCalendar = policy.calendars.get(policy.defaultCalendarId)!;
  return {
    default_locale: config.site.default_locale,
    locales: config.site.locales,
    severities: policy.severities.map((s) => ({
      level: s.level,
      ...severityTexts(config, s.level)!,
      color: s.color,
      response: target(s.response, policy.calendars, defaultCalendar),
      resolution: target(s.resolution, policy.calendars, defaultCalendar),
    })),
    default_calendar: policy.defaultCalendarId,
    calendars: [...policy.calendars.values()].map((c) => ({
      id: c.id,
      /** What customers read: the configured name per language, else the id made readable. */
      name: calendarNames(config, c.id),
      timezone: c.timezone,
      default: c.id === policy.defaultCalendarId,
      week: Object.fromEntries(WEEKDAYS.map((day, i) => [day, (c.week[i] ?? []).map((r) => `${hhmm(r.start)}-${hhmm(r.end)}`)])) as Record<Weekday, string[]>,
      holidays: [...c.holidays],
      business_day_minutes: Math.round(c.businessDayMs / 60_000),
      components: config.components.filter((k) => (k.calendar ?? policy.defaultCalendarId) === c.id).map((k) => ({ id: k.id, name: k.name })),
    })),
    maintenance: {
      min_notice: formatWallDuration(config.maintenance.min_notice),
      min_notice_minutes: Math.round(config.maintenance.min_notice / 60_000),
      min_notice_words: wallWords(config.maintenance.min_notice),
    },
  };
}
