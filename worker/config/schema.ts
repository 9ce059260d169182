import { z } from 'zod';
import { checkSourceSettings } from '../upstream/settings.ts';
import { parseWallDuration } from './wall-duration.ts';
import { isTimeZone } from '../lib/time-zone.ts';
import { EVERY_SEVERITY, INDICATORS, isLocale, LOCALES, perLocale, SLA_CLOCKS, SOURCE_TYPES, type Locale } from '../core/vocabulary.ts';
import { DEFAULT_SEVERITY_POLICY_CONFIG } from '../sla/severity-policy.ts';
import { incidentTemplateProblems, incidentTemplateSchema } from './incident-templates.ts';
import { ADMIN_ALERT_KINDS, HTTP_CHANNELS, SUBSCRIBER_NOTICE_KINDS, TEAM_CHANNEL_EVENTS, type TeamChannelEvent } from '../core/notices.ts';

/** Identifiers used in URLs, the database and cross-references. */
const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be lower-case letters, digits, "-" or "_" (at most 64)');

const timeZone = z.string().refine(isTimeZone, { error: (issue) => `unknown time zone "${String(issue.input)}"` });

/** A wall-clock duration such as `60s`, `8h`, `1h30m`, kept as milliseconds. */
const wallDuration = z.string().transform((text, ctx) => {
  try {
    return parseWallDuration(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

/** Re-exported for the many modules that take the languages from the config's module (declared in the vocabulary). */
export { LOCALES, type Locale };
const locale = z.enum(LOCALES);

/** The language of a stored or requested language name: itself when Vigía speaks it, else Spanish. */
export const messageLocale = (locale: string): Locale => (isLocale(locale) ? locale : 'es');

/** A text the config gives per language: `es` and `en` required, `pt-BR` optional (Spanish is shown when absent). */
// Strict: in a YAML flow mapping an unquoted comma splits a text, and the rest must not pass as an unknown language.
const localized = z.strictObject({ es: z.string().min(1), en: z.string().min(1), 'pt-BR': z.string().min(1).optional() });
export type LocalizedConfigText = z.output<typeof localized>;
/** The text for a site language; Brazilian Portuguese falls back to Spanish (far closer to a Portuguese reader than English). */
export const localizedText = (text: LocalizedConfigText, locale: Locale): string =>
  (locale === 'pt-BR' ? text['pt-BR'] : undefined) ?? text[locale === 'en' ? 'en' : 'es'];

/** A name per site language; `es` and `en` required, `pt-BR` optional (the Spanish one when absent). */
const localizedName = z.strictObject({ es: z.string().min(1), en: z.string().min(1), 'pt-BR': z.string().min(1).optional() });

const siteSchema = z.strictObject({
  /** One name, or one per language (`{ es, en, pt-BR? }`); `name` is then the default language's, `names` all of them. */
  name: z.union([z.string().min(1), localizedName]),
  /** A logo shown before the name: a URL, or a path on the site (a file put in `site/public/`). */
  logo: z
    .string()
    .min(1)
    .refine((v) => /^https?:\/\//.test(v) || v.startsWith('/'), { error: 'must be an http(s) URL or a path on the site starting with "/"' })
    .optional(),
  /** The brand colour (`#rrggbb`), used only where it has WCAG AA contrast against what it sits on (see site/lib/color.ts). */
  accent_color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #0b5cad').optional(),
  url: z.url({ protocol: /^https?$/ }),
  description: localized.optional(),
  default_locale: locale.default('es'),
  locales: z.array(locale).min(1).default(['es', 'en']),
  timezone: timeZone.default('America/Bogota'),
}).transform((site) => ({
  ...site,
  /** The name in the default language (mail, calendar, API). */
  name: typeof site.name === 'string' ? site.name : localizedText(site.name, site.default_locale),
  /** The name in every site language. */
  names: perLocale((l) => (typeof site.name === 'string' ? site.name : localizedText(site.name, l))),
}));

const sourceSchema = z.strictObject({
  id,
  name: z.string().min(1),
  type: z.enum(SOURCE_TYPES),
  url: z.url({ protocol: /^https?$/ }).max(2_048),
  interval: wallDuration.default(60_000),
  /** Count this source's incidents in our own SLA compliance figures (default: shown only). */
  sla: z.boolean().default(false),
  /** Adapter options, e.g. `expect_text` or `slow_ms` for `http`, `recent_days` for `feed` and `google` (checked per type). */
  settings: z.record(z.string(), z.unknown()).default({}),
});

const componentSchema = z.strictObject({
  id,
  name: z.string().min(1),
  group: z.string().min(1).optional(),
  description: z.string().optional(),
  sources: z.array(id).default([]),
  calendar: id.optional(),
  /** The support region it belongs to: its calendar (and its levels, when the region has its own). */
  region: id.optional(),
});

const hoursRange = z.string();
const calendarSchema = z.strictObject({
  /** The name customers read on the policy page: one text, or one per language (`{ es, en, pt-BR? }`). */
  name: z.union([z.string().trim().min(1), localizedName]).optional(),
  timezone: timeZone,
  week: z.strictObject({
    mon: z.array(hoursRange).default([]),
    tue: z.array(hoursRange).default([]),
    wed: z.array(hoursRange).default([]),
    thu: z.array(hoursRange).default([]),
    fri: z.array(hoursRange).default([]),
    sat: z.array(hoursRange).default([]),
    sun: z.array(hoursRange).default([]),
  }),
  holidays: z.array(z.string()).default([]),
  business_day: z.string().optional(),
});

const businessHoursSchema = z.strictObject({
  default: id,
  calendars: z.record(id, calendarSchema),
});

const clock = z.enum(SLA_CLOCKS);
/** A target: a length, a range, "immediate", "N/A" / null, or one in service hours and another out of them. */
const targetText = z.union([z.string().min(1), z.null()]);
/** A target with the provider's own wording (`{ target: 1h, label: { es: menos de 1 hora, en: under 1 hour } }`), shown instead of the length. */
const labelledTarget = z.strictObject({ target: z.string().min(1), label: localized });
const span = z.union([targetText, labelledTarget]);
const target = z.union([span, z.strictObject({ in_hours: span, out_of_hours: span })]);
const severitySchema = z.strictObject({
  level: z.number().int().min(1).max(9),
  name: localized,
  description: localized,
  /** Absent: the policy states no such target ("N/A"), never missed. */
  response: target.optional(),
  resolution: target.optional(),
  /** Information the policy gives (e.g. "average restoration 4 h"), shown but never counted as a commitment. */
  average_restoration: z.string().optional(),
  statuspage_impact: z.enum(INDICATORS).optional(),
  clock: clock.default('business'),
  response_clock: clock.optional(),
  resolution_clock: clock.optional(),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #c0262d').optional(),
});

const named = z.strictObject({ id, name: localized });
/**
 * Priority × impact: each cell is a severity level. An incident is given a priority and an impact, and its level
 * follows; `levels[priority][impact]` names the level, and each level is at most one cell.
 */
const priorityMatrixSchema = z.strictObject({
  priorities: z.array(named).min(1),
  impacts: z.array(named).min(1),
  levels: z.record(id, z.record(id, z.number().int().min(1).max(9))),
});

/** A support region: its own calendar (time zone and service hours), and its own levels when they differ. */
const regionSchema = z.strictObject({
  name: localized,
  calendar: id,
  severities: z.array(severitySchema).min(1).optional(),
});

const maintenanceSchema = z.strictObject({
  min_notice: wallDuration.default(8 * 3_600_000),
  reminders: z.array(wallDuration).default([24 * 3_600_000, 3_600_000]),
});

/** Outgoing mail. The default rate is Resend's default per-team limit. */
const mailSchema = z.strictObject({
  rate_limit_per_second: z.number().positive().max(1000).default(2),
});

const slaSchema = z.strictObject({
  /** Admins are warned when an open incident is this close to a target (or past it). */
  warning_margin: wallDuration.default(30 * 60_000),
  /** How soon an "immediate" target must be met, in wall time. */
  immediate_grace: wallDuration.default(5 * 60_000),
});

/** An absolute http(s) address without credentials (chat webhook URLs carry their secret in the path, never a user name). */
const postUrl = z.string().superRefine((url, ctx) => {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return void ctx.addIssue({ code: 'custom', message: 'not an absolute URL' });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') ctx.addIssue({ code: 'custom', message: 'must be an http:// or https:// URL' });
  else if (parsed.username || parsed.password) ctx.addIssue({ code: 'custom', message: 'must not carry a user name or password' });
});

/** A team channel's `events` may name whole groups of notices: every kind that begins so. */
const TEAM_EVENT_GROUPS: Record<string, readonly TeamChannelEvent[]> = {
  'maintenance.*': SUBSCRIBER_NOTICE_KINDS.filter((kind) => kind.startsWith('maintenance.')),
  'incident.*': SUBSCRIBER_NOTICE_KINDS.filter((kind) => kind.startsWith('incident.')),
  'admin.*': ADMIN_ALERT_KINDS,
};

/** What a team channel gets when its `events` are not given: the windows' and incidents' notices. */
export const DEFAULT_TEAM_CHANNEL_EVENTS: readonly TeamChannelEvent[] = SUBSCRIBER_NOTICE_KINDS;

const teamEvent = z.string().superRefine((event, ctx) => {
  if (event in TEAM_EVENT_GROUPS || (TEAM_CHANNEL_EVENTS as readonly string[]).includes(event)) return;
  ctx.addIssue({ code: 'custom', message: `unknown event "${event}": one of ${Object.keys(TEAM_EVENT_GROUPS).join(', ')} or a notice such as ${TEAM_CHANNEL_EVENTS.filter((k) => k.startsWith('admin.')).join(', ')}` });
});

/** The notices a team channel's `events` name, groups expanded, each once, in the vocabulary's order. */
const teamEvents = z
  .array(teamEvent)
  .min(1, 'must name at least one event (leave the team channel out to send it nothing)')
  .transform((events) => {
    const named = new Set(events.flatMap((event) => TEAM_EVENT_GROUPS[event] ?? [event as TeamChannelEvent]));
    return TEAM_CHANNEL_EVENTS.filter((kind) => named.has(kind));
  });

/**
 * The admins' own team channels: a webhook or chat channel that receives the notices of windows and incidents,
 * apart from subscribers, with a subscription's filters, and the admin alerts its `events` name. A webhook's signing
 * secret comes from the environment variable `secret_env` names, never from the file.
 */
const teamChannelSchema = z.strictObject({
  channel: z.enum(HTTP_CHANNELS),
  url: postUrl,
  locale: locale.optional(),
  timezone: timeZone.optional(),
  components: z.array(z.string()).default([]),
  incident_notices: z.boolean().default(true),
  /** Severities 1 … this (1 the most severe); the default, 9, is every incident. */
  min_severity: z.number().int().min(1).max(EVERY_SEVERITY).default(EVERY_SEVERITY),
  secret_env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be the name of an environment variable').optional(),
  /** Which notices it gets (default: `DEFAULT_TEAM_CHANNEL_EVENTS`). */
  events: teamEvents.optional(),
});

/** The notices a team channel gets: those its `events` name, else the windows' and incidents' notices. */
export const teamChannelEvents = (team: { events?: readonly TeamChannelEvent[] | undefined }): readonly TeamChannelEvent[] => team.events ?? DEFAULT_TEAM_CHANNEL_EVENTS;

const notificationsSchema = z.strictObject({
  team_channels: z.array(teamChannelSchema).default([]),
});

const adminSchema = z.strictObject({
  email: z.email(),
  name: z.string().optional(),
  locale: locale.default('es'),
});

export const configSchema = z
  .strictObject({
    site: siteSchema,
    admins: z.array(adminSchema).default([]),
    components: z.array(componentSchema).min(1),
    sources: z.array(sourceSchema).default([]),
    business_hours: businessHoursSchema.optional(),
    severities: z.array(severitySchema).min(1).optional(),
    priority_matrix: priorityMatrixSchema.optional(),
    regions: z.record(id, regionSchema).optional(),
    maintenance: maintenanceSchema.default({ min_notice: 8 * 3_600_000, reminders: [24 * 3_600_000, 3_600_000] }),
    sla: slaSchema.default({ warning_margin: 30 * 60_000, immediate_grace: 5 * 60_000 }),
    mail: mailSchema.default({ rate_limit_per_second: 2 }),
    notifications: notificationsSchema.default({ team_channels: [] }),
    /** The console's incident templates; none (or the key left out): the shipped ones. */
    incident_templates: z.array(incidentTemplateSchema).optional(),
  })
  .superRefine((config, ctx) => {
    const sourceIds = new Set<string>();
    config.sources.forEach((source, i) => {
      if (sourceIds.has(source.id)) ctx.addIssue({ code: 'custom', path: ['sources', i, 'id'], message: `duplicate source id "${source.id}"` });
      sourceIds.add(source.id);
      // Settings are the adapter's options (snake_case or camelCase keys); a wrong one is named with its path.
      const settings = checkSourceSettings(source.type, source.settings);
      if (!settings.ok) {
        for (const issue of settings.issues) ctx.addIssue({ code: 'custom', path: ['sources', i, 'settings', ...issue.path], message: issue.message });
      }
    });
    const componentIds = new Set<string>();
    const calendars = config.business_hours?.calendars ?? {};
    config.components.forEach((component, i) => {
      if (componentIds.has(component.id)) {
        ctx.addIssue({ code: 'custom', path: ['components', i, 'id'], message: `duplicate component id "${component.id}"` });
      }
      componentIds.add(component.id);
      component.sources.forEach((sourceId, j) => {
        if (!sourceIds.has(sourceId)) {
          ctx.addIssue({ code: 'custom', path: ['components', i, 'sources', j], message: `unknown source "${sourceId}"` });
        }
      });
      if (component.calendar && !(component.calendar in calendars)) {
        ctx.addIssue({ code: 'custom', path: ['components', i, 'calendar'], message: `unknown calendar "${component.calendar}"` });
      }
      const region = component.region === undefined ? undefined : config.regions?.[component.region];
      if (component.region !== undefined && !region) {
        ctx.addIssue({ code: 'custom', path: ['components', i, 'region'], message: `unknown region "${component.region}"${config.regions ? '' : ' (the file declares no regions)'}` });
      }
      if (region && component.calendar && component.calendar !== region.calendar) {
        ctx.addIssue({ code: 'custom', path: ['components', i, 'calendar'], message: `region "${component.region}" runs on calendar "${region.calendar}"; leave calendar out or make them agree` });
      }
    });
    if (config.business_hours && !(config.business_hours.default in calendars)) {
      ctx.addIssue({ code: 'custom', path: ['business_hours', 'default'], message: `unknown calendar "${config.business_hours.default}"` });
    }
    if (!config.site.locales.includes(config.site.default_locale)) {
      ctx.addIssue({ code: 'custom', path: ['site', 'default_locale'], message: `"${config.site.default_locale}" is not among site.locales` });
    }
    const teamChannels = new Set<string>();
    config.notifications.team_channels.forEach((team, i) => {
      const path = ['notifications', 'team_channels', i];
      if (team.channel === 'webhook' && !team.secret_env) {
        ctx.addIssue({ code: 'custom', path: [...path, 'secret_env'], message: 'a webhook needs secret_env: the environment variable holding its signing secret (whsec_…)' });
      }
      if (team.channel !== 'webhook' && team.secret_env) ctx.addIssue({ code: 'custom', path: [...path, 'secret_env'], message: `a ${team.channel} channel is not signed: secret_env is for webhooks` });
      const incidentEvents = team.events?.filter((event) => event.startsWith('incident.')) ?? [];
      if (!team.incident_notices && incidentEvents.length) {
        ctx.addIssue({ code: 'custom', path: [...path, 'events'], message: `names ${incidentEvents.join(', ')} but incident_notices is false` });
      }
      if (team.locale && !config.site.locales.includes(team.locale)) ctx.addIssue({ code: 'custom', path: [...path, 'locale'], message: `"${team.locale}" is not among site.locales` });
      team.components.forEach((id, j) => {
        if (!componentIds.has(id)) ctx.addIssue({ code: 'custom', path: [...path, 'components', j], message: `unknown component "${id}"` });
      });
      const key = `${team.channel} ${team.url}`;
      if (teamChannels.has(key)) ctx.addIssue({ code: 'custom', path: [...path, 'url'], message: `this ${team.channel} URL is listed twice` });
      teamChannels.add(key);
    });
    const levelsOf = (list: typeof config.severities, path: (string | number)[]) => {
      const levels = new Set<number>();
      list?.forEach((severity, i) => {
        if (levels.has(severity.level)) ctx.addIssue({ code: 'custom', path: [...path, i, 'level'], message: `severity ${severity.level} is declared twice` });
        levels.add(severity.level);
      });
      return levels;
    };
    const levels = levelsOf(config.severities, ['severities']);
    const regionCalendars = new Map<string, string>();
    for (const [regionId, region] of Object.entries(config.regions ?? {})) {
      levelsOf(region.severities, ['regions', regionId, 'severities']);
      if (!(region.calendar in calendars)) ctx.addIssue({ code: 'custom', path: ['regions', regionId, 'calendar'], message: `unknown calendar "${region.calendar}"` });
      const other = regionCalendars.get(region.calendar);
      // An incident keeps its calendar, so the calendar is what names its region.
      if (other) ctx.addIssue({ code: 'custom', path: ['regions', regionId, 'calendar'], message: `calendar "${region.calendar}" is also region "${other}"'s; each region needs its own calendar` });
      regionCalendars.set(region.calendar, regionId);
    }
    const matrix = config.priority_matrix;
    if (matrix) {
      if (!config.severities) ctx.addIssue({ code: 'custom', path: ['priority_matrix'], message: 'a priority matrix names levels: declare them under severities' });
      const seen = new Map<number, string>();
      const priorityIds = new Set(matrix.priorities.map((p) => p.id));
      const impactIds = new Set(matrix.impacts.map((p) => p.id));
      for (const key of Object.keys(matrix.levels)) {
        if (!priorityIds.has(key)) ctx.addIssue({ code: 'custom', path: ['priority_matrix', 'levels', key], message: `unknown priority "${key}" (one of ${[...priorityIds].join(', ')})` });
      }
      for (const priority of matrix.priorities) {
        const row = matrix.levels[priority.id];
        if (!row) {
          ctx.addIssue({ code: 'custom', path: ['priority_matrix', 'levels', priority.id], message: `is required: the level of each impact at priority "${priority.id}"` });
          continue;
        }
        for (const key of Object.keys(row)) {
          if (!impactIds.has(key)) ctx.addIssue({ code: 'custom', path: ['priority_matrix', 'levels', priority.id, key], message: `unknown impact "${key}" (one of ${[...impactIds].join(', ')})` });
        }
        for (const impact of matrix.impacts) {
          const path = ['priority_matrix', 'levels', priority.id, impact.id];
          const level = row[impact.id];
          if (level === undefined) {
            ctx.addIssue({ code: 'custom', path, message: 'is required: every cell of the matrix names a level' });
            continue;
          }
          if (config.severities && !levels.has(level)) ctx.addIssue({ code: 'custom', path, message: `severity ${level} is not declared under severities` });
          const cell = `${priority.id} / ${impact.id}`;
          if (seen.has(level)) ctx.addIssue({ code: 'custom', path, message: `severity ${level} is also the cell ${seen.get(level)}; each cell needs its own level` });
          seen.set(level, cell);
        }
      }
    }
    const templateLevels = new Set([...(config.severities ?? DEFAULT_SEVERITY_POLICY_CONFIG), ...Object.values(config.regions ?? {}).flatMap((r) => r.severities ?? [])].map((s) => s.level));
    for (const problem of incidentTemplateProblems(config.incident_templates ?? [], { levels: templateLevels, matrix: config.priority_matrix, componentIds })) {
      ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
    }
  })
  // A component of a region runs on the region's calendar.
  .transform((config) => ({
    ...config,
    components: config.components.map((c) => (c.region && !c.calendar ? { ...c, calendar: config.regions?.[c.region]?.calendar } : c)),
  }));

export type RawConfig = z.input<typeof configSchema>;
export type ParsedConfig = z.output<typeof configSchema>;
export type SourceConfig = ParsedConfig['sources'][number];
export type ComponentConfig = ParsedConfig['components'][number];
export type TeamChannelConfig = ParsedConfig['notifications']['team_channels'][number];
