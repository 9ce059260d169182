/**
 * The page's overall state, derived from every component, including those whose state is unknown. Pure.
 *
 * Statuspage's indicator (`none` … `critical`) has no word for "cannot be checked", so a page whose providers
 * cannot be read would show green. Vigía's overall state does: it is never `operational` while any component is
 * unknown, and the summary names what is affected so the banner can say it in words (not by colour alone).
 */
import type { AffectedComponent } from '../core/api-types.ts';
import { PAGE_STATE_RANK, type ComponentState } from '../core/vocabulary.ts';
import type { ComponentCondition } from './derive.ts';
import type { Locale } from '../config/schema.ts';

/** The worst state among the components (Vigía's state, which includes `unknown`), in the page's order (`PAGE_STATE_RANK`). */
export function overallState(conditions: Iterable<Pick<ComponentCondition, 'state'>>): ComponentState {
  let worst: ComponentState = 'operational';
  for (const c of conditions) if (PAGE_STATE_RANK[c.state] > PAGE_STATE_RANK[worst]) worst = c.state;
  return worst;
}

export interface OverallSummary {
  state: ComponentState;
  /** Every component not operational, worst first, then in page order. */
  affected: AffectedComponent[];
  /** How many components the state was derived from, and how many of them are in each state. */
  counts: Record<ComponentState, number> & { total: number };
}

/** The overall state of these components, what is affected, and the counts. A component without a condition is unknown. */
export function overallSummary(components: readonly { id: string; name: string }[], conditions: ReadonlyMap<string, ComponentCondition>): OverallSummary {
  const counts = { total: 0, operational: 0, degraded_performance: 0, partial_outage: 0, major_outage: 0, under_maintenance: 0, unknown: 0 };
  const affected: (AffectedComponent & { position: number })[] = [];
  components.forEach((component, position) => {
    const condition = conditions.get(component.id);
    const state: ComponentState = condition?.state ?? 'unknown';
    counts.total += 1;
    counts[state] += 1;
    if (state !== 'operational') {
      affected.push({ id: component.id, name: component.name, state, unknown_since: condition?.unknownSince?.toISOString() ?? null, position });
    }
  });
  affected.sort((a, b) => PAGE_STATE_RANK[b.state] - PAGE_STATE_RANK[a.state] || a.position - b.position);
  const state = affected[0]?.state ?? 'operational';
  return { state, affected: affected.map(({ position: _, ...rest }) => rest), counts };
}

/** Words for the overall state in the API's `status.description` where the indicator has none (es, en). */
export const STATE_DESCRIPTION: Partial<Record<ComponentState, Record<Locale, string>>> = {
  under_maintenance: { es: 'Mantenimiento en curso', en: 'Service Under Maintenance', 'pt-BR': 'Manutenção em andamento' },
  unknown: { es: 'Estado desconocido de algunos servicios', en: 'Some services cannot be checked', 'pt-BR': 'Status desconhecido de alguns serviços' },
};
