/**
 * The single place where upstream words become Vigía's vocabulary. Words are compared case-insensitively, with
 * spaces and hyphens read as underscores ("Major Outage", "major-outage" and "MAJOR_OUTAGE" are the same word).
 *
 * A word no table knows is never read as "operational": the lookups return null, the adapter uses `unknown` (or an
 * inference it documents) and reports the raw word in the snapshot's `unknownWords`.
 */
import { COMPONENT_STATE_RANK, type ComponentState, type IncidentStatus, type PageIndicator, type Severity, type UpstreamMaintenanceStatus } from '../core/vocabulary.ts';

export interface WordRow<T> {
  word: string;
  value: T;
  /** Which upstream formats use the word, for the README and for whoever extends the table. */
  sources: string;
}

/** The four levels a provider's incident is read as (a policy may declare more of its own). */
export const SEVERITY_MEANING: Readonly<Record<1 | 2 | 3 | 4, string>> = {
  1: 'critical: total outage',
  2: 'high: partial outage',
  3: 'medium: degraded',
  4: 'low: information',
};

/** Upstream impact words → Vigía severity. */
export const SEVERITY_TABLE: readonly WordRow<Severity>[] = [
  { word: 'critical', value: 1, sources: 'Statuspage impact' },
  { word: 'major_outage', value: 1, sources: 'Statuspage component status' },
  { word: 'full_outage', value: 1, sources: 'incident.io impact' },
  { word: 'SERVICE_OUTAGE', value: 1, sources: 'Google status_impact' },
  { word: 'high', value: 1, sources: 'Google severity (used only without status_impact)' },
  { word: 'MAJOROUTAGE', value: 1, sources: 'Instatus impact' },
  { word: 'major', value: 2, sources: 'Statuspage impact' },
  { word: 'partial_outage', value: 2, sources: 'Statuspage component status, incident.io impact' },
  { word: 'SERVICE_DISRUPTION', value: 2, sources: 'Google status_impact' },
  { word: 'medium', value: 2, sources: 'Google severity (used only without status_impact)' },
  { word: 'PARTIALOUTAGE', value: 2, sources: 'Instatus impact' },
  { word: 'minor', value: 3, sources: 'Statuspage impact' },
  { word: 'degraded_performance', value: 3, sources: 'Statuspage component status, incident.io impact' },
  { word: 'MINOROUTAGE', value: 3, sources: 'Instatus impact' },
  { word: 'DEGRADEDPERFORMANCE', value: 3, sources: 'Instatus impact' },
  { word: 'none', value: 4, sources: 'Statuspage impact' },
  { word: 'SERVICE_INFORMATION', value: 4, sources: 'Google status_impact' },
  { word: 'low', value: 4, sources: 'Google severity (used only without status_impact)' },
  { word: 'OPERATIONAL', value: 4, sources: 'Instatus impact (an incident that affects no component)' },
];

/** Upstream component words → component state. */
export const COMPONENT_STATE_TABLE: readonly WordRow<ComponentState>[] = [
  { word: 'operational', value: 'operational', sources: 'Statuspage, incident.io, Instatus, Better Stack' },
  { word: 'degraded_performance', value: 'degraded_performance', sources: 'Statuspage, incident.io' },
  { word: 'DEGRADEDPERFORMANCE', value: 'degraded_performance', sources: 'Instatus' },
  { word: 'MINOROUTAGE', value: 'degraded_performance', sources: 'Instatus (same level as its impact: medium)' },
  { word: 'degraded', value: 'degraded_performance', sources: 'Better Stack' },
  { word: 'partial_outage', value: 'partial_outage', sources: 'Statuspage, incident.io' },
  { word: 'PARTIALOUTAGE', value: 'partial_outage', sources: 'Instatus' },
  { word: 'major_outage', value: 'major_outage', sources: 'Statuspage' },
  { word: 'full_outage', value: 'major_outage', sources: 'incident.io' },
  { word: 'MAJOROUTAGE', value: 'major_outage', sources: 'Instatus' },
  { word: 'downtime', value: 'major_outage', sources: 'Better Stack' },
  { word: 'under_maintenance', value: 'under_maintenance', sources: 'Statuspage, incident.io' },
  { word: 'UNDERMAINTENANCE', value: 'under_maintenance', sources: 'Instatus' },
  { word: 'maintenance', value: 'under_maintenance', sources: 'Better Stack' },
  { word: 'not_monitored', value: 'unknown', sources: 'Better Stack (a known word that says "no data")' },
];

export const INCIDENT_STATUS_TABLE: readonly WordRow<IncidentStatus>[] = [
  { word: 'investigating', value: 'investigating', sources: 'Statuspage, incident.io, Instatus' },
  { word: 'identified', value: 'identified', sources: 'Statuspage, incident.io, Instatus' },
  { word: 'monitoring', value: 'monitoring', sources: 'Statuspage, incident.io, Instatus' },
  { word: 'resolved', value: 'resolved', sources: 'Statuspage, Instatus' },
  { word: 'postmortem', value: 'postmortem', sources: 'Statuspage' },
];

export const MAINTENANCE_STATUS_TABLE: readonly WordRow<UpstreamMaintenanceStatus>[] = [
  { word: 'scheduled', value: 'scheduled', sources: 'Statuspage' },
  { word: 'in_progress', value: 'in_progress', sources: 'Statuspage' },
  { word: 'verifying', value: 'verifying', sources: 'Statuspage' },
  { word: 'completed', value: 'completed', sources: 'Statuspage, Instatus' },
  { word: 'maintenance_scheduled', value: 'scheduled', sources: 'incident.io' },
  { word: 'maintenance_in_progress', value: 'in_progress', sources: 'incident.io' },
  { word: 'maintenance_complete', value: 'completed', sources: 'incident.io' },
  { word: 'NOTSTARTEDYET', value: 'scheduled', sources: 'Instatus' },
  { word: 'INPROGRESS', value: 'in_progress', sources: 'Instatus' },
];

export const PAGE_INDICATOR_TABLE: readonly WordRow<PageIndicator>[] = [
  { word: 'none', value: 'none', sources: 'Statuspage' },
  { word: 'minor', value: 'minor', sources: 'Statuspage' },
  { word: 'major', value: 'major', sources: 'Statuspage' },
  { word: 'critical', value: 'critical', sources: 'Statuspage' },
  { word: 'maintenance', value: 'maintenance', sources: 'Statuspage' },
  { word: 'UP', value: 'none', sources: 'Instatus' },
  // Instatus only says "something is wrong"; the least alarming non-green indicator avoids overstating it.
  { word: 'HASISSUES', value: 'minor', sources: 'Instatus' },
  { word: 'UNDERMAINTENANCE', value: 'maintenance', sources: 'Instatus' },
];

/** Lower case; spaces and hyphens as underscores. */
export function normalizeWord(word: string): string {
  return word.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

function indexTable<T>(table: readonly WordRow<T>[]): ReadonlyMap<string, T> {
  const index = new Map<string, T>();
  for (const row of table) {
    const key = normalizeWord(row.word);
    if (index.has(key)) throw new Error(`word "${row.word}" appears twice in a mapping table`);
    index.set(key, row.value);
  }
  return index;
}

const severityIndex = indexTable(SEVERITY_TABLE);
const componentStateIndex = indexTable(COMPONENT_STATE_TABLE);
const incidentStatusIndex = indexTable(INCIDENT_STATUS_TABLE);
const maintenanceStatusIndex = indexTable(MAINTENANCE_STATUS_TABLE);
const pageIndicatorIndex = indexTable(PAGE_INDICATOR_TABLE);

function lookup<T>(index: ReadonlyMap<string, T>, word: string | null | undefined): T | null {
  if (typeof word !== 'string') return null;
  return index.get(normalizeWord(word)) ?? null;
}

/** null: the word is unknown (or absent). */
export function severityForWord(word: string | null | undefined): Severity | null {
  return lookup(severityIndex, word);
}

/** null: the word is unknown (or absent). Callers use `unknown` and report the word. */
export function componentStateForWord(word: string | null | undefined): ComponentState | null {
  return lookup(componentStateIndex, word);
}

export function incidentStatusForWord(word: string | null | undefined): IncidentStatus | null {
  return lookup(incidentStatusIndex, word);
}

export function maintenanceStatusForWord(word: string | null | undefined): UpstreamMaintenanceStatus | null {
  return lookup(maintenanceStatusIndex, word);
}

export function pageIndicatorForWord(word: string | null | undefined): PageIndicator | null {
  return lookup(pageIndicatorIndex, word);
}

/** How bad a component state is, as a severity; null for states that are not an outage. */
export function severityForState(state: ComponentState): Severity | null {
  switch (state) {
    case 'major_outage':
      return 1;
    case 'partial_outage':
      return 2;
    case 'degraded_performance':
      return 3;
    default:
      return null;
  }
}

/** The component state an incident of this severity implies for the components it affects. */
export function stateForSeverity(severity: Severity | null): ComponentState {
  switch (severity) {
    case 1:
      return 'major_outage';
    case 2:
      return 'partial_outage';
    case 3:
      return 'degraded_performance';
    case 4:
      return 'operational';
    default:
      return 'unknown';
  }
}

/** The most severe of the given severities (1 beats 4); null if none is known. */
export function worstSeverity(...severities: (Severity | null | undefined)[]): Severity | null {
  let worst: Severity | null = null;
  for (const severity of severities) {
    if (severity == null) continue;
    if (worst === null || severity < worst) worst = severity;
  }
  return worst;
}

/** The worse of two reports of one component's state (`COMPONENT_STATE_RANK`: a known state beats `unknown`, which beats only `operational`). */
export function worseState(a: ComponentState, b: ComponentState): ComponentState {
  return COMPONENT_STATE_RANK[b] > COMPONENT_STATE_RANK[a] ? b : a;
}

/**
 * Severity of a Statuspage-style incident. Some pages publish impact `none` while the affected components sit in
 * major_outage (the impact is set by hand, component states are what users see). For an unresolved incident we take
 * the worse of the impact and the states of the components it lists. For a resolved one the components' current
 * states say nothing about the incident, so the impact alone decides.
 */
export function incidentSeverity(input: {
  impactSeverity: Severity | null;
  componentStates: readonly ComponentState[];
  resolved: boolean;
}): Severity | null {
  if (input.resolved) return input.impactSeverity;
  return worstSeverity(input.impactSeverity, ...input.componentStates.map(severityForState));
}

/** The severity table as Markdown, for the README. */
export function severityTableMarkdown(): string {
  const lines = ['| Upstream word | Vigía severity | Where it comes from |', '| --- | --- | --- |'];
  for (const row of SEVERITY_TABLE) {
    lines.push(`| \`${row.word}\` | ${row.value} (${SEVERITY_MEANING[row.value as 1 | 2 | 3 | 4]}) | ${row.sources} |`);
  }
  return lines.join('\n');
}
