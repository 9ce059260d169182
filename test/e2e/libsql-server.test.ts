/**
 * Two workers started as real processes on one real libSQL server (sqld, `DATABASE_URL=http://127.0.0.1:<port>`), both
 * polling, running the jobs, sending mail and rendering the site, with a fake provider and the fake Resend API on
 * 127.0.0.1: each source is polled once per interval by one of them (requests counted by the provider), a maintenance
 * window's announcement reaches each subscriber once, and a change is rendered once, by the holder of the `site`
 * lease, and served by both; while the server is down both serve the page they have and say so on /healthz, and they
 * recover when it is back on its data. The first worker applies the migrations to the empty server; the second starts
 * after it, as the compose file starts them.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../db/client.ts';
import { createLogger } from '../../worker/lib/logger.ts';
import { ROOT_DIR } from '../../worker/server.ts';
import { ensureRendererBuild } from '../../worker/site/renderer-build.ts';
import { startFakeResend, type FakeResendServer } from '../fakes/resend-server.ts';
import { startUpstreamServer, type UpstreamServer } from '../fakes/upstream-server.ts';
import { startSqld, type SqldServer } from '../helpers/sqld.ts';
import { waitFor } from '../mail/processes.ts';
import { countedProvidersConfig, providerIds, routeCountedProviders } from './counted-providers.ts';
import { pollGaps, running, startWorkerProcess, stopAll, waitForAsync, type WorkerProcess } from './worker-processes.ts';

const TOKEN = 'libsql-server-admin-token-0123';
const SOURCES = 20;
const INTERVAL_MS = 10_000;
const SUBSCRIBERS = 300;
const ids = providerIds(SOURCES);

const configYaml = (upstream: string) => countedProvidersConfig(upstream, ids, INTERVAL_MS);

/** Why a worker rendered the site after its start-up rendering, as logged. */
function renderingsAfterStartUp(worker: WorkerProcess): number {
  return worker
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg?: string; reason?: string })
    .filter((entry) => entry.msg === 'site rendered' && entry.reason !== 'start-up').length;
}


describe('two workers on one libSQL server', () => {
  let server: SqldServer;
  let database: DatabaseHandle;
  let upstream: UpstreamServer;
  let fake: FakeResendServer;
  /** When each source was asked (ms), in order. */
  const asked = new Map<string, number[]>();
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    // Built once before the workers start, so the test's time is theirs.
    await ensureRendererBuild({ rootDir: ROOT_DIR, logger: createLogger('silent') });
    server = await startSqld();
    upstream = await startUpstreamServer();
    routeCountedProviders(upstream, ids, asked);
    fake = await startFakeResend();
    const configPath = join(server.dir, 'vigia.config.yaml');
    writeFileSync(configPath, configYaml(upstream.url));
    const env = {
      DATABASE_URL: server.url,
      VIGIA_DATA_DIR: server.dir,
      VIGIA_CONFIG: configPath,
      ADMIN_TOKEN: TOKEN,
      RESEND_API_KEY: fake.apiKey,
      RESEND_BASE_URL: fake.url,
      VIGIA_BUILD_SITE: '1',
      LOG_LEVEL: 'info',
    };
    // The first applies the migrations to the empty server and takes the site's lease; then the second.
    workers.push(startWorkerProcess(env));
    await running(workers[0]!);
    workers.push(startWorkerProcess(env));
    await running(workers[1]!);
    database = openDatabase(server.url);
  }, 120_000);

  afterAll(async () => {
    await stopAll(workers);
    database?.close();
    await upstream?.close();
    await fake?.close();
    await server?.stop();
    // Started again on its data, the server leaves the folder to us.
    if (server) rmSync(server.dir, { recursive: true, force: true });
  });

  const admin = async (worker: WorkerProcess, method: string, path: string, body: string, contentType = 'application/json') => {
    const response = await fetch(`${worker.url()}${path}`, { method, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': contentType }, body });
    return { status: response.status, body: (await response.json()) as any };
  };

  it('has both workers use the server, without errors', async () => {
    const migrations = await database.db.all<{ n: number }>(sql`select count(*) as n from __drizzle_migrations`);
    expect(Number(migrations[0]!.n)).toBeGreaterThan(0);
    for (const w of workers) {
      const health = await fetch(`${w.url()}/healthz`);
      expect(health.status, await health.clone().text()).toBe(200);
      expect(w.output()).not.toMatch(/"level":(50|60)/);
    }
  });

  it(`polls each of ${SOURCES} sources once per interval for 3 intervals, spread over both workers, and records nothing twice`, async () => {
    await waitFor(() => [...asked.values()].every((t) => t.length > 0), 30_000, 'every source to be polled');
    // From an interval on: the second worker's start (its first rendering, its first claims) is behind us.
    const from = Date.now() + INTERVAL_MS;
    const to = from + 3 * INTERVAL_MS;
    await waitFor(() => Date.now() >= to, 4 * INTERVAL_MS + 5_000, 'three intervals');
    const { min, max, counts } = pollGaps(asked, from, to);
    // As in the tests on one file: never twice in an interval (two workers polling one source would show two requests
    // about a tick apart), never an interval skipped; three intervals hold three polls, or two as cycles start late.
    expect(min).toBeGreaterThanOrEqual(INTERVAL_MS / 2);
    expect(max).toBeLessThan(2 * INTERVAL_MS);
    for (const c of counts) expect([2, 3]).toContain(c);

    const twice = await database.db.all(sql`select source_id, upstream_id, count(*) as n from incidents where source_id is not null group by source_id, upstream_id having n > 1`);
    expect(twice).toEqual([]);
    const incidents = await database.db.all<{ n: number }>(sql`select count(*) as n from incidents where source_id is not null`);
    expect(Number(incidents[0]!.n)).toBe(SOURCES);
    const holders = await database.db.all<{ holder: string }>(sql`select distinct holder from leases where name like 'source:%'`);
    expect(holders.length).toBeGreaterThan(1);
  }, 120_000);

  it(`sends a maintenance window's announcement once to each of ${SUBSCRIBERS} subscribers, from both workers`, async () => {
    const addresses = Array.from({ length: SUBSCRIBERS }, (_, i) => `lector${String(i).padStart(3, '0')}@cliente.example`);
    const csv = `email,components,locale\n${addresses.map((a) => `${a},hosting,es`).join('\n')}\n`;
    const imported = await admin(workers[0]!, 'POST', '/api/admin/subscribers/import?consent_source=contrato', csv, 'text/csv');
    expect(imported.body).toMatchObject({ created: SUBSCRIBERS, errors: [] });
    const startsAt = new Date(Date.now() + 9 * 3_600_000);
    const created = await admin(
      workers[1]!,
      'POST',
      '/api/admin/maintenances',
      JSON.stringify({ title: 'Migración de servidores', starts_at: startsAt.toISOString(), ends_at: new Date(startsAt.getTime() + 3_600_000).toISOString(), component_ids: ['hosting'] }),
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);

    const announced = () => fake.deliveries.filter((d) => d.subject?.includes('Migración de servidores'));
    await waitFor(() => announced().length >= SUBSCRIBERS, 30_000, 'the whole announcement');
    const perAddress = new Map<string, number>();
    for (const d of announced()) for (const to of d.to) perAddress.set(to, (perAddress.get(to) ?? 0) + 1);
    expect([...perAddress.keys()].sort()).toEqual(addresses);
    expect([...perAddress.values()].every((n) => n === 1)).toBe(true);
    expect(fake.duplicates('ref')).toEqual([]);
  }, 60_000);

  it('renders each change once, in the holder of the site lease, and both workers serve it', async () => {
    const version = async () => Number((await database.db.all<{ version: number }>(sql`select version from site_renderings`))[0]?.version ?? 0);
    const holder = (await database.db.all<{ holder: string }>(sql`select holder from leases where name = 'site'`))[0]?.holder ?? '';
    const [renderer, other] = holder.includes(`:${workers[0]!.child.pid}:`) ? [workers[0]!, workers[1]!] : [workers[1]!, workers[0]!];
    expect(holder).toContain(`:${renderer.child.pid}:`);
    // Each rendering after the start-up one (which comes before the lease is taken) is stored once: the stored version
    // counts them. They are logged just before they are stored, so the two agree whenever no rendering is under way.
    const settled = async () => (await version()) === renderingsAfterStartUp(renderer);
    await waitForAsync(settled, 30_000, 'the renderings of the polls and the window to be stored');
    const before = { version: await version(), renderings: renderingsAfterStartUp(renderer) };
    expect(before.version).toBeGreaterThan(0);

    const title = 'Correo demorado';
    const created = await admin(other, 'POST', '/api/admin/incidents', JSON.stringify({ title, severity: 2, message: 'Los mensajes tardan en llegar.', components: ['correo'] }));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const home = async (w: WorkerProcess) => (await fetch(`${w.url()}/`)).text();
    await waitForAsync(async () => (await home(renderer)).includes(title) && (await home(other)).includes(title), 30_000, 'both workers to serve the change');
    await waitForAsync(async () => (await settled()) && (await version()) > before.version, 30_000, 'its rendering to be stored');
    // The other worker never rendered anything after its start, through the polls', the window's and this change:
    // it loads what the holder stored.
    expect(renderingsAfterStartUp(other)).toBe(0);
    expect(other.output()).toContain('site loaded from the shared rendering');
    const stored = (await database.db.all<{ holder: string }>(sql`select holder from site_renderings`))[0]?.holder;
    expect(stored).toBe(holder);
  }, 60_000);

  it('serves the page while the server is down, with /healthz at 503, and recovers when it is back on its data', async () => {
    const port = Number(new URL(server.url).port);
    const dir = server.dir;
    const counts = sql`select (select count(*) from incidents) || ' ' || (select count(*) from subscribers) as n`;
    const [written] = await database.db.all<{ n: string }>(counts);
    await server.stop({ keepData: true });
    for (const w of workers) {
      await waitForAsync(async () => (await fetch(`${w.url()}/healthz`)).status === 503, 30_000, 'the worker to report the database unreachable');
      const page = await fetch(`${w.url()}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Prueba Hosting');
    }
    server = await startSqld({ dir, port });
    for (const w of workers) {
      await waitForAsync(async () => (await fetch(`${w.url()}/healthz`)).status === 200, 30_000, 'the worker to be healthy again');
    }
    // Nothing was lost: what was written before the stop is read back from the server's data.
    expect((await database.db.all<{ n: string }>(counts))[0]).toEqual(written);
  }, 60_000);
});
