/**
 * The dashboard's SLA countdowns: which target of an open incident is running, how long is left (or how long ago it
 * was missed), and the order the dashboard lists incidents in (missed first, then the nearest deadline). Pure.
 */

export interface IncidentSla {
  response_due_at: string | null;
  resolution_due_at: string | null;
  responded_at: string | null;
}

export interface Countdown {
  target: 'response' | 'resolution';
  dueAt: string;
  /** Milliseconds left; negative once missed. */
  leftMs: number;
  missed: boolean;
}

/** The running target: the response until there is one, then the resolution. `null` when neither has a deadline. */
export function runningTarget(sla: IncidentSla, now: number): Countdown | null {
  const target = sla.responded_at === null && sla.response_due_at ? 'response' : sla.resolution_due_at ? 'resolution' : null;
  if (!target) return null;
  const dueAt = (target === 'response' ? sla.response_due_at : sla.resolution_due_at)!;
  const leftMs = Date.parse(dueAt) - now;
  return { target, dueAt, leftMs, missed: leftMs < 0 };
}

/** Missed targets first (the longest missed on top), then the nearest deadline; no deadline last. */
export function byUrgency<T extends { sla: IncidentSla }>(incidents: readonly T[], now: number): T[] {
  const key = (i: T) => runningTarget(i.sla, now)?.leftMs ?? Number.POSITIVE_INFINITY;
  return [...incidents].sort((a, b) => key(a) - key(b));
}

/** "2 h 05 min", "45 min", "3 d 4 h": a length of time, whole minutes, always positive. */
export function spanWords(ms: number, words: { day: string; hour: string; minute: string }): string {
  const minutes = Math.max(0, Math.floor(Math.abs(ms) / 60_000));
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d) return `${d} ${words.day} ${h} ${words.hour}`;
  if (h) return `${h} ${words.hour} ${String(m).padStart(2, '0')} ${words.minute}`;
  return `${m} ${words.minute}`;
}
