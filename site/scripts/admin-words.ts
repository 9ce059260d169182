/**
 * What the admin console says in Spanish about the admin API's values and errors. Statuses are the public pages'
 * own words (`site/i18n/es.ts`), so an incident reads the same in the console and on the page. Pure: no DOM, no
 * fetch; the date format is passed in.
 */
import es from '../i18n/es.ts';

/** An incident status as the page writes it ("Identificado"); an unknown word is shown as sent. */
export const incidentStatusWord = (status: string): string => es.incidentStatus[status] ?? status;

/** A maintenance status as the page writes it ("En curso"). */
export const maintenanceStatusWord = (status: string): string => es.maintenanceStatus[status] ?? status;

/** A source's or component's state as the page writes it ("Estado desconocido"). */
export const componentStateWord = (state: string): string => (es.componentState as Record<string, string>)[state] ?? state;

/** The kinds of upstream source, by the name their providers give their pages. */
const SOURCE_TYPE_WORDS: Record<string, string> = {
  statuspage: 'Statuspage',
  incidentio: 'incident.io',
  instatus: 'Instatus',
  google: 'Google Cloud',
  feed: 'Feed RSS/Atom',
  http: 'Comprobación HTTP',
};
export const sourceTypeWord = (type: string): string => SOURCE_TYPE_WORDS[type] ?? type;

/** The channels a notice goes out on, as their makers name them. */
const CHANNEL_WORDS: Record<string, string> = {
  email: 'Correo',
  webhook: 'Webhook',
  slack: 'Slack',
  discord: 'Discord',
  teams: 'Microsoft Teams',
  google_chat: 'Google Chat',
  'google-chat': 'Google Chat',
};
export const channelWord = (channel: string): string => CHANNEL_WORDS[channel] ?? channel;

/** The API's field names as the console's forms label them. */
const FIELD_LABELS: Record<string, string> = {
  title: 'Título',
  severity: 'Severidad',
  severity_reason: 'Motivo del cambio de severidad',
  status: 'Estado',
  message: 'Mensaje',
  components: 'Componentes',
  component_ids: 'Componentes',
  started_at: 'Inicio',
  starts_at: 'Inicio',
  ends_at: 'Fin',
  at: 'Fecha',
  month: 'Mes',
  from: 'Desde',
  to: 'Hasta',
  rrule: 'Regla de repetición',
  url: 'Dirección',
  id: 'Identificador',
  name: 'Nombre',
  type: 'Formato',
  first_start: 'Inicio',
  duration: 'Duración',
  announce_ahead: 'Antelación del anuncio',
};

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
  return candidates.find((f): f is string => !!f && f in FIELD_LABELS) ?? null;
}

export const fieldLabel = (field: string): string => FIELD_LABELS[field] ?? field;

/** The quoted value in a message (`unknown component "x"` → `x`). */
const quoted = (message: string) => /"([^"]*)"/.exec(message)?.[1];

/** One Spanish sentence per code the console can meet; `formatInstant` writes a time in the admin's zone. */
function sentence(error: ApiErrorBody, formatInstant: (iso: string) => string): string {
  switch (error.code) {
    case 'invalid_request':
      return /required/i.test(error.message) ? 'es obligatorio.' : 'falta o no tiene un valor válido.';
    case 'invalid_json':
    case 'unsupported_media_type':
      return 'la consola envió una solicitud que el servidor no entiende; recargue la página e inténtelo de nuevo.';
    case 'payload_too_large':
      return 'el texto es demasiado largo.';
    case 'not_found':
      return 'ya no existe (puede haberse borrado); recargue la página.';
    case 'unknown_component': {
      const id = quoted(error.message);
      return id ? `el componente «${id}» no existe o fue retirado.` : 'uno de los componentes no existe o fue retirado.';
    }
    case 'notice_too_short': {
      const earliest = error.details?.earliest_allowed_start;
      const tail = typeof earliest === 'string' ? ` El inicio más temprano permitido es ${formatInstant(earliest)}.` : '';
      return `el mantenimiento debe anunciarse con más antelación.${tail}`;
    }
    case 'invalid_window':
      return /not in the future/.test(error.message) ? 'el fin debe estar en el futuro.' : 'el fin debe ser posterior al inicio.';
    case 'timeline_backwards':
      return 'la fecha sería anterior al inicio del incidente.';
    case 'upstream_maintenance':
      return 'este mantenimiento lo publica un proveedor en su página; no se puede cambiar aquí.';
    case 'maintenance_closed':
      return 'este mantenimiento ya terminó o fue cancelado.';
    case 'already_started':
      return 'este mantenimiento ya comenzó.';
    case 'not_started':
      return 'este mantenimiento aún no ha comenzado.';
    case 'invalid_range':
      return 'elija un mes, o una fecha de inicio y otra de fin posterior (tres años como máximo).';
    case 'invalid_recurrence':
      if (/at most daily/.test(error.message)) return 'una ventana se repite como mucho una vez al día.';
      if (/overlap/.test(error.message)) return 'las repeticiones se solaparían: la ventana dura más que el tiempo entre dos de ellas.';
      if (/no occurrence/.test(error.message)) return 'la regla no da ninguna repetición después del primer inicio.';
      if (/rule alone/.test(error.message)) return 'escriba solo la regla (FREQ=…); el inicio y la zona se indican aparte.';
      return 'no es una regla RRULE válida (por ejemplo FREQ=MONTHLY;BYDAY=1SU).';
    case 'not_detected':
      return 'no se reconoce una página de estado en esta dirección; elija el formato a mano.';
    case 'source_exists':
      return 'ya existe una fuente con este identificador.';
    case 'config_source':
      return 'esta fuente viene del archivo de configuración; aquí solo se puede pausar y reanudar.';
    case 'series_stopped':
      return 'esta serie ya estaba detenida.';
    case 'rate_limited':
      return 'demasiadas solicitudes seguidas; espere un momento e inténtelo de nuevo.';
    default:
      return `el servidor no pudo hacer el cambio (código «${error.code}»).`;
  }
}

/**
 * The error as the admin reads it: `Inicio: el mantenimiento debe anunciarse con más antelación. …` when it concerns
 * a field, the sentence alone (capitalised) otherwise.
 */
export function errorInSpanish(error: ApiErrorBody, formatInstant: (iso: string) => string): string {
  const text = sentence(error, formatInstant);
  const field = errorField(error);
  return field ? `${fieldLabel(field)}: ${text}` : text.charAt(0).toUpperCase() + text.slice(1);
}
