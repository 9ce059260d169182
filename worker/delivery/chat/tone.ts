import { STATE_COLOR } from '../../embeds/colors.ts';

/**
 * How a notice should look at a glance, whatever the channel: its colour in Discord, its title's colour in Teams.
 * Incidents by severity, windows by state, admin alerts by urgency.
 */
export type Tone = 'critical' | 'major' | 'minor' | 'info' | 'maintenance' | 'resolved' | 'cancelled' | 'warning' | 'danger' | 'neutral';

/** An incident's tone: severity 1 critical … 4 information. */
export function severityTone(level: number): Tone {
  return level <= 1 ? 'critical' : level === 2 ? 'major' : level === 3 ? 'minor' : 'info';
}

/** The badges' colours (white text on each passes WCAG AA), so a chat message matches the page. */
export const TONE_COLOR: Record<Tone, string> = {
  critical: STATE_COLOR.major_outage,
  major: STATE_COLOR.partial_outage,
  minor: STATE_COLOR.degraded_performance,
  info: STATE_COLOR.unknown,
  maintenance: STATE_COLOR.under_maintenance,
  resolved: STATE_COLOR.operational,
  cancelled: STATE_COLOR.unknown,
  warning: STATE_COLOR.degraded_performance,
  danger: STATE_COLOR.major_outage,
  neutral: STATE_COLOR.under_maintenance,
};
