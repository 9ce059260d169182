/**
 * Two workers started as real processes on one database file, both rendering the site: a change made through either
 * is rendered once, by the holder of the `site` lease, and both serve the new home page (the other loads it from the
 * database). Renderings are counted from each worker's log ("site rendered") and from the stored rendering's version.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_CONFIG_YAML } from '../helpers/config.ts';
import { fileDatabase } from '../helpers/db.ts';
import { createLogger } from '../../worker/lib/logger.ts';
import { ROOT_DIR } from '../../worker/server.ts';
import { ensureRendererBuild } from '../../worker/site/renderer-build.ts';
import { running, startWorkerProcess, stopAll, waitForAsync, type WorkerProcess } from './worker-processes.ts';

const TOKEN = 'multi-worker-site-admin-token-0123';

/** Why a worker rendered the site each time after its start-up rendering, as logged (the log reaches us a little late). */
function renderReasons(worker: WorkerProcess): string[] {
  return worker
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg?: string; reason?: string })
    .filter((entry) => entry.msg === 'site rendered' && entry.reason !== 'start-up')
    .map((entry) => entry.reason ?? '');
}
const renderingsAfterStartUp = (worker: WorkerProcess): number => renderReasons(worker).length;
/** How many times a worker loaded the site another worker rendered, as logged. */
const loadsFromShared = (worker: WorkerProcess): number => worker.output().split('site loaded from the shared rendering').length - 1;


describe('two workers rendering the site on one database', () => {
  let database: Awaited<ReturnType<typeof fileDatabase>>;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    // Built once before the workers start, so the test's time is theirs (they would share one build anyway).
    await ensureRendererBuild({ rootDir: ROOT_DIR, logger: createLogger('silent') });
    database = await fileDatabase();
    const configPath = join(database.dir, 'vigia.config.yaml');
    writeFileSync(configPath, TEST_CONFIG_YAML);
    const env = {
      DATABASE_URL: database.url,
      VIGIA_DATA_DIR: database.dir,
      VIGIA_CONFIG: configPath,
      ADMIN_TOKEN: TOKEN,
      VIGIA_JOBS: '0',
      VIGIA_BUILD_SITE: '1',
      LOG_LEVEL: 'info',
    };
    // One after the other: the first holds the lease from its start.
    workers.push(startWorkerProcess(env));
    await running(workers[0]!);
    workers.push(startWorkerProcess(env));
    await running(workers[1]!);
  }, 300_000);
  afterAll(async () => {
    await stopAll(workers);
    database?.cleanup();
  });

  const storedVersion = async () => Number((await database.db.all<{ version: number }>(sql`select version from site_renderings`))[0]?.version ?? 0);
  const home = async (worker: WorkerProcess) => (await fetch(`${worker.url()}/`)).text();
  const renderings = () => workers.map(renderingsAfterStartUp);
  const siteLeaseHolder = async () => (await database.db.all<{ holder: string }>(sql`select holder from leases where name = 'site'`))[0]?.holder ?? '';

  it('has the first worker started hold the site lease', async () => {
    expect(await siteLeaseHolder()).toContain(`:${workers[0]!.child.pid}:`);
  });

  for (const [through, label] of [[1, 'the other worker'], [0, 'the holder']] as const) {
    it(`renders a change made through ${label} once, and both workers serve it`, async () => {
      const [holder, other] = workers as [WorkerProcess, WorkerProcess];
      const before = { version: await storedVersion(), renderings: renderings(), loads: loadsFromShared(other) };
      const title = `Correo demorado ${label}`;
      const res = await fetch(`${workers[through]!.url()}/api/admin/incidents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title, severity: 2, message: 'Los mensajes tardan en llegar.', components: ['correo'] }),
      });
      expect(res.status, await res.clone().text()).toBe(201);

      await waitForAsync(
        async () => (await home(holder)).includes(title) && (await home(other)).includes(title) && renderings()[0]! > before.renderings[0]!,
        30_000,
        'both workers to serve the new home page, and the holder to have logged its rendering',
      );
      // The holder stored each rendering it made (on a loaded machine the change may reach it in two steps, so two
      // renderings); the other rendered nothing and loaded the holder's. Logs reach us a little late: wait for them.
      await waitForAsync(
        async () => (await storedVersion()) - before.version === renderings()[0]! - before.renderings[0]! && loadsFromShared(other) > before.loads,
        30_000,
        'the holder\'s log to account for every stored version, and the other worker to log its loading',
      );
      expect(renderings()[0]! - before.renderings[0]!, renderReasons(holder).join('; ')).toBeGreaterThanOrEqual(1);
      expect(renderings()[1]).toBe(0);
    }, 60_000);
  }

  it('passes the rendering to the other worker when the holder is killed, and it renders the next change', async () => {
    const [holder, other] = workers as [WorkerProcess, WorkerProcess];
    holder.child.kill('SIGKILL');
    await holder.exited;
    const before = { version: await storedVersion(), renderings: renderingsAfterStartUp(other) };
    const title = 'Correo demorado tras la caída';
    const res = await fetch(`${other.url()}/api/admin/incidents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title, severity: 2, message: 'Los mensajes tardan en llegar.', components: ['correo'] }),
    });
    expect(res.status).toBe(201);
    // The lease lasts 5 s and is tried for every second: the page follows within that and a rendering.
    // It serves its pages as it renders them and stores them right after.
    await waitForAsync(async () => (await home(other)).includes(title) && (await storedVersion()) > before.version, 30_000, 'the surviving worker to take over, serve the change and store it');
    expect(await siteLeaseHolder()).toContain(`:${other.child.pid}:`);
    expect(other.output()).toContain('took over the site rendering');
    expect(renderingsAfterStartUp(other)).toBeGreaterThan(before.renderings);
  }, 60_000);
});
