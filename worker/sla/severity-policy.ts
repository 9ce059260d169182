import { isSlaClock, type SlaClock } from '../core/vocabulary.ts';
import { DurationError, parseDuration, type Duration } from './duration.ts';
import { SlaConfigError, type ConfigPath } from './errors.ts';

/** A text in the page's languages: Spanish and English, and Brazilian Portuguese when given (Spanish is shown otherwise). */
export interface LocalizedText {
  readonly es: string;
  readonly en: string;
  readonly 'pt-BR'?: string;
}

/** One SLA target: how long, counted on which clock. */
export interface SlaTarget {
  readonly duration: Duration;
  readonly clock: SlaClock;
}

/** Targets and presentation of one severity level; level 1 is the most severe. */
export interface SeverityPolicy {
  readonly level: number;
  readonly name: LocalizedText;
  readonly description: LocalizedText;
  /** `#rrggbb`, used by the page for badges and charts. */
  readonly color: string;
  /** Time from the start of an incident to the first response. */
  readonly response: SlaTarget;
  /** Time from the start of an incident to its resolution. */
  readonly resolution: SlaTarget;
}

/**
 * A severity level as written in the configuration. `clock` sets both targets' clock;
 * `response_clock` / `resolution_clock` override it per target; the default is `business`.
 */
export interface SeverityPolicyConfig {
  level: number;
  name: LocalizedText;
  description: LocalizedText;
  /** `#rrggbb`; when absent, the shipped colour of the same level, or grey beyond level 4. */
  color?: string;
  response: string;
  resolution: string;
  clock?: SlaClock;
  response_clock?: SlaClock;
  resolution_clock?: SlaClock;
}

/** Colours of the shipped levels, also used when a configured level gives none. */
const DEFAULT_COLORS: Readonly<Record<number, string>> = { 1: '#c0262d', 2: '#e8590c', 3: '#d9a400', 4: '#1c7ed6' };
const FALLBACK_COLOR = '#868e96';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown, path: ConfigPath): LocalizedText {
  if (!isRecord(value)) throw new SlaConfigError(path, 'expected texts in both languages: { es: "…", en: "…" }');
  for (const lang of ['es', 'en'] as const) {
    const item = value[lang];
    if (typeof item !== 'string' || item.trim() === '') throw new SlaConfigError([...path, lang], 'expected a non-empty text');
  }
  const pt = value['pt-BR'];
  if (pt !== undefined && (typeof pt !== 'string' || pt.trim() === '')) throw new SlaConfigError([...path, 'pt-BR'], 'expected a non-empty text');
  return { es: String(value.es).trim(), en: String(value.en).trim(), ...(typeof pt === 'string' ? { 'pt-BR': pt.trim() } : {}) };
}

function duration(value: unknown, path: ConfigPath): Duration {
  try {
    return parseDuration(value);
  } catch (error) {
    if (error instanceof DurationError) throw new SlaConfigError(path, error.detail);
    throw error;
  }
}

function clock(value: unknown, fallback: SlaClock, path: ConfigPath): SlaClock {
  if (value === undefined) return fallback;
  if (!isSlaClock(value)) throw new SlaConfigError(path, `expected "business" or "always", got ${JSON.stringify(value)}`);
  return value;
}

/**
 * Validates one severity level from the configuration.
 * @throws SlaConfigError with `path` relative to the level object.
 */
export function compileSeverityPolicy(config: SeverityPolicyConfig): SeverityPolicy {
  const raw: unknown = config;
  if (!isRecord(raw)) throw new SlaConfigError([], 'expected a severity level object');
  if (typeof raw.level !== 'number' || !Number.isInteger(raw.level) || raw.level < 1) {
    throw new SlaConfigError(['level'], 'expected a whole number from 1 (most severe) up');
  }
  const color = raw.color ?? DEFAULT_COLORS[raw.level] ?? FALLBACK_COLOR;
  if (typeof color !== 'string' || !/^#[0-9a-fA-F]{6}$/.test(color)) {
    throw new SlaConfigError(['color'], `expected a colour written #rrggbb, got ${JSON.stringify(raw.color)}`);
  }
  const both = clock(raw.clock, 'business', ['clock']);
  return {
    level: raw.level,
    name: text(raw.name, ['name']),
    description: text(raw.description, ['description']),
    color: color.toLowerCase(),
    response: { duration: duration(raw.response, ['response']), clock: clock(raw.response_clock, both, ['response_clock']) },
    resolution: {
      duration: duration(raw.resolution, ['resolution']),
      clock: clock(raw.resolution_clock, both, ['resolution_clock']),
    },
  };
}

/**
 * Validates the list of severity levels: each level as in {@link compileSeverityPolicy}, levels
 * unique. Returns them sorted by level. Error paths start with the list index.
 */
export function compileSeverityPolicies(configs: readonly SeverityPolicyConfig[]): SeverityPolicy[] {
  if (!Array.isArray(configs) || configs.length === 0) throw new SlaConfigError([], 'expected a non-empty list of severity levels');
  const seen = new Map<number, number>();
  const policies = configs.map((config, index) => {
    let policy: SeverityPolicy;
    try {
      policy = compileSeverityPolicy(config);
    } catch (error) {
      if (error instanceof SlaConfigError) throw new SlaConfigError([index, ...error.path], error.detail);
      throw error;
    }
    const other = seen.get(policy.level);
    if (other !== undefined) throw new SlaConfigError([index, 'level'], `level ${policy.level} is also defined at [${other}]`);
    seen.set(policy.level, index);
    return policy;
  });
  return policies.sort((a, b) => a.level - b.level);
}

/** The severity levels Vigía ships with, as configuration. */
export const DEFAULT_SEVERITY_POLICY_CONFIG: readonly SeverityPolicyConfig[] = [
  {
    level: 1,
    name: { es: 'Crítico', en: 'Critical', 'pt-BR': 'Crítico' },
    description: { es: 'Caída total del servicio.', en: 'Total outage of the service.', 'pt-BR': 'Interrupção total do serviço.' },
    color: DEFAULT_COLORS[1],
    response: '1h',
    resolution: '5h',
    clock: 'always',
  },
  {
    level: 2,
    name: { es: 'Alto', en: 'High', 'pt-BR': 'Alto' },
    description: { es: 'Caída parcial del servicio.', en: 'Partial outage of the service.', 'pt-BR': 'Interrupção parcial do serviço.' },
    color: DEFAULT_COLORS[2],
    response: '2h',
    resolution: '6h',
    clock: 'business',
  },
  {
    level: 3,
    name: { es: 'Medio', en: 'Medium', 'pt-BR': 'Médio' },
    description: {
      es: 'Afecta a un cliente o a una función no crítica; existe una alternativa.',
      en: 'Affects one customer or a non-critical function; a workaround exists.',
      'pt-BR': 'Afeta um cliente ou uma função não crítica; existe uma alternativa.',
    },
    color: DEFAULT_COLORS[3],
    response: '6h',
    resolution: '12h',
    clock: 'business',
  },
  {
    level: 4,
    name: { es: 'Bajo', en: 'Low', 'pt-BR': 'Baixo' },
    description: { es: 'Dudas y solicitudes.', en: 'Questions and requests.', 'pt-BR': 'Dúvidas e solicitações.' },
    color: DEFAULT_COLORS[4],
    response: '24h',
    resolution: '2d',
    clock: 'business',
  },
];

/** The severity levels Vigía ships with: 1 Critical (always clock), 2 High, 3 Medium, 4 Low (business clock). */
export const DEFAULT_SEVERITY_POLICIES: readonly SeverityPolicy[] = compileSeverityPolicies(DEFAULT_SEVERITY_POLICY_CONFIG);
