import { effectiveMaintenanceStatus, isOpenIncident } from '../status/derive.ts';
import type { PublishedState } from '../status/read-model.ts';

/**
 * The next instant after `now` at which the published state changes by the clock alone, with no write:
 * a window starting or ending, or an open incident's response or resolution target passing (it is then shown as
 * breached). Null when nothing is due.
 */
export function nextTimeDrivenChange(state: PublishedState, now: Date): Date | null {
  const t = now.getTime();
  let next = Infinity;
  const consider = (at: Date | null | undefined) => {
    const ms = at?.getTime();
    if (ms !== undefined && ms > t && ms < next) next = ms;
  };
  for (const m of state.maintenances) {
    const status = effectiveMaintenanceStatus(m, now);
    if (status === 'scheduled') consider(m.startsAt);
    if (status === 'scheduled' || status === 'in_progress' || status === 'verifying') consider(m.endsAt);
  }
  for (const i of state.incidents) {
    if (!isOpenIncident(i)) continue;
    if (!i.respondedAt) consider(i.responseDueAt);
    if (!i.resolvedAt) consider(i.resolutionDueAt);
  }
  return Number.isFinite(next) ? new Date(next) : null;
}
