/**
 * The static-host deployment: a worker with `VIGIA_BUILD_SITE=0` serves only the API, and `npm run build:site`
 * (`astro build`) against that API writes the whole site as files for any static host, with what the API said.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../../worker/server.ts';
import { startTempVigia, type TempVigia } from '../helpers/server.ts';

const TOKEN = 'static-host-admin-token-0123';

describe('the site built for a static host from a worker’s API', () => {
  let worker: TempVigia;
  const out = mkdtempSync(join(tmpdir(), 'vigia-static-'));

  beforeAll(async () => {
    worker = await startTempVigia({ env: { ADMIN_TOKEN: TOKEN, VIGIA_BUILD_SITE: '0' } });
  }, 60_000);
  afterAll(async () => {
    await worker?.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('a worker without the site answers the API only; the build has the pages with what the API says', async () => {
    const declared = await fetch(`${worker.vigia.url}/api/admin/incidents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Correo demorado en el CDN', severity: 2, message: 'Los mensajes tardan.', components: ['correo-corporativo'] }),
    });
    expect(declared.status).toBe(201);
    expect((await fetch(`${worker.vigia.url}/api/v2/summary.json`)).status).toBe(200);
    // No pages here: the static host has them.
    const home = await fetch(`${worker.vigia.url}/`);
    expect(home.status).toBe(404);
    expect(home.headers.get('content-type')).toContain('application/json');
    expect(worker.vigia.site).toBeNull();

    const dist = join(out, 'dist');
    const build = spawn(process.execPath, [join(ROOT_DIR, 'node_modules/astro/astro.js'), 'build', '--outDir', dist], {
      cwd: ROOT_DIR,
      env: { ...process.env, VIGIA_API_URL: worker.vigia.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    build.stdout.on('data', (c: Buffer) => (output += c.toString()));
    build.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const code = await new Promise<number | null>((resolve) => build.on('exit', resolve));
    expect(code, output).toBe(0);
    expect(existsSync(join(dist, 'index.html'))).toBe(true);
    expect(readFileSync(join(dist, 'index.html'), 'utf8')).toContain('Correo demorado en el CDN');
    expect(readFileSync(join(dist, 'en', 'index.html'), 'utf8')).toContain('Correo demorado en el CDN');
  }, 300_000);
});
