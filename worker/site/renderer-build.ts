import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Logger } from '../lib/logger.ts';
import { precompressSite } from './precompress.ts';

/** Where renderer builds live, under the project root (Astro resolves a server build's packages from there; ignored by git). */
export const BUILD_SCRATCH_DIR = '.vigia-site-builds';

export interface RendererBuild {
  /** The build's folder. */
  dir: string;
  /** The renderer process's program. */
  entry: string;
  /** Hashed assets and public files, precompressed, served as they are. */
  clientDir: string;
  /** Whether it was built now (false: an earlier build of the same sources was reused). */
  built: boolean;
  ms: number;
}

/** Everything a renderer build is made from: the site's sources, the Astro config and Astro's version. */
export function siteSourceHash(rootDir: string): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else hash.update(`${path.slice(rootDir.length)}\0`).update(readFileSync(path)).update('\0');
    }
  };
  walk(join(rootDir, 'site'));
  hash.update(readFileSync(join(rootDir, 'astro.config.mjs')));
  hash.update(readFileSync(join(dirname(astroBin(rootDir)), 'package.json')));
  return hash.digest('hex').slice(0, 16);
}

/** Astro's command-line entry, resolved from the project. */
export function astroBin(rootDir: string): string {
  return join(dirname(createRequire(join(rootDir, 'package.json')).resolve('astro/package.json')), 'astro.js');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The site's server bundle for the renderer: built once per version of the site's sources (not per change of
 * data: pages read the data when rendered) and reused across restarts. Processes starting at once (tests, several
 * workers) build it once: the first takes a lock folder, the others wait for its result.
 */
export async function ensureRendererBuild(opts: {
  rootDir: string;
  logger: Logger;
  timeoutMs?: number;
  /** What identifies the sources (default: `siteSourceHash`). */
  hash?: string;
  /** Builds the server bundle into a folder (default: `astro build` in renderer mode; tests replace it). */
  build?: (outDir: string) => Promise<void>;
}): Promise<RendererBuild> {
  const started = Date.now();
  const scratch = join(opts.rootDir, BUILD_SCRATCH_DIR);
  mkdirSync(scratch, { recursive: true });
  const dir = join(scratch, `renderer-${opts.hash ?? siteSourceHash(opts.rootDir)}`);
  const result = (built: boolean): RendererBuild => ({
    dir,
    entry: join(dir, 'server', 'entry.mjs'),
    clientDir: join(dir, 'client'),
    built,
    ms: Date.now() - started,
  });
  const lock = `${dir}.lock`;
  const deadline = started + (opts.timeoutMs ?? 600_000);
  for (;;) {
    if (existsSync(join(dir, 'server', 'entry.mjs'))) return result(false);
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A build under way elsewhere, unless the process that took the lock is gone (it died mid-build).
      if (!lockHolderAlive(lock)) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`site renderer build: waited too long for ${lock}`);
      else await sleep(250);
    }
  }
  const tmp = `${dir}.tmp-${process.pid}-${started}`;
  try {
    if (existsSync(join(dir, 'server', 'entry.mjs'))) return result(false);
    await (opts.build ?? ((out: string) => runAstroBuild(opts.rootDir, out)))(tmp);
    await precompressSite(join(tmp, 'client'));
    renameSync(tmp, dir);
    removeOtherBuilds(scratch, dir);
    opts.logger.info({ dir, ms: Date.now() - started }, 'site renderer built');
    return result(true);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Whether the process named in a lock folder still runs (a lock just made may not name it yet: then it does). */
function lockHolderAlive(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
  } catch {
    const stat = statSync(lock, { throwIfNoEntry: false });
    return !stat || Date.now() - stat.mtimeMs < 10_000;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Earlier renderer builds (other sources) and leftovers of interrupted ones. */
function removeOtherBuilds(scratch: string, keep: string): void {
  for (const name of readdirSync(scratch)) {
    const path = join(scratch, name);
    if (path === keep || name.endsWith('.lock') || name.includes('.tmp-')) continue;
    rmSync(path, { recursive: true, force: true });
  }
}

function runAstroBuild(rootDir: string, outDir: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [astroBin(rootDir), 'build', '--outDir', outDir, '--silent'], {
      cwd: rootDir,
      env: { ...process.env, VIGIA_SITE_RENDERER: '1', ASTRO_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolvePromise();
      else reject(new Error(signal ? `astro build ended by ${signal}` : `astro build exited with ${code}: ${output.trim()}`));
    });
  });
}
