import { effectiveMaintenanceStatus } from '../status/derive.ts';
import type { PublishedState } from '../status/read-model.ts';

/**
 * What the clock alone changes in the published state, with no write: a window starting or ending, and an SLA target
 * passing while unmet (the incident is then shown as breached, open or not: a response never posted is breached
 * once its due time passes). Nothing else shown depends on the time of the rebuild.
 */
const unmetTargets = (state: PublishedState) =>
  state.incidents.flatMap((i) => [i.respondedAt ? null : i.responseDueAt, i.resolvedAt ? null : i.resolutionDueAt]);

/**
 * The next instant after `now` at which the published state changes by the clock alone: a window starting or
 * ending, or an unmet response or resolution target passing. Null when nothing is due.
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
  for (const due of unmetTargets(state)) consider(due);
  return Number.isFinite(next) ? new Date(next) : null;
}

/**
 * What the clock decides in the state at `now`: each window's effective status and whether each unmet target has
 * passed (the same comparison as the `sla` view's). Two instants with the same facts show the same state, so a
 * document that depends on the clock only through them is built again only when they change.
 */
export function clockFacts(state: PublishedState, now: Date): string {
  const t = now.getTime();
  const windows = state.maintenances.map((m) => effectiveMaintenanceStatus(m, now).slice(0, 2)).join(',');
  const targets = unmetTargets(state)
    .map((due) => (due === null ? '-' : t > due.getTime() ? '1' : '0'))
    .join('');
  return `${windows}|${targets}`;
}
