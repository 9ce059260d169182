import { describe, expect, it } from 'vitest';
import { presetRule, presetWords } from '../../site/scripts/admin/repeat-presets.ts';

describe('the maintenance form\'s repetition presets', () => {
  it('reads the first start: Sunday 6 December 2026 is the month\'s first Sunday', () => {
    expect(presetRule('weekly', '2026-12-06T02:00')).toBe('FREQ=WEEKLY;BYDAY=SU');
    expect(presetRule('monthly-nth', '2026-12-06T02:00')).toBe('FREQ=MONTHLY;BYDAY=1SU');
    expect(presetRule('monthly-day', '2026-12-06T02:00')).toBe('FREQ=MONTHLY;BYMONTHDAY=6');
    expect(presetWords('monthly-nth', '2026-12-06T02:00')).toBe('Cada mes, el primer domingo');
  });

  it('calls a fifth weekday the month\'s last', () => {
    expect(presetRule('monthly-nth', '2026-12-29T22:00')).toBe('FREQ=MONTHLY;BYDAY=-1TU');
    expect(presetWords('monthly-nth', '2026-12-29T22:00')).toBe('Cada mes, el último martes');
  });

  it('needs a date', () => {
    expect(presetRule('weekly', '')).toBeNull();
  });
});
