/** The notice rule as the maintenance form applies it before sending, so an early start is refused at the field. Pure. */

export type StartVerdict = { ok: true } | { ok: false; reason: 'missing' } | { ok: false; reason: 'too_soon'; earliest: string };

/** Whether a window starting at `startIso`, scheduled at `now`, gives subscribers `minNoticeMs` of notice. */
export function startVerdict(startIso: string | undefined, now: number, minNoticeMs: number): StartVerdict {
  if (!startIso || Number.isNaN(Date.parse(startIso))) return { ok: false, reason: 'missing' };
  const earliest = now + minNoticeMs;
  return Date.parse(startIso) >= earliest ? { ok: true } : { ok: false, reason: 'too_soon', earliest: new Date(earliest).toISOString() };
}
