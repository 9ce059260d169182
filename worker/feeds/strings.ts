/**
 * Words used in feeds, the calendar feed, badges and the widget, per locale (unknown locales read English). The words
 * the status page also shows (statuses, labels, the date format) are the page's own, from `site/i18n/`; only what
 * the page never says is written here.
 */
import { isLocale, perLocale, type ComponentState, type Locale } from '../core/vocabulary.ts';
import { DATE_OPTIONS, t } from '../../site/lib/i18n.ts';

/** What only the feeds, the calendar, the badges and the widget say. */
interface EmbedOnlyStrings {
  feedTitle: string;
  componentFeedTitle: (component: string) => string;
  feedDescription: string;
  calendarName: string;
  badgeLabel: string;
  /** A badge's and the widget's words for a state, in running text. */
  state: Record<ComponentState, string>;
}

export interface EmbedStrings extends EmbedOnlyStrings {
  intlLocale: string;
  incident: string;
  maintenance: string;
  severity: string;
  affects: string;
  window: string;
  cancelled: string;
  incidentStatus: Record<string, string>;
  maintenanceStatus: Record<string, string>;
}

const EMBED_ONLY: Record<Locale, EmbedOnlyStrings> = {
  es: {
    feedTitle: 'incidentes y mantenimientos',
    componentFeedTitle: (c) => `${c}: incidentes y mantenimientos`,
    feedDescription: 'Incidentes y ventanas de mantenimiento publicados en la página de estado.',
    calendarName: 'mantenimientos',
    badgeLabel: 'estado',
    state: {
      operational: 'operativo',
      degraded_performance: 'rendimiento degradado',
      partial_outage: 'caída parcial',
      major_outage: 'caída total',
      under_maintenance: 'en mantenimiento',
      unknown: 'desconocido',
    },
  },
  en: {
    feedTitle: 'incidents and maintenance',
    componentFeedTitle: (c) => `${c}: incidents and maintenance`,
    feedDescription: 'Incidents and maintenance windows published on the status page.',
    calendarName: 'maintenance',
    badgeLabel: 'status',
    state: {
      operational: 'operational',
      degraded_performance: 'degraded performance',
      partial_outage: 'partial outage',
      major_outage: 'major outage',
      under_maintenance: 'under maintenance',
      unknown: 'unknown',
    },
  },
  'pt-BR': {
    feedTitle: 'incidentes e manutenções',
    componentFeedTitle: (c) => `${c}: incidentes e manutenções`,
    feedDescription: 'Incidentes e janelas de manutenção publicados na página de status.',
    calendarName: 'manutenções',
    badgeLabel: 'status',
    state: {
      operational: 'operacional',
      degraded_performance: 'desempenho degradado',
      partial_outage: 'interrupção parcial',
      major_outage: 'interrupção total',
      under_maintenance: 'em manutenção',
      unknown: 'desconhecido',
    },
  },
};

const BY_LOCALE: Record<Locale, EmbedStrings> = perLocale((locale) => {
  const page = t(locale);
  return {
    ...EMBED_ONLY[locale],
    intlLocale: page.dateLocale,
    incident: page.incident,
    maintenance: page.maintenance,
    severity: page.severity,
    affects: page.affects,
    window: page.window,
    cancelled: page.maintenanceStatus.cancelled!,
    incidentStatus: page.incidentStatus,
    maintenanceStatus: page.maintenanceStatus,
  };
});

export const embedStrings = (locale: string): EmbedStrings => BY_LOCALE[isLocale(locale) ? locale : 'en'];

/** A text given per language (`{ es, en, 'pt-BR' }`) in a language, falling back to English then Spanish. */
export function localized(texts: object, locale: string): string {
  const text = texts as Readonly<Record<string, string | undefined>>;
  return text[locale] ?? text.en ?? text.es ?? Object.values(text)[0] ?? '';
}

/** Formatters are costly to make and are reused: one per locale and zone. */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** An instant in the provider's zone, e.g. "sáb 21 nov 2026, 08:00 GMT-5". */
export function formatInstant(at: Date, locale: string, timeZone: string): string {
  const key = `${locale} ${timeZone}`;
  let format = formatters.get(key);
  if (!format) {
    // The page's one date format, so a feed reader sees an instant as the page writes it.
    format = new Intl.DateTimeFormat(embedStrings(locale).intlLocale, DATE_OPTIONS(timeZone));
    formatters.set(key, format);
  }
  return format.format(at);
}
