import type { IncidentView, MaintenanceView, PublishedState, SourceRow } from './views.ts';
import { isClosedStatus, isComponentStatus, isUnderWay, type ComponentState, type ComponentStatus, type Indicator, type MaintenanceStatus } from '../core/vocabulary.ts';
import { INDICATOR_BY_COMPONENT_STATUS, INDICATOR_RANK, worstComponentStatus } from './vocabulary.ts';

/**
 * A window moves by itself: scheduled → in_progress at its start, → completed at its end,
 * even before the job that records those transitions has run.
 */
export function effectiveMaintenanceStatus(m: Pick<MaintenanceView, 'status' | 'startsAt' | 'endsAt'>, now: Date): MaintenanceStatus {
  const t = now.getTime();
  if (m.status === 'cancelled' || m.status === 'completed') return m.status;
  if (t >= m.endsAt.getTime()) return 'completed';
  if (m.status === 'scheduled' && t >= m.startsAt.getTime()) return 'in_progress';
  return m.status;
}

export interface ComponentCondition {
  /** Statuspage-compatible status. */
  status: ComponentStatus;
  /** Vigía's state: the status, or `unknown` when a feeding source cannot be read and nothing worse is known. */
  state: ComponentState;
  /** Since when the state is unknown (the oldest failing source's last success, or its first failure). */
  unknownSince: Date | null;
}

/** What of a source a component's condition depends on. */
export type SourceCondition = Pick<SourceRow, 'paused' | 'state' | 'stateSince' | 'createdAt'>;

/** The part of the published state that components' conditions depend on. */
export interface ConditionInputs {
  components: PublishedState['components'];
  sourcesByComponent: Map<string, SourceCondition[]>;
  incidents: Pick<IncidentView, 'status' | 'components'>[];
  maintenances: Pick<MaintenanceView, 'status' | 'startsAt' | 'endsAt' | 'componentIds'>[];
}

/** Each component's condition from open incidents, in-progress maintenance and the sources feeding it. */
export function componentConditions(state: ConditionInputs, now: Date): Map<string, ComponentCondition> {
  const fromIncidents = new Map<string, ComponentStatus[]>();
  for (const incident of state.incidents) {
    if (isClosedStatus(incident.status)) continue;
    for (const c of incident.components) {
      if (!isComponentStatus(c.status)) continue;
      const list = fromIncidents.get(c.componentId) ?? [];
      list.push(c.status);
      fromIncidents.set(c.componentId, list);
    }
  }
  const inMaintenance = new Set<string>();
  for (const m of state.maintenances) {
    const status = effectiveMaintenanceStatus(m, now);
    if (isUnderWay(status)) m.componentIds.forEach((id) => inMaintenance.add(id));
  }

  const result = new Map<string, ComponentCondition>();
  for (const component of state.components) {
    const sources = (state.sourcesByComponent.get(component.id) ?? []).filter((s) => !s.paused);
    const known = sources.map((s) => s.state).filter(isComponentStatus);
    let status = worstComponentStatus([...(fromIncidents.get(component.id) ?? []), ...known]);
    if (status === 'operational' && inMaintenance.has(component.id)) status = 'under_maintenance';
    const unknownSources = sources.filter((s) => s.state === 'unknown');
    const unknown = status === 'operational' && unknownSources.length > 0;
    result.set(component.id, {
      status,
      state: unknown ? 'unknown' : status,
      unknownSince: unknown ? oldestUnknownSince(unknownSources) : null,
    });
  }
  return result;
}

function oldestUnknownSince(sources: SourceCondition[]): Date | null {
  const times = sources.map((s) => (s.stateSince ?? s.createdAt).getTime());
  return times.length ? new Date(Math.min(...times)) : null;
}

/** The page indicator, as Statuspage computes it: from the worst component status. */
export function pageIndicator(conditions: Iterable<ComponentCondition>): Indicator {
  let worst: Indicator = 'none';
  for (const c of conditions) {
    const indicator = INDICATOR_BY_COMPONENT_STATUS[c.status];
    if (INDICATOR_RANK[indicator] > INDICATOR_RANK[worst]) worst = indicator;
  }
  return worst;
}

export const isOpenIncident = (i: IncidentView) => !isClosedStatus(i.status);
