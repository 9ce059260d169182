/**
 * How often the public form may make us mail one address. Kept in the subscriber's row (not in
 * memory) so every process sharing the database holds the same line, and the form cannot be used
 * to flood someone's inbox.
 */
export const REQUEST_MAIL_COOLDOWN_MS = 10 * 60_000;
export const REQUEST_MAIL_DAILY_CAP = 5;
const DAY_MS = 24 * 3_600_000;

export interface RequestMailState {
  lastAt: Date | null;
  windowStart: Date | null;
  count: number;
}

/** The counters after sending one more mail now, or null when this address has had enough for now. */
export function claimRequestMail(state: RequestMailState, now: Date): RequestMailState | null {
  const t = now.getTime();
  if (state.lastAt && t - state.lastAt.getTime() < REQUEST_MAIL_COOLDOWN_MS) return null;
  const windowOpen = state.windowStart !== null && t - state.windowStart.getTime() < DAY_MS;
  if (windowOpen && state.count >= REQUEST_MAIL_DAILY_CAP) return null;
  return windowOpen
    ? { lastAt: now, windowStart: state.windowStart, count: state.count + 1 }
    : { lastAt: now, windowStart: now, count: 1 };
}
