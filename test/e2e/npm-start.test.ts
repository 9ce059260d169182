import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../../worker/server.ts';

const ADMIN_TOKEN = 'npm-start-test-token-0123456789';

/**
 * `npm start` as an operator runs it: the worker compiled to dist/worker.mjs and started from there, with the demo
 * config, a fresh file database, its migrations applied, and a clean stop when the process manager sends SIGTERM
 * to npm. Jobs and the site build are off: upstream pages are not reachable here, and the site has tests of its own.
 */
describe('npm start', () => {
  let dir: string;
  let child: ChildProcess;
  let output = '';
  let url: string;
  let exited: Promise<number | null>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigia-start-'));
    child = spawn('npm', ['start'], {
      cwd: ROOT_DIR,
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: `file:${join(dir, 'vigia.db')}`,
        VIGIA_DATA_DIR: dir,
        VIGIA_JOBS: '0',
        VIGIA_BUILD_SITE: '0',
        ADMIN_TOKEN,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // A process group of its own, so whatever is left of it can be cleared after the tests.
      detached: true,
    });
    exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start within 60 s:\n${output}`)), 60_000);
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /Vigía is running at (http:\/\/\S+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      };
      child.stdout!.on('data', read);
      child.stderr!.on('data', read);
      void exited.then((code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
    });
  }, 90_000);

  afterAll(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // The group is gone already.
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the compiled worker, which serves the API from a migrated database with the demo config', async () => {
    expect(output).toContain('node --max-old-space-size=1024 --enable-source-maps dist/worker.mjs');
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', database: 'reachable' });

    const summary = (await (await fetch(`${url}/api/v2/summary.json`)).json()) as { page: { name: string }; components: { name: string }[] };
    expect(summary.page.name).toBe('Nubeandina · Estado de los servicios');
    expect(summary.components.length).toBeGreaterThan(0);

    const sources = (await (await fetch(`${url}/api/admin/sources`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as { sources: { id: string }[] };
    expect(sources.sources.map((s) => s.id)).toContain('google-workspace');

    const missing = await fetch(`${url}/api/v2/nothing-here.json`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
  });

  it('stops cleanly when npm is sent SIGTERM', async () => {
    child.kill('SIGTERM');
    await exited;
    // The worker itself got the signal (npm hands it on), closed down and logged it.
    await expect.poll(() => output, { timeout: 10_000 }).toContain('"msg":"shutting down"');
  });
});
