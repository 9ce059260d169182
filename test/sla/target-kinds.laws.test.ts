import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WEEKDAYS, type SlaClock } from '../../worker/core/vocabulary.ts';
import { compileCalendar, type CalendarConfig } from '../../worker/sla/calendar.ts';
import { isOpen, nextOpening } from '../../worker/sla/clock.ts';
import { compileSeverityPolicy, type SeverityPolicyConfig, type TargetConfig } from '../../worker/sla/severity-policy.ts';
import { computeTargetsMs, targetDue } from '../../worker/sla/targets.ts';
import { MINUTE } from './fixtures.ts';
import { oracleFor } from './oracle.ts';

// Zones with daylight-saving changes in the range, and two without.
const ZONES = ['America/New_York', 'America/Santiago', 'Europe/London', 'America/Sao_Paulo', 'America/Mexico_City', 'America/Bogota', 'UTC'];
const pad = (n: number) => String(n).padStart(2, '0');
const hhmm = (minutes: number) => `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;

const dayRanges = fc.uniqueArray(fc.integer({ min: 0, max: 96 }), { maxLength: 4 }).map((points) => {
  const sorted = [...points].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i + 1 < sorted.length; i += 2) ranges.push(`${hhmm(sorted[i]! * 15)}-${hhmm(sorted[i + 1]! * 15)}`);
  return ranges;
});

const calendarConfig: fc.Arbitrary<CalendarConfig> = fc
  .record({ timezone: fc.constantFrom(...ZONES), days: fc.tuple(...WEEKDAYS.map(() => dayRanges)), holidays: fc.uniqueArray(fc.integer({ min: 0, max: 4 * 365 }), { maxLength: 8 }) })
  .map(({ timezone, days, holidays }) => {
    if (days.every((d) => d.length === 0)) days[0] = ['09:00-17:00'];
    return {
      id: 'random',
      timezone,
      week: Object.fromEntries(WEEKDAYS.map((d, i) => [d, days[i]!])),
      holidays: holidays.map((d) => new Date(Date.UTC(2024, 0, 1) + d * 86_400_000).toISOString().slice(0, 10)),
    };
  });

/** Minute-aligned instants 2024–2028, so the minute oracle can judge them. */
const instant = fc.integer({ min: Date.UTC(2024, 0, 1) / MINUTE, max: Date.UTC(2028, 0, 1) / MINUTE }).map((m) => m * MINUTE);
const length = fc.oneof(fc.integer({ min: 1, max: 600 }).map((m) => `${m}m`), fc.integer({ min: 1, max: 10 }).map((d) => `${d}d`));
const clock = fc.constantFrom<SlaClock>('business', 'always');
const RUNS = { numRuns: 200 };

/** Every kind of target a level can state, with its clock. */
const targetKind: fc.Arbitrary<{ target: TargetConfig; clock: SlaClock }> = fc.oneof(
  fc.record({ target: length, clock }),
  fc.record({ target: fc.tuple(length, length).filter(([a, b]) => a !== b).map(([a, b]) => `${a}-${b}`), clock }),
  fc.record({ target: fc.constant('immediate'), clock }),
  fc.record({ target: fc.record({ in_hours: length, out_of_hours: length }), clock: fc.constant<SlaClock>('business') }),
  fc.record({ target: fc.constant(null), clock }),
);

const level = (response: TargetConfig, levelClock: SlaClock, graceMs = 5 * MINUTE) =>
  compileSeverityPolicy({ level: 1, name: { es: 'x', en: 'x' }, description: { es: 'x', en: 'x' }, response, clock: levelClock } as SeverityPolicyConfig, { immediateGraceMs: graceMs });

/** Whether `ms` is open time, or the end of an open interval (a closing instant). */
const openOrClosing = (ms: number, calendar: ReturnType<typeof compileCalendar>) => isOpen(new Date(ms), calendar) || (isOpen(new Date(ms - 1), calendar) && !isOpen(new Date(ms), calendar));

describe('laws of every kind of target, on random calendars', () => {
  it('due instants grow with the length: a range\'s aim is never after its commitment, and a longer length is never due sooner', () => {
    fc.assert(
      fc.property(calendarConfig, instant, fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 1, max: 2000 }), clock, (config, start, a, b, kind) => {
        const calendar = compileCalendar(config);
        const [short, long] = a <= b ? [a, b] : [b, a];
        const dueShort = targetDue(level(`${short}m`, kind).response, start, calendar)!.dueMs;
        const dueLong = targetDue(level(`${long}m`, kind).response, start, calendar)!.dueMs;
        expect(dueShort).toBeLessThanOrEqual(dueLong);
        if (short !== long) {
          const range = targetDue(level(`${long}m-${short}m`, kind).response, start, calendar)!;
          expect([range.aimDueMs, range.dueMs]).toEqual([dueShort, dueLong]);
        }
      }),
      RUNS,
    );
  });

  it('a business-clock due instant never falls in closed time, except at a closing instant; immediate is due a grace after the opening', () => {
    fc.assert(
      fc.property(calendarConfig, instant, targetKind, (config, start, { target, clock: kind }) => {
        const calendar = compileCalendar(config);
        const policy = level(target, kind);
        const due = targetDue(policy.response, start, calendar);
        if (policy.response === null) {
          expect(due).toBeNull();
          return;
        }
        expect(due).not.toBeNull();
        if (due!.clock !== 'business') return;
        if (policy.response.immediate) {
          expect(due!.dueMs).toBe(nextOpening(new Date(start), calendar).getTime() + 5 * MINUTE);
        } else {
          expect(openOrClosing(due!.dueMs, calendar)).toBe(true);
          expect(openOrClosing(due!.aimDueMs, calendar)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('the out-of-hours target applies exactly when the calendar is closed at the start (read by a naive local-time oracle, across DST changes), counted in wall time', () => {
    fc.assert(
      fc.property(calendarConfig, instant, fc.integer({ min: 1, max: 600 }), fc.integer({ min: 1, max: 600 }), (config, start, inside, outside) => {
        const calendar = compileCalendar(config);
        const policy = level({ in_hours: `${inside}m`, out_of_hours: `${outside}m` }, 'business');
        const due = targetDue(policy.response, start, calendar)!;
        const closed = !oracleFor(config).isOpenMinute(start);
        expect(due.outOfHours).toBe(closed);
        if (closed) expect(due.dueMs).toBe(start + outside * MINUTE);
        else expect(due.clock).toBe('business');
      }),
      RUNS,
    );
  });

  it('a target the policy does not state is never breached, whenever (or whether) it is met', () => {
    fc.assert(
      fc.property(calendarConfig, instant, fc.option(fc.integer({ min: 0, max: 1e10 })), fc.integer({ min: 0, max: 1e11 }), (config, start, doneAfter, nowAfter) => {
        const calendar = compileCalendar(config);
        const policy = compileSeverityPolicy({ level: 3, name: { es: 'x', en: 'x' }, description: { es: 'x', en: 'x' }, response: 'N/A' });
        const done = doneAfter === null ? null : start + doneAfter;
        const status = computeTargetsMs(start, done, done, policy, calendar, start + nowAfter);
        expect(status).toMatchObject({ responseDueMs: null, resolutionDueMs: null, responseBreached: false, resolutionBreached: false, responseAimMissed: false });
      }),
      RUNS,
    );
  });

  it('met exactly at the due instant is met; a millisecond later is a breach, for every kind', () => {
    fc.assert(
      fc.property(calendarConfig, instant, targetKind, (config, start, { target, clock: kind }) => {
        const calendar = compileCalendar(config);
        const policy = level(target, kind);
        const due = targetDue(policy.response, start, calendar);
        if (due === null) return;
        expect(computeTargetsMs(start, due.dueMs, null, policy, calendar, due.dueMs).responseBreached).toBe(false);
        expect(computeTargetsMs(start, due.dueMs + 1, null, policy, calendar, due.dueMs + 1).responseBreached).toBe(true);
      }),
      RUNS,
    );
  });
});
