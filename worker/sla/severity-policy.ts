import { isSlaClock, type SlaClock } from '../core/vocabulary.ts';
import { DurationError, parseDuration, type Duration } from './duration.ts';
import { SlaConfigError, type ConfigPath } from './errors.ts';

/** A text in the page's languages: Spanish and English, and Brazilian Portuguese when given (Spanish is shown otherwise). */
export interface LocalizedText {
  readonly es: string;
  readonly en: string;
  readonly 'pt-BR'?: string;
}

/**
 * One way a target can be stated: a length on a clock, possibly a range, possibly zero.
 * - A plain length (`4h`): due when that much clock time has passed.
 * - A range (`36h-48h`): the upper bound is the commitment (missing it is a breach), the lower the aim.
 * - Immediate (`immediate`): a zero target, met only by acting at once: within `graceMs` of wall time from the
 *   start (on the business clock, from the next opening when it starts in closed time).
 */
export interface TargetSpan {
  /** The commitment: the upper bound of a range; zero for an immediate target. */
  readonly duration: Duration;
  readonly clock: SlaClock;
  /** The lower bound of a range: what the provider aims at, not what it commits to. */
  readonly aim?: Duration;
  /** A zero target, met within `graceMs` of wall time. */
  readonly immediate?: boolean;
  readonly graceMs?: number;
  /** A range written with the commitment first ("48 a 36 horas"), so it is shown in that order. */
  readonly commitmentFirst?: boolean;
  /**
   * The target as the provider writes it ("menos de 1 hora"), shown instead of the length in words; the clock still
   * counts `duration`.
   */
  readonly label?: LocalizedText;
}

/**
 * One SLA target of a level. Its own fields are the target in service hours (or at any time when there is no
 * `outOfHours`); `outOfHours`, on the always clock, applies instead to an incident that starts while its
 * calendar is closed. Which one applies is chosen by the start, and chosen again when the level changes.
 */
export interface SlaTarget extends TargetSpan {
  readonly outOfHours?: TargetSpan;
}

/** Statuspage's incident `impact` words (the public v2 API). */
export type StatuspageImpact = 'none' | 'minor' | 'major' | 'critical';
const IMPACTS: readonly StatuspageImpact[] = ['none', 'minor', 'major', 'critical'];
/** The impact of a level that does not state one: 1 critical, 2 major, 3 minor, 4 and beyond none. */
export const defaultStatuspageImpact = (level: number): StatuspageImpact => (level === 1 ? 'critical' : level === 2 ? 'major' : level === 3 ? 'minor' : 'none');

/** Targets and presentation of one severity level; level 1 is the most severe. */
export interface SeverityPolicy {
  readonly level: number;
  readonly name: LocalizedText;
  readonly description: LocalizedText;
  /** `#rrggbb`, used by the page for badges and charts. */
  readonly color: string;
  /** Time from the start of an incident to the first response; null when the policy states none ("N/A"). */
  readonly response: SlaTarget | null;
  /** Time from the start of an incident to its resolution; null when the policy states none ("N/A"). */
  readonly resolution: SlaTarget | null;
  /** An average restoration time the policy states as information: shown, never counted as a commitment. */
  readonly averageRestoration?: Duration;
  /** Statuspage `impact` of this level's incidents in the public v2 API. */
  readonly statuspageImpact: StatuspageImpact;
}

/** One span as written: its text, or `{ target, label }` to show it as the provider writes it. */
export type SpanConfig = string | null | { target: string; label: LocalizedText };

/**
 * A target as written: a length (`"4h"`), a range (`"36h-48h"`, either order), `"immediate"`, `"N/A"` or null
 * (none), each optionally `{ target, label }`, or `{ in_hours, out_of_hours }` for a target that depends on when
 * the incident starts.
 */
export type TargetConfig = SpanConfig | { in_hours: SpanConfig; out_of_hours: SpanConfig };

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
  response?: TargetConfig;
  resolution?: TargetConfig;
  average_restoration?: string;
  clock?: SlaClock;
  response_clock?: SlaClock;
  resolution_clock?: SlaClock;
  statuspage_impact?: StatuspageImpact;
}

/** Options that apply to every level. */
export interface SeverityPolicyOptions {
  /** How soon an immediate target must be met, in wall time (default 5 minutes). */
  immediateGraceMs?: number;
}

export const DEFAULT_IMMEDIATE_GRACE_MS = 5 * 60_000;

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

/** Words that mean "no target" and "a zero target", as providers write them. */
const NONE_WORDS = new Set(['n/a', 'na', 'none', 'no aplica']);
const IMMEDIATE_WORDS = new Set(['immediate', 'inmediata', 'inmediato', 'imediato', 'imediata', '0', '0m']);
const ZERO: Duration = { text: '0m', days: 0, minutes: 0 };
const TARGET_HINT = 'write a length ("4h"), a range ("36h-48h"), "immediate", "N/A", or { in_hours, out_of_hours }';

const lengthOf = (d: Duration): number => d.days * 1440 + d.minutes;

/** A span written `{ target, label }`: the target's text with the provider's wording. */
const isLabelled = (value: unknown): boolean => isRecord(value) && ('target' in value || 'label' in value);

/** One span as written: a length, a range or immediate, perhaps with its label; null for "N/A". */
function span(value: unknown, spanClock: SlaClock, graceMs: number, path: ConfigPath): TargetSpan | null {
  if (isRecord(value) && isLabelled(value)) {
    for (const key of Object.keys(value)) {
      if (key !== 'target' && key !== 'label') throw new SlaConfigError([...path, key], 'unknown key: a labelled target has target and label');
    }
    if (typeof value.target !== 'string') throw new SlaConfigError([...path, 'target'], `is required with a label; ${TARGET_HINT}`);
    const label = text(value.label, [...path, 'label']);
    const unlabelled = span(value.target, spanClock, graceMs, [...path, 'target']);
    if (unlabelled === null) throw new SlaConfigError([...path, 'target'], 'a target that states none ("N/A") takes no label');
    return { ...unlabelled, label };
  }
  if (value === null) return null;
  if (typeof value !== 'string') throw new SlaConfigError(path, `expected a target text, got ${typeof value === 'number' ? `the number ${value} (a number has no unit)` : typeof value}; ${TARGET_HINT}`);
  const written = value.trim();
  const word = written.toLowerCase();
  if (NONE_WORDS.has(word)) return null;
  if (IMMEDIATE_WORDS.has(word)) return { duration: ZERO, clock: spanClock, immediate: true, graceMs };
  const bounds = written.split(/\s*-\s*/);
  if (bounds.length === 2) {
    const [first, second] = bounds.map((b) => duration(b, path)) as [Duration, Duration];
    if (lengthOf(first) === lengthOf(second)) throw new SlaConfigError(path, `the range "${written}" has equal bounds; write one length instead`);
    const commitmentFirst = lengthOf(first) > lengthOf(second);
    const [aim, commitment] = commitmentFirst ? [second, first] : [first, second];
    return { duration: commitment, aim, clock: spanClock, ...(commitmentFirst ? { commitmentFirst } : {}) };
  }
  if (bounds.length > 2) throw new SlaConfigError(path, `"${written}" is not a target; ${TARGET_HINT}`);
  return { duration: duration(written, path), clock: spanClock };
}

/** A level's target as written (see {@link TargetConfig}); null when it states none. */
function target(value: unknown, targetClock: SlaClock, graceMs: number, path: ConfigPath): SlaTarget | null {
  if (value === undefined) return null;
  if (!isRecord(value) || isLabelled(value)) return span(value, targetClock, graceMs, path);
  for (const key of Object.keys(value)) {
    if (key !== 'in_hours' && key !== 'out_of_hours') throw new SlaConfigError([...path, key], 'unknown key: a target that depends on the start has in_hours and out_of_hours');
  }
  if (!('in_hours' in value)) throw new SlaConfigError([...path, 'in_hours'], `is required; ${TARGET_HINT}`);
  if (!('out_of_hours' in value)) throw new SlaConfigError([...path, 'out_of_hours'], `is required; ${TARGET_HINT}`);
  if (targetClock !== 'business') throw new SlaConfigError(path, 'in-hours and out-of-hours targets need the business clock (the in-hours one counts service hours, the out-of-hours one wall time)');
  const inHours = span(value.in_hours, 'business', graceMs, [...path, 'in_hours']);
  const outOfHours = span(value.out_of_hours, 'always', graceMs, [...path, 'out_of_hours']);
  if (inHours === null) throw new SlaConfigError([...path, 'in_hours'], 'an in-hours target cannot be "N/A" (leave the target out instead)');
  return outOfHours === null ? inHours : { ...inHours, outOfHours };
}

/**
 * Validates one severity level from the configuration.
 * @throws SlaConfigError with `path` relative to the level object.
 */
export function compileSeverityPolicy(config: SeverityPolicyConfig, options: SeverityPolicyOptions = {}): SeverityPolicy {
  const raw: unknown = config;
  const graceMs = options.immediateGraceMs ?? DEFAULT_IMMEDIATE_GRACE_MS;
  if (!isRecord(raw)) throw new SlaConfigError([], 'expected a severity level object');
  if (typeof raw.level !== 'number' || !Number.isInteger(raw.level) || raw.level < 1 || raw.level > 9) {
    throw new SlaConfigError(['level'], 'expected a whole number from 1 (most severe) to 9');
  }
  const color = raw.color ?? DEFAULT_COLORS[raw.level] ?? FALLBACK_COLOR;
  if (typeof color !== 'string' || !/^#[0-9a-fA-F]{6}$/.test(color)) {
    throw new SlaConfigError(['color'], `expected a colour written #rrggbb, got ${JSON.stringify(raw.color)}`);
  }
  const impact = raw.statuspage_impact ?? defaultStatuspageImpact(raw.level);
  if (!IMPACTS.includes(impact as StatuspageImpact)) throw new SlaConfigError(['statuspage_impact'], `expected one of ${IMPACTS.join(', ')}, got ${JSON.stringify(impact)}`);
  const both = clock(raw.clock, 'business', ['clock']);
  return {
    level: raw.level,
    name: text(raw.name, ['name']),
    description: text(raw.description, ['description']),
    color: color.toLowerCase(),
    response: target(raw.response, clock(raw.response_clock, both, ['response_clock']), graceMs, ['response']),
    resolution: target(raw.resolution, clock(raw.resolution_clock, both, ['resolution_clock']), graceMs, ['resolution']),
    ...(raw.average_restoration !== undefined ? { averageRestoration: duration(raw.average_restoration, ['average_restoration']) } : {}),
    statuspageImpact: impact as StatuspageImpact,
  };
}

/**
 * Validates the list of severity levels: each level as in {@link compileSeverityPolicy}, levels
 * unique. Returns them sorted by level. Error paths start with the list index.
 */
export function compileSeverityPolicies(configs: readonly SeverityPolicyConfig[], options: SeverityPolicyOptions = {}): SeverityPolicy[] {
  if (!Array.isArray(configs) || configs.length === 0) throw new SlaConfigError([], 'expected a non-empty list of severity levels');
  const seen = new Map<number, number>();
  const policies = configs.map((config, index) => {
    let policy: SeverityPolicy;
    try {
      policy = compileSeverityPolicy(config, options);
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
