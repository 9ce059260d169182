/**
 * The SLA report end to end as the admin API runs it: 50,000 incidents of one year stored in a libsql
 * file database (with their affected components), loaded and reported by `loadSlaReport`.
 * Run: npx tsx bench/sla-report-db.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase, tuneLocalDatabase } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { incidentComponents, incidents } from '../db/schema/index.ts';
import { parseConfigText } from '../worker/config/load.ts';
import { parseReportRange } from '../worker/reports/range.ts';
import { loadSlaReport } from '../worker/reports/sla-report.ts';
import { syncConfigToDatabase } from '../worker/store/sync-config.ts';
import { slaTargetsFromConfig } from '../worker/incidents/targets.ts';
import { seededRandom } from '../test/helpers/prng.ts';

const INCIDENTS = 50_000;
const ROUNDS = 3;

const config = parseConfigText(
  (await import('node:fs')).readFileSync(new URL('../vigia.config.yaml', import.meta.url), 'utf8'),
  'vigia.config.yaml',
);
const dir = mkdtempSync(join(os.tmpdir(), 'vigia-bench-sla-'));
const url = `file:${join(dir, 'bench.db')}`;
const { db, client, close } = openDatabase(url);
await tuneLocalDatabase(client, url);
await migrateDatabase(db);
const year = Date.UTC(2026, 0, 1, 5);
await syncConfigToDatabase(db, config, new Date(year));
const componentIds = config.components.map((c) => c.id);
const targets = slaTargetsFromConfig(config);
const random = seededRandom(2026);

const seedStart = performance.now();
for (let i = 0; i < INCIDENTS; i += 1_000) {
  const rows: (typeof incidents.$inferInsert)[] = [];
  const links: (typeof incidentComponents.$inferInsert)[] = [];
  for (let j = i; j < Math.min(INCIDENTS, i + 1_000); j++) {
    const r = random();
    const severity = (r < 0.05 ? 1 : r < 0.2 ? 2 : r < 0.6 ? 3 : 4) as 1 | 2 | 3 | 4;
    const startedAt = new Date(year + Math.floor(random() * 365 * 86_400_000));
    const respondedAt = new Date(startedAt.getTime() + Math.round(-Math.log(1 - random()) * 3_600_000));
    const resolvedAt = new Date(respondedAt.getTime() + Math.round(-Math.log(1 - random()) * 6 * 3_600_000));
    const due = targets(severity, 'bogota', startedAt);
    const id = `b${j}`;
    rows.push({ id, title: `Incidente ${j}`, status: 'resolved', severity, startedAt, createdAt: startedAt, updatedAt: resolvedAt, respondedAt, resolvedAt, calendarId: 'bogota', responseDueAt: due.responseDueAt, resolutionDueAt: due.resolutionDueAt, slaCounts: true });
    links.push({ incidentId: id, componentId: componentIds[j % componentIds.length]!, status: 'partial_outage', position: 0 });
  }
  await db.transaction(async (tx) => {
    await tx.insert(incidents).values(rows);
    await tx.insert(incidentComponents).values(links);
  });
}
const seedMs = performance.now() - seedStart;

const range = parseReportRange({ from: '2026-01-01', to: '2026-12-31' }, 'America/Bogota');
const times: number[] = [];
let peak = process.memoryUsage().rss;
let checksum = 0;
for (let round = 0; round < ROUNDS; round++) {
  const started = performance.now();
  const report = await loadSlaReport(db, config, range, new Date(Date.UTC(2027, 0, 2)));
  times.push(performance.now() - started);
  checksum += report.timeline.length;
  peak = Math.max(peak, process.memoryUsage().rss);
}
if (process.env.KEEP_DB) console.log('database kept at', url);
close();
if (!process.env.KEEP_DB) rmSync(dir, { recursive: true, force: true });
times.sort((a, b) => a - b);

console.log(`SLA report from the database — ${os.cpus()[0]?.model ?? 'cpu'}, ${os.cpus().length} cores, Node ${process.version}`);
console.table([
  { figure: 'incidents stored (one year)', value: INCIDENTS },
  { figure: 'seeding the database (ms, not part of the report)', value: seedMs.toFixed(0) },
  { figure: 'loadSlaReport best (ms)', value: times[0]!.toFixed(0) },
  { figure: `loadSlaReport median of ${ROUNDS} (ms)`, value: times[Math.floor(ROUNDS / 2)]!.toFixed(0) },
  { figure: 'timeline entries (sum of rounds)', value: checksum },
  { figure: 'peak RSS (MB)', value: (peak / 2 ** 20).toFixed(0) },
]);
