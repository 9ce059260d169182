/**
 * The support policy as the public page shows it (`/api/policy.json`): each severity's meaning, its response and
 * resolution targets in words and in minutes, the clock they run on, the business-hours calendars with their week
 * and holidays, and the maintenance notice rule. Pure: it depends on the configuration only.
 */
import type { Config } from '../config/load.ts';
import {
  cellOfLevel,
  durationMs,
  formatDuration,
  WEEKDAYS,
  type BusinessCalendar,
  type LocalizedText,
  type SeverityPolicy,
  type SlaTarget,
  type TargetSpan,
  type Weekday,
} from '../sla/index.ts';
import { formatWallDuration } from '../config/wall-duration.ts';
import { localizedText } from '../config/schema.ts';
import type { PolicyInfo, PolicySeverity, PolicySpan, PolicyTarget } from '../core/api-types.ts';
import { perLocale, type Locale } from '../core/vocabulary.ts';
import { ASSUMED_CALENDAR_NAME, IMMEDIATE_WORDS, rangeWords, targetWords, wallWords } from './words.ts';

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

function spanInfo(t: TargetSpan, calendars: Map<string, BusinessCalendar>, defaultCalendar: BusinessCalendar): PolicySpan {
  const minutesOn = (calendar: BusinessCalendar, length = t.duration) => Math.round(durationMs(length, t.clock, calendar) / 60_000);
  const text = t.immediate ? 'immediate' : t.aim ? (t.commitmentFirst ? `${formatDuration(t.duration)}-${formatDuration(t.aim)}` : `${formatDuration(t.aim)}-${formatDuration(t.duration)}`) : formatDuration(t.duration);
  return {
    target: text,
    clock: t.clock,
    /** The commitment, on the default calendar; a business day may last differently on another (see `minutes_by_calendar`). */
    minutes: minutesOn(defaultCalendar),
    minutes_by_calendar: Object.fromEntries([...calendars].map(([id, c]) => [id, minutesOn(c)])),
    aim_minutes: t.aim ? minutesOn(defaultCalendar, t.aim) : null,
    immediate: t.immediate === true,
    grace_minutes: t.immediate ? Math.round((t.graceMs ?? 0) / 60_000) : null,
    // The provider's own wording when the config gives it ("menos de 1 hora"); the minutes above are still the clock's.
    words: t.label
      ? everyLocale(t.label)
      : t.immediate
      ? { ...IMMEDIATE_WORDS }
      : t.aim
        ? t.commitmentFirst ? rangeWords(t.duration, t.aim, t.clock) : rangeWords(t.aim, t.duration, t.clock)
        : targetWords(t.duration, t.clock),
    commitment_words: t.immediate ? { ...IMMEDIATE_WORDS } : targetWords(t.duration, t.clock),
    aim_words: t.aim ? targetWords(t.aim, t.clock) : null,
    label: t.label ? everyLocale(t.label) : null,
  };
}

function target(t: SlaTarget | null, calendars: Map<string, BusinessCalendar>, defaultCalendar: BusinessCalendar): PolicyTarget | null {
  if (t === null) return null;
  return { ...spanInfo(t, calendars, defaultCalendar), out_of_hours: t.outOfHours ? spanInfo(t.outOfHours, calendars, defaultCalendar) : null };
}

function severityInfo(config: Config, s: SeverityPolicy, texts: { name: LocalizedText; description: LocalizedText }): PolicySeverity {
  const { policy } = config;
  const defaultCalendar = policy.calendars.get(policy.defaultCalendarId)!;
  const cell = policy.matrix ? cellOfLevel(policy.matrix, s.level) : null;
  return {
    level: s.level,
    name: everyLocale(texts.name),
    description: everyLocale(texts.description),
    color: s.color,
    response: target(s.response, policy.calendars, defaultCalendar),
    resolution: target(s.resolution, policy.calendars, defaultCalendar),
    average_restoration: s.averageRestoration ? { target: formatDuration(s.averageRestoration), words: wallWords(durationMs(s.averageRestoration, 'always', defaultCalendar)) } : null,
    statuspage_impact: s.statuspageImpact,
    ...(cell ? { priority: cell.priority, impact: cell.impact } : {}),
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
  return {
    default_locale: config.site.default_locale,
    locales: config.site.locales,
    severities: policy.severities.map((s) => severityInfo(config, s, config.severities?.find((w) => w.level === s.level) ?? s)),
    matrix: policy.matrix
      ? {
          priorities: policy.matrix.priorities.map((p) => ({ id: p.id, name: everyLocale(p.name) })),
          impacts: policy.matrix.impacts.map((i) => ({ id: i.id, name: everyLocale(i.name) })),
          levels: policy.matrix.priorities.map((p) => policy.matrix!.impacts.map((i) => policy.matrix!.levels[p.id]![i.id]!)),
        }
      : null,
    regions: policy.regions.map((r) => ({
      id: r.id,
      name: everyLocale(r.name),
      calendar: r.calendarId,
      components: config.components.filter((k) => k.region === r.id).map((k) => ({ id: k.id, name: k.name })),
      // Only a region with levels of its own lists them; the others follow the policy's.
      severities: r.severities === policy.severities ? null : r.severities.map((s) => severityInfo(config, s, config.regions?.[r.id]?.severities?.find((w) => w.level === s.level) ?? s)),
    })),
    immediate_grace_minutes: Math.round(config.sla.immediate_grace / 60_000),
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
