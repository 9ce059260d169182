/**
 * Starts Vigía as `npm start` runs it (the compiled `dist/worker.mjs`, same Node options) in a child process, on a
 * fixture database in a temporary folder, and stops it (and removes the folder) on `stop()`, on exit and on Ctrl-C.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixtureConfigYaml, seedFixture, type FixtureShape } from '../fixtures/large.ts';

/** The project root: the nearest folder up with package.json (this file runs from bench/lib/ or compiled in dist/). */
export const ROOT = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
})();
export const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';

export interface VigiaProcess {
  url: string;
  pid: number;
  dir: string;
  /** Resident set size of the worker now, in MB (from /proc). */
  rssMb(): number;
  /** Peak resident set size so far (VmHWM), in MB. */
  peakRssMb(): number;
  /** CPU time the worker has used so far (user + system, every thread), in ms. */
  cpuMs(): number;
  /**
   * The worker's main thread (the event loop) so far, in ms, from /proc/<pid>/schedstat: time on a CPU, and time
   * runnable but waiting for one (the machine's other work). Waiting beyond that is the worker's own (I/O, sleeps).
   */
  schedMs(): { ran: number; queued: number };
  /** Resolves with the next log line (JSON, from now on) whose `msg` is `message`; rejects after `timeoutMs`. */
  nextLog(message: string, timeoutMs: number): Promise<Record<string, any>>;
  /** The first log line with that message so far (start-up lines come before the process is handed over). */
  firstLog(message: string): Record<string, any> | undefined;
  /** Calls `fn` with every log line (JSON) whose `msg` is `message` from now on. */
  onLog(message: string, fn: (line: Record<string, any>) => void): void;
  /** SIGTERM, then SIGKILL after `graceMs` (default 10 s; a worker writing a CPU profile needs longer). */
  stop(graceMs?: number): Promise<void>;
}

const cleanups = new Set<() => void>();
let hooked = false;
/** Runs every registered clean-up once, whatever ends the benchmark (normal exit, error, Ctrl-C, kill). */
export function onCleanup(fn: () => void): () => void {
  cleanups.add(fn);
  if (!hooked) {
    hooked = true;
    const runAll = () => {
      for (const f of [...cleanups].reverse()) {
        try {
          f();
        } catch {
          // best effort while exiting
        }
      }
      cleanups.clear();
    };
    process.on('exit', runAll);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(signal, () => {
        runAll();
        process.exit(130);
      });
    }
    process.on('uncaughtException', (error) => {
      console.error(error);
      process.exit(1);
    });
    process.on('unhandledRejection', (error) => {
      console.error(error);
      process.exit(1);
    });
  }
  return () => cleanups.delete(fn);
}

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

function statusField(pid: number, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : NaN;
}

export interface StartOptions {
  shape: FixtureShape;
  /** Build the static site (default yes). */
  site?: boolean;
  /** Extra Node options (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
  env?: Record<string, string>;
  /** Seconds to wait for the first site build before giving up. */
  startTimeoutS?: number;
}

/** Compiles the worker once per run (as `npm start` does). */
let compiled = false;
export function compileWorker(): void {
  if (compiled) return;
  execFileSync('npm', ['run', '--silent', 'build:worker'], { cwd: ROOT, stdio: 'inherit' });
  compiled = true;
}

export async function startVigia(
  options: StartOptions,
): Promise<VigiaProcess & { seeded: { incidents: number; updates: number; windows: number }; seedMs: number; readyMs: number }> {
  compileWorker();
  const dir = mkdtempSync(join(tmpdir(), 'vigia-bench-'));
  const removeDir = onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  const configPath = join(dir, 'vigia.config.yaml');
  writeFileSync(configPath, fixtureConfigYaml(options.shape));
  const dbUrl = `file:${join(dir, 'vigia.db')}`;
  const seedStarted = performance.now();
  // Whole hours, so two runs in the same hour seed the same rows.
  const now = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
  const seeded = await seedFixture(dbUrl, options.shape, now);
  const seedMs = performance.now() - seedStarted;

  const spawned = performance.now();
  const child: ChildProcess = spawn(process.execPath, ['--max-old-space-size=1024', '--enable-source-maps', ...(options.nodeArgs ?? []), join(ROOT, 'dist/worker.mjs')], {
    cwd: dir,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      VIGIA_CONFIG: configPath,
      DATABASE_URL: dbUrl,
      VIGIA_DATA_DIR: join(dir, 'data'),
      ADMIN_TOKEN,
      LOG_LEVEL: 'warn',
      VIGIA_BUILD_SITE: options.site === false ? '0' : '1',
      // The fixture's sources point at 127.0.0.1 (a closed port): allowed, so they fail as unreachable hosts do.
      VIGIA_ALLOW_PRIVATE_NETWORKS: '1',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const killChild = onCleanup(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let output = '';
  const waiting = new Set<{ message: string; resolve: (line: Record<string, any>) => void }>();
  let partial = '';
  const listeners: [string, (line: Record<string, any>) => void][] = [];
  const firstLines = new Map<string, Record<string, any>>();
  child.stdout!.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      try {
        const parsed = JSON.parse(line) as Record<string, any>;
        if (!firstLines.has(parsed.msg)) firstLines.set(parsed.msg, parsed);
        for (const w of waiting) if (w.message === parsed.msg) (waiting.delete(w), w.resolve(parsed));
        for (const [message, fn] of listeners) if (message === parsed.msg) fn(parsed);
      } catch {
        // not a log line
      }
    }
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Vigía did not start within ${options.startTimeoutS ?? 180} s:\n${output}`)), (options.startTimeoutS ?? 180) * 1000);
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8_000);
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!.replace('localhost', '127.0.0.1'));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8_000);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Vigía exited with ${code} before it was ready:\n${output}`));
    });
  });
  const pid = child.pid!;
  const readyMs = performance.now() - spawned;
  return {
    readyMs,
    url,
    pid,
    dir,
    seeded,
    seedMs,
    nextLog: (message, timeoutMs) =>
      new Promise((resolve, reject) => {
        const entry = { message, resolve: (line: Record<string, any>) => (clearTimeout(timer), resolve(line)) };
        const timer = setTimeout(() => (waiting.delete(entry), reject(new Error(`no "${message}" within ${timeoutMs} ms`))), timeoutMs);
        waiting.add(entry);
      }),
    firstLog: (message) => firstLines.get(message),
    schedMs: () => {
      const [ran, queued] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(' ').map(Number);
      return { ran: ran! / 1e6, queued: queued! / 1e6 };
    },
    onLog: (message, fn) => void listeners.push([message, fn]),
    rssMb: () => statusField(pid, 'VmRSS'),
    peakRssMb: () => statusField(pid, 'VmHWM'),
    cpuMs: () => {
      // Fields 14 and 15 of /proc/<pid>/stat (after the command name in parentheses): utime and stime in clock ticks.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
    },
    async stop(graceMs = 10_000) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      killChild();
      rmSync(dir, { recursive: true, force: true });
      removeDir();
    },
  };
}

/** Resident memory of a process's children (the site's renderer), in MB. */
export function childrenRssMb(pid: number): number {
  let total = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    for (const child of readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) {
      const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${child}/status`, 'utf8'));
      total += match ? Number(match[1]) / 1024 : 0;
    }
  }
  return Math.round(total);
}

/** Percentile of a sorted list of numbers (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Machine facts printed with every benchmark. */
export function machine(): string {
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const cpus = execFileSync('nproc').toString().trim();
  const mem = Math.round(Number(/MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))![1]) / 1024 / 1024);
  return `${cpus} cores, ${mem} GiB, Node ${process.versions.node}, load average ${load}`;
}
