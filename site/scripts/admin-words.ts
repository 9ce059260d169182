/**
 * What the admin console says about the admin API's values and errors, in the admin's language (Spanish unless
 * English was chosen: `./admin-lang.ts`). Statuses are the public pages' own words (`site/i18n/`), so an incident
 * reads the same in the console and on the page. Pure apart from reading the chosen language; the date format is
 * passed in.
 */
import { adminWords } from './admin-lang.ts';
import es, { type AdminWords } from './admin-dictionary/es.ts';

/** Fills `{name}` placeholders. */
export const fill = (text: string, values: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (all, k: string) => (k in values ? String(values[k]) : all));

/** An incident status as the page writes it ("Identificado"); an unknown word is shown as sent. */
export const incidentStatusWord = (status: string): string => adminWords().site.incidentStatus[status] ?? status;

/** A maintenance status as the page writes it ("En curso"). */
export const maintenanceStatusWord = (status: string): string => adminWords().site.maintenanceStatus[status] ?? status;

/** A source's or component's state as the page writes it ("Estado desconocido"). */
export const componentStateWord = (state: string): string => (adminWords().site.componentState as Record<string, string>)[state] ?? state;

export const sourceTypeWord = (type: string): string => adminWords().sourceTypes[type] ?? type;

/** The channels a notice goes out on, as their makers name them. */
export const channelWord = (channel: string): string => adminWords().channels[channel] ?? channel;

/** The admin API's error body: `{ error: { code, message, details? } }`. */
export interface ApiErrorBody {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/**
 * The field an error concerns: the first the details list, else the one its message starts with
 * (`starts_at 2026-… is only 2 h from now`, `components[0].id: unknown component "x"`, `invalid body: title: …`).
 * Only fields the console has a label for count.
 */
export function errorField(error: ApiErrorBody): string | null {
  const listed = Array.isArray(error.details?.fields) ? (error.details.fields as unknown[]).map(String) : [];
  const fromMessage = /^(?:invalid (?:body|query): )?([a-z_]+)/.exec(error.message)?.[1];
  const candidates = [...listed, fromMessage].map((f) => f?.replace(/[[.].*$/, ''));
  return candidates.find((f): f is string => !!f && f in es.fields) ?? null;
}

export const fieldLabel = (field: string, words: AdminWords = adminWords()): string => words.fields[field] ?? field;

/** The quoted value in a message (`unknown component "x"` → `x`). */
const quoted = (message: string) => /"([^"]*)"/.exec(message)?.[1];

/** One sentence per code the console can meet; `formatInstant` writes a time in the admin's zone. */
function sentence(error: ApiErrorBody, formatInstant: (iso: string) => string, words: AdminWords): string {
  const e = words.errors;
  switch (error.code) {
    case 'invalid_request':
      return /required/i.test(error.message) ? e.required : e.invalid;
    case 'invalid_json':
    case 'unsupported_media_type':
      return e.not_understood;
    case 'payload_too_large':
      return e.payload_too_large;
    case 'not_found':
      return e.not_found;
    case 'unknown_component': {
      const id = quoted(error.message);
      return id ? fill(e.unknown_component_named, { id }) : e.unknown_component;
    }
    case 'unknown_upstream_component':
      return fill(e.unknown_upstream_component, { id: quoted(error.message) ?? '' });
    case 'page_not_read':
    case 'no_component_choice':
      return e[error.code];
    case 'notice_too_short': {
      const earliest = error.details?.earliest_allowed_start;
      const tail = typeof earliest === 'string' ? fill(e.earliest_start, { at: formatInstant(earliest) }) : '';
      return `${e.notice_too_short}${tail}`;
    }
    case 'invalid_window':
      return /not in the future/.test(error.message) ? e.window_not_future : e.window_backwards;
    case 'timeline_backwards':
    case 'upstream_maintenance':
    case 'maintenance_closed':
    case 'already_started':
    case 'not_started':
    case 'invalid_range':
    case 'not_detected':
    case 'source_exists':
    case 'config_source':
    case 'series_stopped':
    case 'rate_limited':
      return e[error.code];
    case 'invalid_recurrence':
      if (/at most daily/.test(error.message)) return e.recurrence_daily;
      if (/overlap/.test(error.message)) return e.recurrence_overlap;
      if (/no occurrence/.test(error.message)) return e.recurrence_empty;
      if (/rule alone/.test(error.message)) return e.recurrence_rule_alone;
      return e.recurrence_invalid;
    default:
      return fill(e.other, { code: error.code });
  }
}

/**
 * The error as the admin reads it: `Inicio: el mantenimiento debe anunciarse con más antelación. …` when it concerns
 * a field, the sentence alone (capitalised) otherwise.
 */
export function errorIn(words: AdminWords, error: ApiErrorBody, formatInstant: (iso: string) => string): string {
  const text = sentence(error, formatInstant, words);
  const field = errorField(error);
  return field ? `${fieldLabel(field, words)}: ${text}` : text.charAt(0).toUpperCase() + text.slice(1);
}

export const errorInSpanish = (error: ApiErrorBody, formatInstant: (iso: string) => string) => errorIn(es, error, formatInstant);

/** The error in the admin's chosen language. */
export const errorInAdminLanguage = (error: ApiErrorBody, formatInstant: (iso: string) => string) => errorIn(adminWords(), error, formatInstant);
