/**
 * The order a reader sees an incident's updates in. Pure.
 *
 * An incident can be opened after it started (`started_at` back-dated) and be given updates dated in the past
 * (`at`). Ordered by when they were written, the opening post (written now) would sit above the previous day's
 * "Resolved", and the card's latest text would be the opening one. Ordered by display time instead, with the opening
 * post of a back-dated incident shown at the incident's start, the timeline reads in the order things happened.
 * `created_at` keeps when each was written (the SLA's response time is measured from it).
 */
export interface TimelineUpdate {
  id: string;
  createdAt: Date;
}

export type Displayed<T> = T & { displayAt: Date };

/**
 * The opening post: the update written with the incident (same instant). An update dated in the past (`at`) is
 * stored at that date, so "the earliest" would not find it.
 */
function openingPost<T extends TimelineUpdate>(incident: { createdAt: Date }, updates: readonly T[]): T | undefined {
  return updates.find((u) => u.createdAt.getTime() === incident.createdAt.getTime());
}

/**
 * Each update with its display time, newest first. The opening post of an incident that started before it was
 * opened is shown at the start; nothing else moves. At the same display time the opening post comes last (it is
 * what happened first), then the later written first.
 */
export function displayTimeline<T extends TimelineUpdate>(
  incident: { createdAt: Date; startedAt: Date; upstreamId?: string | null },
  updates: readonly T[],
): Displayed<T>[] {
  // A provider's incident has no opening post of ours: its updates carry the provider's own times, and a note Vigía
  // adds later (e.g. "no longer watched") must not be taken for one because it was written in the same instant.
  const backDated = incident.startedAt.getTime() < incident.createdAt.getTime() && !incident.upstreamId;
  const opening = backDated ? openingPost(incident, updates) : undefined;
  const isOpening = (u: Displayed<T>) => (u.id === opening?.id ? 1 : 0);
  return updates
    .map((u): Displayed<T> => ({ ...u, displayAt: u === opening ? incident.startedAt : u.createdAt }))
    .sort((a, b) => b.displayAt.getTime() - a.displayAt.getTime() || isOpening(a) - isOpening(b) || b.createdAt.getTime() - a.createdAt.getTime());
}
