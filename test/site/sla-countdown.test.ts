import { describe, expect, it } from 'vitest';
import { byUrgency, runningTarget, spanWords } from '../../site/scripts/admin/sla-countdown.ts';

const NOW = Date.parse('2026-03-02T15:00:00Z');
const at = (minutes: number) => new Date(NOW + minutes * 60_000).toISOString();
const WORDS = { day: 'd', hour: 'h', minute: 'min' };

describe('SLA countdown', () => {
  it('runs the response target until there is a response, then the resolution', () => {
    expect(runningTarget({ response_due_at: at(30), resolution_due_at: at(300), responded_at: null }, NOW)).toEqual({ target: 'response', dueAt: at(30), leftMs: 30 * 60_000, missed: false });
    expect(runningTarget({ response_due_at: at(-30), resolution_due_at: at(300), responded_at: at(-40) }, NOW)?.target).toBe('resolution');
    expect(runningTarget({ response_due_at: null, resolution_due_at: at(-5), responded_at: null }, NOW)).toMatchObject({ target: 'resolution', missed: true });
    expect(runningTarget({ response_due_at: null, resolution_due_at: null, responded_at: null }, NOW)).toBeNull();
  });

  it('lists missed targets first, the longest missed on top, and incidents without a deadline last', () => {
    const sla = (due: number | null) => ({ sla: { response_due_at: null, resolution_due_at: due === null ? null : at(due), responded_at: at(-100) } });
    const list = [{ id: 'soon', ...sla(20) }, { id: 'none', ...sla(null) }, { id: 'late', ...sla(-10) }, { id: 'later', ...sla(-60) }];
    expect(byUrgency(list, NOW).map((i) => i.id)).toEqual(['later', 'late', 'soon', 'none']);
  });

  it('writes a span in whole minutes, hours with two-digit minutes, days with hours', () => {
    expect(spanWords(59_999, WORDS)).toBe('0 min');
    expect(spanWords(-45 * 60_000, WORDS)).toBe('45 min');
    expect(spanWords(65 * 60_000, WORDS)).toBe('1 h 05 min');
    expect(spanWords((26 * 60 + 3) * 60_000, WORDS)).toBe('1 d 2 h');
  });
});
