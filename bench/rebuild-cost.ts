/**
 * What one admin write costs the published snapshot, in CPU time: the publisher's rebuild after a write, source by
 * source, on the large fixture grown the way `bench:write` grows it before its freshness phase.
 *
 * In one process, with no HTTP and nothing else running in it: the fixture is seeded (100 components, 5,000
 * incidents of which 500 open), then `--grow` incidents (default 5,000) are opened through the incident service, each
 * followed by an update (every other one resolves it), as the write benchmark's first phase does; then the snapshot
 * is built once, and `--writes` times (default 12) one write (alternately an opened incident and an update of it) is
 * followed by the rebuild it causes (`rebuildNow`: the heavy sources, uptime and history, run every time, where a
 * stream of writes runs them every 10 s at most, beside the rebuilds); then the same without them, which is what a
 * write costs before it shows in the API. CPU time is `process.cpuUsage()` (every thread: compression included).
 *
 * `--batch=N` makes each rebuild follow N writes instead of one (half of them updates).
 *
 * Run: sh bench/run-compiled.sh rebuild-cost [--grow=5000 --writes=12 --batch=1]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, tuneLocalDatabase } from '../db/client.ts';
import { addIncidentUpdate, createIncident } from '../worker/incidents/service.ts';
import { slaTargetsFromConfig } from '../worker/incidents/targets.ts';
import { createLogger } from '../worker/lib/logger.ts';
import { COMPONENT_STATUS_BY_SEVERITY } from '../worker/status/vocabulary.ts';
import type { DocumentSourceEntry } from '../worker/publish/document.ts';
import { DOCUMENT_SOURCES } from '../worker/publish/documents/index.ts';
import { Publisher } from '../worker/publish/publisher.ts';
import { fixtureConfig, LARGE, seedFixture } from './fixtures/large.ts';
import { machine, percentile } from './lib/vigia-process.ts';

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const GROW = arg('grow', 5_000);
const WRITES = arg('writes', 12);
/** Writes between two rebuilds (a stream of 28 writes/s leaves about 280 between two runs of the heavy sources). */
const BATCH = arg('batch', 1);

const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

async function main() {
  console.log(`Machine: ${machine()}`);
  const dir = mkdtempSync(join(tmpdir(), 'vigia-rebuild-'));
  const url = `file:${join(dir, 'vigia.db')}`;
  try {
    const now = () => new Date();
    await seedFixture(url, LARGE, new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000));
    const config = fixtureConfig(LARGE);
    const handle = openDatabase(url);
    await tuneLocalDatabase(handle.client, url);
    const { db } = handle;
    const targets = slaTargetsFromConfig(config);
    const components = config.components.map((c) => c.id);
    const opts = () => ({ now: now(), actor: 'bench', targets });
    let n = 0;
    // As the admin API opens one: the component in the state the severity implies.
    const open = () => {
      const severity = ((n % 4) + 1) as keyof typeof COMPONENT_STATUS_BY_SEVERITY;
      const component = { id: components[n % components.length]!, status: COMPONENT_STATUS_BY_SEVERITY[severity] };
      const title = `Carga ${n++}`;
      return db.transaction((tx) => createIncident(tx, { title, severity, status: 'investigating', message: 'Investigamos demoras en el servicio.', components: [component] }, opts()));
    };
    const update = (id: string, k: number) =>
      db.transaction((tx) => addIncidentUpdate(tx, id, { status: k % 2 ? 'resolved' : 'identified', message: k % 2 ? 'Servicio restablecido.' : 'Identificamos la causa.' }, opts()));

    const grown = performance.now();
    for (let k = 0; k < GROW; k++) await update((await open()).id, k);
    console.log(`Fixture seeded and grown by ${GROW} incidents (half left open) in ${((performance.now() - grown) / 1000).toFixed(1)} s`);

    // Each source's own CPU time (its documents' hashing and compression are the publisher's, counted in the total).
    const spent = new Map<string, number[]>();
    const sources: DocumentSourceEntry[] = DOCUMENT_SOURCES.map((source) => ({
      ...source,
      build: async (input) => {
        const started = process.cpuUsage();
        const documents = await source.build(input);
        spent.set(source.name, [...(spent.get(source.name) ?? []), cpuMs(started)]);
        return documents;
      },
    }));
    const logger = createLogger('warn');
    const logged: Record<string, any>[] = [];
    logger.debug = ((line: Record<string, any>) => void logged.push(line)) as typeof logger.debug;
    const publisher = new Publisher({ db, config, now, logger, sources, scheduled: false });
    let started = process.cpuUsage();
    await publisher.start();
    console.log(`First snapshot: ${cpuMs(started).toFixed(0)} ms CPU`);
    spent.clear();
    logged.length = 0;

    const totals: number[] = [];
    let last = '';
    // One write, or a batch: half openings, half updates of what was opened.
    const writeSome = async (k: number) => {
      for (let b = 0; b < BATCH; b++) {
        if ((k * BATCH + b) % 2 === 0) last = (await open()).id;
        else await update(last, k * BATCH + b);
      }
    };
    for (let k = 0; k < WRITES; k++) {
      await writeSome(k);
      publisher.changed('bench write');
      started = process.cpuUsage();
      await publisher.rebuildNow();
      totals.push(cpuMs(started));
    }
    const median = (list: number[]) => percentile([...list].sort((a, b) => a - b), 50);
    console.log(`\nRebuild after ${BATCH === 1 ? 'one write' : `${BATCH} writes`} (${WRITES} times): CPU median ${median(totals).toFixed(0)} ms, max ${Math.max(...totals).toFixed(0)} ms`);
    const wall = (pick: (line: Record<string, any>) => number | undefined) => median(logged.map(pick).filter((x): x is number => typeof x === 'number'));
    console.log(`  wall-clock median: the whole rebuild ${wall((l) => l.ms)} ms, reading the state ${wall((l) => l.read_ms)} ms`);
    for (const name of spent.keys()) console.log(`    ${name}, with its documents' hashing and compression: ${wall((l) => l.took?.[name])} ms`);
    for (const [name, list] of spent) {
      console.log(`  ${name.padEnd(14)} ran ${String(list.length).padStart(2)}×, CPU median ${median(list).toFixed(1).padStart(7)} ms, max ${Math.max(...list).toFixed(1).padStart(7)} ms`);
    }
    await publisher.stop();

    // The same writes with the sources a rebuild runs before it ends (the heavy ones run beside the next rebuilds):
    // what a write costs before it is in the API.
    const prompt = new Publisher({ db, config, now, logger: createLogger('warn'), sources: DOCUMENT_SOURCES.filter((s) => !s.throttle), scheduled: false });
    await prompt.start();
    const light: number[] = [];
    for (let k = 0; k < WRITES; k++) {
      await writeSome(k);
      prompt.changed('bench write');
      started = process.cpuUsage();
      await prompt.rebuildNow();
      light.push(cpuMs(started));
    }
    await prompt.stop();
    console.log(`The same without the heavy sources: CPU median ${median(light).toFixed(0)} ms, max ${Math.max(...light).toFixed(0)} ms`);
    console.log(`Machine after: ${machine()}`);
    handle.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
