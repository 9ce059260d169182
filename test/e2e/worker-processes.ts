/** Vigía workers as `npm start` runs them (worker/main.ts), as real processes on one database, for the multi-worker stories. */
import { spawn, type ChildProcess } from 'node:child_process';
import { ROOT_DIR } from '../../worker/server.ts';
import { waitFor } from '../mail/processes.ts';

export interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  /** Its address once running. */
  url: () => string;
}

export function startWorkerProcess(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    cwd: ROOT_DIR,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', VIGIA_JOBS: '1', VIGIA_BUILD_SITE: '0', LOG_LEVEL: 'warn', VIGIA_ALLOW_PRIVATE_NETWORKS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited, url: () => /Vigía is running at (\S+)/.exec(output)?.[1] ?? '' };
}

export async function running(worker: WorkerProcess): Promise<void> {
  await waitFor(() => worker.output().includes('Vigía is running at') || worker.child.exitCode !== null, 90_000, 'a worker to start');
  if (worker.child.exitCode !== null) throw new Error(`the worker did not start:\n${worker.output()}`);
}

export async function stopAll(workers: WorkerProcess[]): Promise<void> {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  await Promise.all(workers.map((w) => w.exited));
  workers.length = 0;
}

/**
 * The gaps between polls of each source, as its fake provider noted their arrivals (ms), for the polls that started
 * within [from, to); the gap before the first poll inside counts too (a source may not go unpolled across `from`),
 * and so does the wait from the last poll to `to`. With how many polls each source had inside.
 */
export function pollGaps(asked: ReadonlyMap<string, readonly number[]>, from: number, to: number): { min: number; max: number; counts: number[] } {
  let min = Infinity;
  let max = 0;
  const counts: number[] = [];
  for (const times of asked.values()) {
    const inside = times.filter((t) => t >= from && t < to);
    counts.push(inside.length);
    const before = times.filter((t) => t < from).at(-1);
    const all = before === undefined ? inside : [before, ...inside];
    for (let i = 1; i < all.length; i++) {
      min = Math.min(min, all[i]! - all[i - 1]!);
      max = Math.max(max, all[i]! - all[i - 1]!);
    }
    max = Math.max(max, to - (all.at(-1) ?? from));
  }
  return { min, max, counts };
}

/** Waits for a condition that needs the database (asked every 100 ms). */
export async function waitForAsync(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
