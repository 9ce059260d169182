import type { ComponentState } from '../core/vocabulary.ts';

/**
 * Background colours of badges and the widget's dot. White text on each has a contrast of at least 4.5:1
 * (WCAG AA for small text): 5.1, 5.9, 5.0, 6.6, 6.7 and 6.1.
 */
export const STATE_COLOR: Record<ComponentState, string> = {
  operational: '#1a7f37',
  degraded_performance: '#8a5a00',
  partial_outage: '#bc4c00',
  major_outage: '#b42318',
  under_maintenance: '#0b5cad',
  unknown: '#5c636a',
};
