import { z } from 'zod';
import { LOCALES, type Locale } from '../config/schema.ts';
import { CHANNELS, HTTP_CHANNELS } from '../core/notices.ts';
import { EVERY_SEVERITY } from '../core/vocabulary.ts';
import { channelUrlProblem } from './channel-url.ts';
import { emailSchema } from './address.ts';
import { canonicalTimeZone } from '../lib/time-zone.ts';

/** What a subscriber chooses; no components means every component. */
export interface Preferences {
  componentIds: string[];
  locale: Locale;
  timezone: string;
  incidentNotices: boolean;
  /** Incident notices go out for severities 1 … minSeverity (1 is the most severe; 9 is every incident). */
  minSeverity: number;
}

export const timeZoneSchema = z.string().transform((value, ctx) => {
  const zone = canonicalTimeZone(value.trim());
  if (!zone) {
    ctx.addIssue({ code: 'custom', message: `unknown time zone "${value.slice(0, 64)}"; use an IANA name such as America/Bogota` });
    return z.NEVER;
  }
  return zone;
});

const componentIdsSchema = z
  .array(z.string().trim().min(1, { error: 'must be a component id' }).max(64), { error: 'must be a list of component ids' })
  .max(500)
  .transform((ids) => [...new Set(ids)]);

// Levels are compared numerically (a policy may have up to nine): `min_severity` 2 means severities 1 and 2, and 9
// every incident. Comparing levels, not Statuspage impacts, keeps a stored 1–4 meaning what it meant.
const SEVERITY_RANGE = { error: `must be a severity from 1 (the most severe) to ${EVERY_SEVERITY} (every incident)` };
const minSeveritySchema = z.number(SEVERITY_RANGE).int(SEVERITY_RANGE).min(1, SEVERITY_RANGE).max(EVERY_SEVERITY, SEVERITY_RANGE);

/** One of `locales`, refused with the choices named: `must be "es", "en" or "pt-BR"`. */
export function localeSchema(locales: readonly Locale[]) {
  const names = locales.map((l) => `"${l}"`);
  const choices = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : (names[0] ?? '');
  return z.enum(locales as [Locale, ...Locale[]], { error: `must be ${choices}` });
}

/**
 * The request bodies of `POST /api/subscriptions` and of `POST /api/subscriptions/manage` (absent fields stay as
 * they are), for a site whose subscribers may choose among `locales` (the site's languages: see `mailLocales`).
 */
export function preferenceSchemas(locales: readonly Locale[] = LOCALES) {
  const fields = {
    components: componentIdsSchema.optional(),
    locale: localeSchema(locales).optional(),
    timezone: timeZoneSchema.optional(),
    incident_notices: z.boolean({ error: 'must be true or false' }).optional(),
    min_severity: minSeveritySchema.optional(),
  };
  const url = z.string({ error: 'must be the URL notices are POSTed to' }).trim().superRefine((value, ctx) => {
    const problem = channelUrlProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
  return {
    subscribe: z.strictObject({ channel: z.literal('email').optional(), email: emailSchema, ...fields }),
    /** A subscription on a channel that POSTs to `url` (webhook, Slack, Teams, Discord, Google Chat). */
    subscribeChannel: z.strictObject({ channel: z.enum(HTTP_CHANNELS, { error: `must be ${CHANNELS.map((c) => `"${c}"`).join(', ')}` }), url, ...fields }),
    /** Pausing or resuming a channel subscription through its manage link. */
    manageChannel: z.strictObject({ paused: z.boolean({ error: 'must be true or false' }) }),
    manage: z.strictObject({ ...fields, resubscribe: z.boolean({ error: 'must be true or false' }).optional() }),
  };
}

type Schemas = ReturnType<typeof preferenceSchemas>;
export type SubscribeInput = z.output<Schemas['subscribe']>;
export type ManageInput = z.output<Schemas['manage']>;

/** A field of the site's form (spam bots fill it; people never see it). */
export const HONEYPOT_FIELD = 'website';

type FormBody = Record<string, string | File | (string | File)[]>;

const texts = (value: FormBody[string] | undefined): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === 'string');
const text = (value: FormBody[string] | undefined): string | undefined => {
  const first = texts(value)[0]?.trim();
  return first === '' ? undefined : first;
};

/**
 * Turns an HTML form (which has no types and drops unchecked boxes) into the JSON shape, so both are
 * validated by the same schema. A form always states every preference: an absent checkbox is "no".
 */
export function formToFields(body: FormBody, kind: 'subscribe' | 'manage'): Record<string, unknown> {
  const severity = text(body.min_severity);
  const fields: Record<string, unknown> = {
    components: texts(body.components),
    locale: text(body.locale),
    timezone: text(body.timezone),
    incident_notices: ['on', '1', 'true', 'yes'].includes(text(body.incident_notices) ?? ''),
    min_severity: severity === undefined ? undefined : /^\d+$/.test(severity) ? Number(severity) : severity,
  };
  if (kind === 'subscribe') fields.email = texts(body.email)[0] ?? '';
  else fields.resubscribe = text(body.resubscribe) === '1';
  for (const key of Object.keys(fields)) if (fields[key] === undefined) delete fields[key];
  return fields;
}

export function honeypotFilled(body: FormBody): boolean {
  return (text(body[HONEYPOT_FIELD]) ?? '') !== '';
}
