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
  /** 'staff', 'upstream' or 'system' (see the incident_updates table). */
  author?: string;
}

/** When an incident was recorded, and whether it came from a provider. */
export interface IncidentOrigin {
  createdAt: Date;
  sourceId?: string | null;
  upstreamId?: string | null;
}

export type Displayed<T> = T & { displayAt: Date };

/**
 * The opening post: the staff update written with an admin-opened incident (same instant). An update dated in the
 * past (`at`) is stored at that date, so "the earliest" would not find it. A provider's incident has none: its
 * updates carry the provider's own times, and Vigía's notes on it (author 'system') stay where they were written.
 */
function openingPost<T extends TimelineUpdate>(incident: IncidentOrigin, updates: readonly T[]): T | undefined {
  // A provider's incident (still watched, or kept after its source was removed) has no opening post of ours.
  if (incident.sourceId || incident.upstreamId) return undefined;
  return updates.find((u) => (u.author ?? 'staff') === 'staff' && u.createdAt.getTime() === incident.createdAt.getTime());
}

/**
 * Each update with its display time, newest first. The opening post of an incident that started before it was
 * opened is shown at the start; nothing else moves. At the same display time the opening post comes last (it is
 * what happened first), then the later written first.
 */
export function displayTimeline<T extends TimelineUpdate>(incident: IncidentOrigin & { startedAt: Date }, updates: readonly T[]): Displayed<T>[] {
  const opening = incident.startedAt.getTime() < incident.createdAt.getTime() ? openingPost(incident, updates) : undefined;
  const isOpening = (u: Displayed<T>) => (u.id === opening?.id ? 1 : 0);
  return updates
    .map((u): Displayed<T> => ({ ...u, displayAt: u === opening ? incident.startedAt : u.createdAt }))
    .sort((a, b) => b.displayAt.getTime() - a.displayAt.getTime() || isOpening(a) - isOpening(b) || b.createdAt.getTime() - a.createdAt.getTime());
}
