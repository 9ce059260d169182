/** Words used in feeds, the calendar feed, badges and the widget, per locale (unknown locales read English). */
export interface EmbedStrings {
  intlLocale: string;
  feedTitle: string;
  componentFeedTitle: (component: string) => string;
  feedDescription: string;
  calendarName: string;
  incident: string;
  maintenance: string;
  severity: string;
  affects: string;
  window: string;
  cancelled: string;
  incidentStatus: Record<string, string>;
  maintenanceStatus: Record<string, string>;
  badgeLabel: string;
  state: Record<string, string>;
}

const es: EmbedStrings = {
  intlLocale: 'es-CO',
  feedTitle: 'incidentes y mantenimientos',
  componentFeedTitle: (c) => `${c}: incidentes y mantenimientos`,
  feedDescription: 'Incidentes y ventanas de mantenimiento publicados en la página de estado.',
  calendarName: 'mantenimientos',
  incident: 'Incidente',
  maintenance: 'Mantenimiento',
  severity: 'Severidad',
  affects: 'Afecta a',
  window: 'Ventana',
  cancelled: 'Cancelado',
  incidentStatus: { investigating: 'Investigando', identified: 'Identificado', monitoring: 'En observación', resolved: 'Resuelto', postmortem: 'Análisis posterior' },
  maintenanceStatus: { scheduled: 'Programado', in_progress: 'En curso', verifying: 'Verificando', completed: 'Completado', cancelled: 'Cancelado' },
  badgeLabel: 'estado',
  state: {
    operational: 'operativo',
    degraded_performance: 'rendimiento degradado',
    partial_outage: 'caída parcial',
    major_outage: 'caída total',
    under_maintenance: 'en mantenimiento',
    unknown: 'desconocido',
  },
};

const en: EmbedStrings = {
  intlLocale: 'en-US',
  feedTitle: 'incidents and maintenance',
  componentFeedTitle: (c) => `${c}: incidents and maintenance`,
  feedDescription: 'Incidents and maintenance windows published on the status page.',
  calendarName: 'maintenance',
  incident: 'Incident',
  maintenance: 'Maintenance',
  severity: 'Severity',
  affects: 'Affects',
  window: 'Window',
  cancelled: 'Cancelled',
  incidentStatus: { investigating: 'Investigating', identified: 'Identified', monitoring: 'Monitoring', resolved: 'Resolved', postmortem: 'Postmortem' },
  maintenanceStatus: { scheduled: 'Scheduled', in_progress: 'In progress', verifying: 'Verifying', completed: 'Completed', cancelled: 'Cancelled' },
  badgeLabel: 'status',
  state: {
    operational: 'operational',
    degraded_performance: 'degraded performance',
    partial_outage: 'partial outage',
    major_outage: 'major outage',
    under_maintenance: 'under maintenance',
    unknown: 'unknown',
  },
};

const ptBR: EmbedStrings = {
  intlLocale: 'pt-BR',
  feedTitle: 'incidentes e manutenções',
  componentFeedTitle: (c) => `${c}: incidentes e manutenções`,
  feedDescription: 'Incidentes e janelas de manutenção publicados na página de status.',
  calendarName: 'manutenções',
  incident: 'Incidente',
  maintenance: 'Manutenção',
  severity: 'Severidade',
  affects: 'Afeta',
  window: 'Janela',
  cancelled: 'Cancelada',
  incidentStatus: { investigating: 'Investigando', identified: 'Identificado', monitoring: 'Em observação', resolved: 'Resolvido', postmortem: 'Análise posterior' },
  maintenanceStatus: { scheduled: 'Programada', in_progress: 'Em andamento', verifying: 'Verificando', completed: 'Concluída', cancelled: 'Cancelada' },
  badgeLabel: 'status',
  state: {
    operational: 'operacional',
    degraded_performance: 'desempenho degradado',
    partial_outage: 'interrupção parcial',
    major_outage: 'interrupção total',
    under_maintenance: 'em manutenção',
    unknown: 'desconhecido',
  },
};

const BY_LOCALE: Record<string, EmbedStrings> = { es, en, 'pt-BR': ptBR };

export const embedStrings = (locale: string): EmbedStrings => BY_LOCALE[locale] ?? en;

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
    format = new Intl.DateTimeFormat(embedStrings(locale).intlLocale, {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
      timeZoneName: 'short',
    });
    formatters.set(key, format);
  }
  return format.format(at);
}
