import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile, type Config } from '../../worker/config/load.ts';
import { buildSlaReport, type ReportIncident } from '../../worker/sla/index.ts';
import { seededRandom } from '../helpers/prng.ts';

const MINUTE = 60_000;

/**
 * The SLA report on a seeded month of incidents under three example policies, against an oracle written here: it
 * reads each policy from a table below (not from the compiled config), walks minute by minute with its own idea of
 * the service hours (fixed UTC offsets: these zones keep no daylight saving), and counts met and missed for the
 * commitment and for the aim, the N/A targets apart, and the median and p90 of the times taken.
 */

/** A target as the oracle reads it: minutes on a clock; `aim` for a range; `immediate` with a grace; `outOfHours` on the wall clock. */
interface Spec {
  clock: 'business' | 'always';
  minutes: number;
  aim?: number;
  immediate?: boolean;
  outOfHours?: number;
}
interface Hours {
  offsetMinutes: number;
  /** Open minutes of the day per weekday (0 = Sunday), [from, to) in local minutes. */
  week: Record<number, [number, number] | undefined>;
  holidays: Set<string>;
}
interface Shape {
  file: string;
  calendar: string;
  hours: Hours;
  levels: Record<number, { response: Spec | null; resolution: Spec | null }>;
}

const weekdays = (from: number, to: number) => ({ 1: [from, to], 2: [from, to], 3: [from, to], 4: [from, to], 5: [from, to] }) as Hours['week'];
const business = (minutes: number, aim?: number): Spec => ({ clock: 'business', minutes, ...(aim === undefined ? {} : { aim }) });
const always = (minutes: number): Spec => ({ clock: 'always', minutes });

const SHAPES: Shape[] = [
  {
    file: 'mexico-correo-telefonia.yaml',
    calendar: 'cdmx',
    hours: { offsetMinutes: -360, week: weekdays(510, 1050), holidays: new Set(['2026-11-16']) },
    levels: {
      1: { response: { clock: 'business', minutes: 15, outOfHours: 120 }, resolution: null },
      2: { response: business(60), resolution: null },
      3: { response: business(240), resolution: null },
    },
  },
  {
    file: 'contact-center.yaml',
    calendar: 'oficina',
    hours: { offsetMinutes: -300, week: weekdays(480, 1020), holidays: new Set(['2026-11-02', '2026-11-16']) },
    levels: {
      1: { response: always(10), resolution: null },
      2: { response: business(60), resolution: null },
      3: { response: business(120), resolution: null },
      4: { response: business(540), resolution: null },
    },
  },
  {
    file: 'agencia-web-matriz.yaml',
    calendar: 'buenos-aires',
    hours: { offsetMinutes: -180, week: weekdays(540, 1080), holidays: new Set() },
    levels: {
      1: { response: { clock: 'always', minutes: 0, immediate: true }, resolution: null },
      2: { response: always(60), resolution: null },
      3: { response: business(240, 120), resolution: null },
      4: { response: business(480, 240), resolution: null },
      5: { response: business(720, 480), resolution: null },
      6: { response: business(1440, 720), resolution: null },
      7: { response: business(1440, 960), resolution: null },
      8: { response: business(2160, 1440), resolution: null },
      9: { response: business(2880, 2160), resolution: null },
    },
  },
];

function oracle(shape: Shape) {
  const open = (ms: number) => {
    const local = new Date(ms + shape.hours.offsetMinutes * MINUTE);
    if (shape.hours.holidays.has(local.toISOString().slice(0, 10))) return false;
    const range = shape.hours.week[local.getUTCDay()];
    const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
    return range !== undefined && minute >= range[0] && minute < range[1];
  };
  /** The instant `minutes` of the clock have passed since `start` (minute-aligned). */
  const dueAfter = (start: number, minutes: number, clock: Spec['clock']) => {
    if (clock === 'always') return start + minutes * MINUTE;
    let at = start;
    for (let counted = 0; counted < minutes; at += MINUTE) if (open(at)) counted++;
    return at;
  };
  const taken = (start: number, done: number, clock: Spec['clock']) => {
    if (clock === 'always') return done - start;
    let minutes = 0;
    for (let at = start; at < done; at += MINUTE) if (open(at)) minutes++;
    return minutes * MINUTE;
  };
  /** Commitment and aim instants of a target for an incident starting at `start`, and the clock it counted. */
  const dueOf = (spec: Spec, start: number) => {
    if (spec.immediate) return { due: start + 5 * MINUTE, aim: start + 5 * MINUTE, clock: spec.clock };
    if (spec.outOfHours !== undefined && !open(start)) return { due: start + spec.outOfHours * MINUTE, aim: start + spec.outOfHours * MINUTE, clock: 'always' as const };
    const due = dueAfter(start, spec.minutes, spec.clock);
    return { due, aim: spec.aim === undefined ? due : dueAfter(start, spec.aim, spec.clock), clock: spec.clock };
  };
  return { dueOf, taken };
}

/** Nearest rank. */
const rank = (values: number[], p: number) => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

describe('the SLA report on a seeded month, against an independent oracle', () => {
  for (const [index, shape] of SHAPES.entries()) {
    it(`${shape.file}: met and missed for the commitment and the aim, N/A never missed, median and p90`, () => {
      const config: Config = loadConfigFile(join(import.meta.dirname, '../../examples/policies', shape.file));
      const random = seededRandom(20261100 + index);
      const from = Date.UTC(2026, 10, 1, 5);
      const to = Date.UTC(2026, 11, 1, 5);
      const now = Date.UTC(2026, 11, 3, 12);
      const levels = Object.keys(shape.levels).map(Number);
      const incidents: ReportIncident[] = Array.from({ length: 120 }, (_, i) => {
        const start = from + Math.floor(random() * ((to - from) / MINUTE)) * MINUTE;
        const respondedAfter = Math.floor(random() ** 2 * 3000) * MINUTE;
        const resolvedAfter = random() < 0.15 ? null : respondedAfter + Math.floor(random() * 6000) * MINUTE;
        const responded = random() < 0.1 ? null : start + respondedAfter;
        return {
          id: `i${i}`,
          title: `Incidente ${i}`,
          severity: levels[Math.floor(random() * levels.length)]!,
          startedAt: new Date(start),
          respondedAt: responded === null ? null : new Date(responded),
          resolvedAt: resolvedAfter === null ? null : new Date(start + resolvedAfter),
          componentIds: [],
          countsForSla: random() > 0.05,
          calendarId: shape.calendar,
        };
      });
      const report = buildSlaReport({
        from: new Date(from),
        to: new Date(to),
        now: new Date(now),
        incidents,
        policies: config.policy.severities,
        calendars: [...config.policy.calendars.values()],
        maintenance: [],
        components: [],
      });

      const { dueOf, taken } = oracle(shape);
      for (const level of levels) {
        const mine = incidents.filter((i) => i.severity === level && i.countsForSla);
        for (const target of ['response', 'resolution'] as const) {
          const spec = shape.levels[level]![target];
          const expected = { met: 0, breached: 0, pending: 0, aim_met: 0, aim_missed: 0, times: [] as number[] };
          for (const incident of mine) {
            const start = incident.startedAt.getTime();
            const done = target === 'response' ? (incident.respondedAt ?? incident.resolvedAt)?.getTime() ?? null : incident.resolvedAt?.getTime() ?? null;
            const due = spec ? dueOf(spec, start) : null;
            if (done !== null) expected.times.push(taken(start, done, due?.clock ?? 'always'));
            if (!due) continue;
            if (done === null ? now > due.due : done > due.due) expected.breached++;
            else if (done !== null) expected.met++;
            else expected.pending++;
            if (done === null ? now > due.aim : done > due.aim) expected.aim_missed++;
            else if (done !== null) expected.aim_met++;
          }
          const got = report.severities.find((s) => s.level === level)![target];
          expect({ level, target, met: got.met, breached: got.breached, pending: got.pending, aim_met: got.aim_met, aim_missed: got.aim_missed, median: got.median_ms, p90: got.p90_ms }).toEqual({
            level,
            target,
            met: expected.met,
            breached: expected.breached,
            pending: expected.pending,
            aim_met: expected.aim_met,
            aim_missed: expected.aim_missed,
            median: rank(expected.times, 50),
            p90: rank(expected.times, 90),
          });
          if (!spec) expect(got.clock).toBeNull();
        }
      }
      // The ranges make the aim stricter than the commitment somewhere in the month, or the test proves little.
      if (shape.file === 'agencia-web-matriz.yaml') {
        const aimsMissed = report.severities.reduce((n, s) => n + s.response.aim_missed, 0);
        const breached = report.severities.reduce((n, s) => n + s.response.breached, 0);
        expect(aimsMissed).toBeGreaterThan(breached);
      }
    });
  }
});
