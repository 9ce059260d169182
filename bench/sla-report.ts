/**
 * Cost of the SLA report: 50,000 synthetic incidents over a year across 30 components and two
 * calendars (seeded, so every run builds the same data), plus maintenance windows.
 * Run: npx tsx bench/sla-report.ts
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { compileCalendar, type CalendarConfig } from '../worker/sla/calendar.ts';
import { buildSlaReport, toCsv, type ReportIncident, type ReportMaintenanceWindow, type SlaReportInput } from '../worker/sla/report.ts';
import { DEFAULT_SEVERITY_POLICIES } from '../worker/sla/targets.ts';
import { seededRandom } from '../test/helpers/prng.ts';

const INCIDENTS = 50_000;
const COMPONENTS = 30;
const MAINTENANCE_WINDOWS = 600;
const ROUNDS = 5;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const FROM = Date.UTC(2026, 0, 1, 5);
const TO = Date.UTC(2027, 0, 1, 5);

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
const CALENDARS: CalendarConfig[] = [
  {
    id: 'bogota',
    timezone: 'America/Bogota',
    week: { ...Object.fromEntries(weekdays.map((d) => [d, ['08:00-18:00']])), sat: ['08:00-12:00'] },
    holidays: ['2026-01-01', '2026-01-12', '2026-03-23', '2026-04-02', '2026-04-03', '2026-05-01', '2026-07-20', '2026-08-07', '2026-12-08', '2026-12-25'],
  },
  {
    id: 'santiago',
    timezone: 'America/Santiago',
    week: Object.fromEntries(weekdays.map((d) => [d, ['09:00-13:00', '14:00-18:30']])),
    holidays: ['2026-01-01', '2026-04-03', '2026-05-01', '2026-05-21', '2026-09-18', '2026-12-25'],
  },
];

function generate(): Omit<SlaReportInput, 'calendars'> {
  const random = seededRandom(50_000);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const exp = (meanMs: number) => Math.round(-Math.log(1 - random()) * meanMs);
  const components = Array.from({ length: COMPONENTS }, (_, i) => ({ id: `c${i}`, name: `Component ${i}`, calendarId: CALENDARS[i % 2]!.id }));
  const incidents: ReportIncident[] = [];
  for (let i = 0; i < INCIDENTS; i++) {
    const r = random();
    const severity = r < 0.05 ? 1 : r < 0.2 ? 2 : r < 0.6 ? 3 : 4;
    const startedAt = FROM + Math.floor(random() * (TO - FROM));
    const responded = startedAt + exp(severity <= 2 ? 40 * MINUTE : 4 * HOUR);
    const resolved = responded + exp(severity <= 2 ? 3 * HOUR : 20 * HOUR);
    const first = pick(components);
    const ids = new Set([first.id]);
    while (random() < 0.35 && ids.size < 4) ids.add(pick(components).id);
    incidents.push({
      id: `inc-${i}`,
      title: `Synthetic incident ${i}`,
      severity,
      startedAt: new Date(startedAt),
      respondedAt: random() < 0.97 ? new Date(responded) : null,
      // Only recent incidents are still open.
      resolvedAt: startedAt > TO - 7 * 24 * HOUR && random() < 0.5 ? null : new Date(resolved),
      componentIds: [...ids],
      countsForSla: random() < 0.95,
      calendarId: first.calendarId,
    });
  }
  const maintenance: ReportMaintenanceWindow[] = Array.from({ length: MAINTENANCE_WINDOWS }, () => {
    const startsAt = FROM + Math.floor(random() * (TO - FROM));
    return { componentIds: [pick(components).id, pick(components).id], startsAt: new Date(startsAt), endsAt: new Date(startsAt + 1 * HOUR + exp(2 * HOUR)) };
  });
  return { from: new Date(FROM), to: new Date(TO), now: new Date(TO + 30 * 24 * HOUR), incidents, policies: DEFAULT_SEVERITY_POLICIES, maintenance, components };
}

const t0 = performance.now();
const data = generate();
const generateMs = performance.now() - t0;

const reportTimes: number[] = [];
const csvTimes: number[] = [];
let report = buildSlaReport({ ...data, calendars: CALENDARS.map(compileCalendar) });
for (let r = 0; r < ROUNDS; r++) {
  // Fresh calendars each round, so their day caches start empty as after a restart.
  const calendars = CALENDARS.map(compileCalendar);
  const t1 = performance.now();
  report = buildSlaReport({ ...data, calendars });
  reportTimes.push(performance.now() - t1);
  const t2 = performance.now();
  toCsv(report);
  csvTimes.push(performance.now() - t2);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const first = reportTimes[0]!;

console.log(`SLA report — ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.availableParallelism()} cores, Node ${process.version}`);
console.table([
  { figure: 'incidents', value: INCIDENTS },
  { figure: 'components / calendars / maintenance windows', value: `${COMPONENTS} / ${CALENDARS.length} / ${MAINTENANCE_WINDOWS}` },
  { figure: 'generate data (ms)', value: generateMs.toFixed(0) },
  { figure: `buildSlaReport, first of ${ROUNDS} rounds (ms)`, value: first.toFixed(0) },
  { figure: `buildSlaReport, median of ${ROUNDS} (ms)`, value: median(reportTimes).toFixed(0) },
  { figure: `buildSlaReport, best of ${ROUNDS} (ms)`, value: Math.min(...reportTimes).toFixed(0) },
  { figure: 'toCsv, median (ms)', value: median(csvTimes).toFixed(1) },
  { figure: 'timeline entries', value: report.timeline.length },
  { figure: 'peak RSS, data included (MB)', value: (process.resourceUsage().maxRSS / 1024).toFixed(0) },
]);
console.table(
  report.severities.map((s) => ({
    level: s.level,
    count: s.count,
    'response within target': s.response.within_target_share?.toFixed(3),
    'response median (min)': s.response.median_ms === null ? null : (s.response.median_ms / MINUTE).toFixed(0),
    'resolution within target': s.resolution.within_target_share?.toFixed(3),
    'resolution p90 (min)': s.resolution.p90_ms === null ? null : (s.resolution.p90_ms / MINUTE).toFixed(0),
  })),
);
const availability = report.components.map((c) => c.availability ?? 1);
console.log(`availability across components: min ${Math.min(...availability).toFixed(4)}, max ${Math.max(...availability).toFixed(4)}`);
