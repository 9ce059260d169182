/**
 * How Vigía's severities and component states map onto the value sets of Atlassian Statuspage's public v2 API,
 * which Vigía's public API keeps (the value sets themselves are in `worker/core/vocabulary.ts`).
 */
import { COMPONENT_STATE_RANK, type ComponentStatus, type Indicator, type Locale, type Severity } from '../core/vocabulary.ts';

/** Statuspage `impact` for a Vigía severity. */
/** Statuspage `impact` for a severity when the policy does not say (`statuspage_impact`): 1 critical … 4 and beyond none. */
export const IMPACT_BY_SEVERITY: Record<Severity, Indicator> = { 1: 'critical', 2: 'major', 3: 'minor', 4: 'none', 5: 'none', 6: 'none', 7: 'none', 8: 'none', 9: 'none' };

/** The component state an incident of a given severity implies when the admin does not say. */
export const COMPONENT_STATUS_BY_SEVERITY: Record<Severity, ComponentStatus> = {
  1: 'major_outage',
  2: 'partial_outage',
  3: 'degraded_performance',
  4: 'operational',
  5: 'operational',
  6: 'operational',
  7: 'operational',
  8: 'operational',
  9: 'operational',
};

/** The component state a level's Statuspage impact implies: the policy's own mapping of levels to states. */
export const COMPONENT_STATUS_BY_IMPACT: Record<Indicator, ComponentStatus> = {
  critical: 'major_outage',
  major: 'partial_outage',
  minor: 'degraded_performance',
  none: 'operational',
};

export const INDICATOR_BY_COMPONENT_STATUS: Record<ComponentStatus, Indicator> = {
  operational: 'none',
  under_maintenance: 'none',
  degraded_performance: 'minor',
  partial_outage: 'major',
  major_outage: 'critical',
};

export const INDICATOR_RANK: Record<Indicator, number> = { none: 0, minor: 1, major: 2, critical: 3 };

export const INDICATOR_DESCRIPTION: Record<Indicator, Record<Locale, string>> = {
  none: { en: 'All Systems Operational', es: 'Todos los sistemas operativos', 'pt-BR': 'Todos os sistemas operacionais' },
  minor: { en: 'Minor Service Outage', es: 'Falla menor del servicio', 'pt-BR': 'Falha menor do serviço' },
  major: { en: 'Partial System Outage', es: 'Interrupción parcial del sistema', 'pt-BR': 'Interrupção parcial do sistema' },
  critical: { en: 'Major Service Outage', es: 'Interrupción mayor del servicio', 'pt-BR': 'Interrupção grave do serviço' },
};

/** The worst of one component's statuses (several incidents and sources), in `COMPONENT_STATE_RANK`'s order. */
export function worstComponentStatus(statuses: Iterable<ComponentStatus>): ComponentStatus {
  let worst: ComponentStatus = 'operational';
  for (const status of statuses) if (COMPONENT_STATE_RANK[status] > COMPONENT_STATE_RANK[worst]) worst = status;
  return worst;
}
