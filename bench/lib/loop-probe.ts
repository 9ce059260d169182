import type { VigiaProcess } from './vigia-process.ts';

/**
 * Loaded into the worker with `--import`: measures its event loop's delay (`monitorEventLoopDelay`, sampled every
 * 10 ms) and, on SIGUSR2, prints the figures since the last report with its memory as one JSON log line, then
 * starts over. The worker itself is unchanged; the probe only watches it.
 */
export const PROBE = `
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
let gc = { minor: 0, minor_max_ms: 0, major: 0, major_max_ms: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR ? 'minor' : 'major';
    gc[kind]++;
    gc[kind + '_max_ms'] = Math.max(gc[kind + '_max_ms'], entry.duration);
  }
}).observe({ entryTypes: ['gc'] });
const mb = (bytes) => Math.round(bytes / 1048576);
process.on('SIGUSR2', () => {
  const m = process.memoryUsage();
  const line = {
    msg: 'bench probe',
    delay_ms: { max: delay.max / 1e6, p99: delay.percentile(99) / 1e6, mean: delay.mean / 1e6 },
    gc,
    memory_mb: { rss: mb(m.rss), heap_used: mb(m.heapUsed), heap_total: mb(m.heapTotal), external: mb(m.external), array_buffers: mb(m.arrayBuffers) },
  };
  delay.reset();
  gc = { minor: 0, minor_max_ms: 0, major: 0, major_max_ms: 0 };
  process.stdout.write(JSON.stringify(line) + '\\n');
});
`;

export interface Probe {
  delay_ms: { max: number; p99: number; mean: number };
  /** Garbage collections since the last report: scavenges (minor) and the others, with their longest pause. */
  gc: { minor: number; minor_max_ms: number; major: number; major_max_ms: number };
  memory_mb: { rss: number; heap_used: number; heap_total: number; external: number; array_buffers: number };
}

/** The worker's event-loop delay since the last call (and its memory now), from the probe. */
export async function probe(vigia: VigiaProcess): Promise<Probe> {
  const line = vigia.nextLog('bench probe', 5_000);
  process.kill(vigia.pid, 'SIGUSR2');
  return (await line) as unknown as Probe;
}

