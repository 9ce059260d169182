/**
 * The promise: a maintenance window is announced at least `minNotice` before it starts.
 * Pure functions; the service applies them when a window is scheduled or moved earlier.
 */

const QUARTER_HOUR = 15 * 60_000;

/** The earliest start a window scheduled (or moved earlier) at `now` may have. */
export function earliestAllowedStart(now: Date, minNotice: number): Date {
  return new Date(now.getTime() + minNotice);
}

export type NoticeRuleVerdict = { ok: true } | { ok: false; earliestAllowedStart: Date; shortBy: number };

/** Whether a window starting at `startsAt`, announced at `now`, gives the required notice. */
export function checkNoticeRule(startsAt: Date, now: Date, minNotice: number): NoticeRuleVerdict {
  const earliest = earliestAllowedStart(now, minNotice);
  if (startsAt.getTime() >= earliest.getTime()) return { ok: true };
  return { ok: false, earliestAllowedStart: earliest, shortBy: earliest.getTime() - startsAt.getTime() };
}

/** The last instant at which the provider may accept an announcement for a window starting at `startsAt`. */
export function noticeDeadline(startsAt: Date, minNotice: number): Date {
  return new Date(startsAt.getTime() - minNotice);
}

/** A start to offer when a notice went out late: the earliest allowed start, rounded up to the next quarter hour. */
export function suggestedStart(now: Date, minNotice: number): Date {
  const earliest = now.getTime() + minNotice;
  return new Date(Math.ceil(earliest / QUARTER_HOUR) * QUARTER_HOUR);
}

/** "8h", "7h59m", "45m", "30s": how config durations are written, for messages. */
export function formatDuration(ms: number): string {
  const totalSeconds = Math.round(Math.abs(ms) / 1000);
  const d = Math.floor(totalSeconds / 86_400);
  const h = Math.floor((totalSeconds % 86_400) / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  const parts = [d && `${d}d`, h && `${h}h`, m && `${m}m`, s && `${s}s`].filter(Boolean);
  return (ms < 0 ? '-' : '') + (parts.length ? parts.join('') : '0s');
}

/** The 422 message for a start that comes too soon. */
export function noticeTooShortMessage(startsAt: Date, now: Date, minNotice: number, earliest: Date): string {
  const lead = startsAt.getTime() - now.getTime();
  const given = lead <= 0 ? 'is not in the future' : `is only ${formatDuration(lead)} from now`;
  return (
    `starts_at ${startsAt.toISOString()} ${given}; maintenance must be announced at least ${formatDuration(minNotice)} ahead: ` +
    `earliest allowed start is ${earliest.toISOString()}`
  );
}
