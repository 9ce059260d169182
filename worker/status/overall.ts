import type { ComponentCondition } from './derive.ts';
import type { ComponentState } from './vocabulary.ts';

/**
 * Order of the states for a one-word summary, worst last. `unknown` sits above operational and maintenance: a
 * summary never says "operational" while some component cannot be checked, but a known outage still outranks it.
 */
export const STATE_RANK: Record<ComponentState, number> = {
  operational: 0,
  under_maintenance: 1,
  unknown: 2,
  degraded_performance: 3,
  partial_outage: 4,
  major_outage: 5,
};

/** The worst state among the components (Vigía's state, which includes `unknown`). */
export function overallState(conditions: Iterable<Pick<ComponentCondition, 'state'>>): ComponentState {
  let worst: ComponentState = 'operational';
  for (const c of conditions) if (STATE_RANK[c.state] > STATE_RANK[worst]) worst = c.state;
  return worst;
}
