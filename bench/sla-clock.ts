/**
 * Cost of the SLA clock: dueAt for a two-business-day target from start instants spread over a
 * year, elapsed back over the same spans, and long spans. Each case runs several rounds; the table
 * shows the median and the best round. Run: npx tsx bench/sla-clock.ts
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { compileCalendar, type BusinessCalendar, type CalendarConfig } from '../worker/sla/calendar.ts';
import { dueAtMs, elapsedMs } from '../worker/sla/clock.ts';
import { durationMs, parseDuration } from '../worker/sla/duration.ts';
import { seededRandom } from '../test/helpers/prng.ts';

const HOUR = 3_600_000;
const YEAR_START = Date.UTC(2026, 0, 1);
const YEAR_MS = 365 * 24 * HOUR;
const STARTS = 100_000;
const ROUNDS = 7;

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
const CALENDARS: CalendarConfig[] = [
  {
    id: 'bogota',
    timezone: 'America/Bogota',
    week: { ...Object.fromEntries(weekdays.map((d) => [d, ['08:00-18:00']])), sat: ['08:00-12:00'] },
    holidays: ['2026-01-01', '2026-01-12', '2026-03-23', '2026-04-02', '2026-04-03', '2026-05-01', '2026-07-20', '2026-08-07', '2026-12-08', '2026-12-25'],
  },
  {
    id: 'new-york',
    timezone: 'America/New_York',
    week: Object.fromEntries(weekdays.map((d) => [d, ['09:00-12:30', '13:30-18:00']])),
    holidays: ['2026-01-01', '2026-05-25', '2026-07-03', '2026-09-07', '2026-11-26', '2026-12-25'],
  },
];

const random = seededRandom(2026);
const starts = Array.from({ length: STARTS }, () => YEAR_START + Math.floor(random() * YEAR_MS));

const rows: Record<string, string | number>[] = [];
let sink = 0; // results feed a checksum so nothing is optimised away

/** Runs `round` ROUNDS times; `prepare` builds fresh state outside the timing. */
function measure<T>(name: string, calls: number, prepare: () => T, round: (state: T) => void): void {
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const state = prepare();
    const t0 = performance.now();
    round(state);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(ROUNDS / 2)]!;
  const per = (ms: number) => ((ms * 1000) / calls).toFixed(3);
  rows.push({ case: name, calls, 'median ms': median.toFixed(1), 'µs/call (median)': per(median), 'µs/call (best)': per(times[0]!) });
}

for (const config of CALENDARS) {
  const warm = compileCalendar(config);
  const twoDays = durationMs(parseDuration('2d'), 'business', warm);
  const dues = starts.map((s) => dueAtMs(s, twoDays, warm, 'business'));
  const dueAll = (calendar: BusinessCalendar) => {
    for (let i = 0; i < STARTS; i++) sink += dueAtMs(starts[i]!, twoDays, calendar, 'business');
  };
  measure(`${config.id}: dueAt 2d business (fresh calendar, cache filled during the run)`, STARTS, () => compileCalendar(config), dueAll);
  measure(`${config.id}: dueAt 2d business (warm cache)`, STARTS, () => warm, dueAll);
  measure(`${config.id}: elapsed start → due, business`, STARTS, () => warm, (calendar) => {
    for (let i = 0; i < STARTS; i++) sink += elapsedMs(starts[i]!, dues[i]!, calendar, 'business');
  });
  measure(`${config.id}: dueAt 5h always`, STARTS, () => warm, (calendar) => {
    for (let i = 0; i < STARTS; i++) sink += dueAtMs(starts[i]!, 5 * HOUR, calendar, 'always');
  });
  const long = 10_000;
  measure(`${config.id}: elapsed over one year, business`, long, () => warm, (calendar) => {
    for (let i = 0; i < long; i++) sink += elapsedMs(starts[i]!, starts[i]! + YEAR_MS, calendar, 'business');
  });
  measure(`${config.id}: dueAt 250 business days`, long, () => warm, (calendar) => {
    for (let i = 0; i < long; i++) sink += dueAtMs(starts[i]!, 250 * calendar.businessDayMs, calendar, 'business');
  });
  const fresh = 1_000;
  measure(`${config.id}: compileCalendar`, fresh, () => null, () => {
    for (let i = 0; i < fresh; i++) sink += compileCalendar(config).weeklyOpenMs;
  });
  measure(
    `${config.id}: first dueAt 2d on a just-compiled calendar`,
    fresh,
    () => Array.from({ length: fresh }, () => compileCalendar(config)),
    (calendars) => {
      for (let i = 0; i < fresh; i++) sink += dueAtMs(starts[i]!, twoDays, calendars[i]!, 'business');
    },
  );
}

console.log(`SLA clock — ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.availableParallelism()} cores, Node ${process.version}, ${ROUNDS} rounds per case`);
console.table(rows);
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (checksum ${sink % 997})`);
