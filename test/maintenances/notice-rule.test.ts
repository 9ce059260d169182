import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkNoticeRule, formatDuration, noticeDeadline, noticeTooShortMessage, suggestedStart } from '../../worker/maintenances/notice-rule.ts';

const H = 3_600_000;
const M = 60_000;
const now = new Date('2026-11-20T15:00:00Z');
const at = (ms: number) => new Date(now.getTime() + ms);

describe('the notice rule', () => {
  it('refuses 7 h 59 min and accepts exactly 8 h and 8 h 1 min', () => {
    expect(checkNoticeRule(at(7 * H + 59 * M), now, 8 * H)).toEqual({ ok: false, earliestAllowedStart: at(8 * H), shortBy: M });
    expect(checkNoticeRule(at(8 * H), now, 8 * H)).toEqual({ ok: true });
    expect(checkNoticeRule(at(8 * H + M), now, 8 * H)).toEqual({ ok: true });
  });

  it('is monotone: any later start than an accepted one is accepted (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -48 * H, max: 48 * H }), fc.integer({ min: 0, max: 48 * H }), fc.integer({ min: 0, max: 24 * H }), (lead, later, minNotice) => {
        const first = checkNoticeRule(at(lead), now, minNotice);
        if (first.ok) expect(checkNoticeRule(at(lead + later), now, minNotice).ok).toBe(true);
        else expect(first.earliestAllowedStart.getTime() - at(lead).getTime()).toBe(first.shortBy);
        expect(first.ok).toBe(lead >= minNotice);
      }),
    );
  });

  it('explains itself with the earliest allowed start', () => {
    expect(noticeTooShortMessage(at(7 * H + 59 * M), now, 8 * H, at(8 * H))).toBe(
      'starts_at 2026-11-20T22:59:00.000Z is only 7h59m from now; maintenance must be announced at least 8h ahead: earliest allowed start is 2026-11-20T23:00:00.000Z',
    );
  });

  it('the deadline for acceptance is start − min_notice', () => {
    expect(noticeDeadline(at(10 * H), 8 * H)).toEqual(at(2 * H));
  });

  it('suggests now + min_notice rounded up to the next quarter hour', () => {
    expect(suggestedStart(new Date('2026-11-20T15:07:12Z'), 8 * H).toISOString()).toBe('2026-11-20T23:15:00.000Z');
    expect(suggestedStart(new Date('2026-11-20T15:00:00Z'), 8 * H).toISOString()).toBe('2026-11-20T23:00:00.000Z');
    expect(suggestedStart(new Date('2026-11-20T15:45:00.001Z'), 8 * H).toISOString()).toBe('2026-11-21T00:00:00.000Z');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000_000 }), (t) => {
        const s = suggestedStart(new Date(t), 8 * H).getTime();
        expect(s % (15 * M)).toBe(0);
        expect(s).toBeGreaterThanOrEqual(t + 8 * H);
        expect(s - (t + 8 * H)).toBeLessThan(15 * M);
      }),
    );
  });

  it('writes durations the way the config does', () => {
    expect([formatDuration(8 * H), formatDuration(7 * H + 59 * M), formatDuration(30_000), formatDuration(0), formatDuration(26 * H)]).toEqual(['8h', '7h59m', '30s', '0s', '1d2h']);
  });
});
