/**
 * The poll scheduler against real sources on 127.0.0.1, driven by a test clock (ticks are called by hand, except
 * in the test of the cron tick itself).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { sources } from '../../db/schema/index.ts';
import { JITTER } from '../../worker/upstream/poll-state.ts';
import { watchRuntime } from '../../worker/upstream/runtime.ts';
import { startUpstreamServer, type UpstreamServer } from '../fakes/upstream-server.ts';
import { fixture } from './support.ts';
import { serveStatuspage, sourceRow, statuspagePages, watchApp, type SourceSeed } from './watch-support.ts';

const SECOND = 1000;
const MINUTE = 60_000;

let server: UpstreamServer;
let app: Awaited<ReturnType<typeof watchApp>> | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
  await server.close();
});

const summary = fixture('incidentio-summary.json');
const hits = (prefix: string) => server.requests.filter((r) => r.path.startsWith(`${prefix}/`)).length;

async function setUp(seeds: SourceSeed[], watch: Parameters<typeof watchApp>[0]['watch'] = {}) {
  app = await watchApp({ sources: seeds, components: seeds.map((s) => ({ id: `c-${s.id}`, sources: [s.id] })), watch });
  return app;
}

describe('upstream poll scheduler', () => {
  it('polls each source on its own interval', async () => {
    server = await startUpstreamServer();
    server.route('/fast/api/v1/summary', { body: summary, etag: '"f"' });
    server.route('/slow/api/v1/summary', { body: summary, etag: '"s"' });
    const { clock, cycle } = await setUp([
      { id: 'fast', type: 'incidentio', url: `${server.url}/fast`, interval: '60s' },
      { id: 'slow', type: 'incidentio', url: `${server.url}/slow`, interval: '5m' },
    ]);
    await cycle();
    expect([hits('/fast'), hits('/slow')]).toEqual([1, 1]);
    for (let i = 0; i < 10; i++) {
      clock.advance(30 * SECOND);
      await cycle();
    }
    // Five minutes later: fast every minute, slow once more.
    expect([hits('/fast'), hits('/slow')]).toEqual([6, 2]);
    // Conditional requests after the first.
    expect(server.requests.filter((r) => r.path === '/fast/api/v1/summary').slice(1).every((r) => r.headers['if-none-match'] === '"f"')).toBe(true);
  });

  it('never polls a source again while its poll is under way, however many ticks pass', async () => {
    server = await startUpstreamServer();
    server.route('/slow/api/v1/summary', { body: summary, delayMs: 300 });
    const { clock, watch } = await setUp([{ id: 'slow', type: 'incidentio', url: `${server.url}/slow`, interval: '60s' }]);
    await watch.tick();
    for (let i = 0; i < 5; i++) {
      clock.advance(2 * MINUTE);
      await watch.tick();
    }
    expect(watch.stats).toMatchObject({ started: 1, active: 1 });
    await watch.idle();
    expect(hits('/slow')).toBe(1);
    expect((await sourceRow(app!.database.db, 'slow')).lastSuccessAt).not.toBeNull();
    // Once recorded, the next tick polls it again.
    clock.advance(2 * MINUTE);
    await watch.tick();
    await watch.idle();
    expect(hits('/slow')).toBe(2);
  });

  it('keeps at most `concurrency` polls under way across sources, and gets through them all', async () => {
    server = await startUpstreamServer();
    let active = 0;
    let peak = 0;
    server.fallback((_req, res) => {
      active += 1;
      peak = Math.max(peak, active);
      setTimeout(() => {
        active -= 1;
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(summary);
      }, 40);
    });
    const seeds = Array.from({ length: 12 }, (_, i) => ({ id: `s${i}`, type: 'incidentio', url: `${server.url}/s${i}` }));
    const { cycle, watch } = await setUp(seeds, { concurrency: 3 });
    await cycle();
    expect(server.requests).toHaveLength(12);
    expect(peak).toBeGreaterThan(1);
    expect(peak).toBeLessThanOrEqual(3);
    expect(watch.stats).toMatchObject({ started: 12, active: 0, maxActive: 3, queued: 0 });
  });

  it('holds a slot until the poll is recorded: while the database is busy, fetched pages do not pile up', async () => {
    server = await startUpstreamServer();
    server.fallback((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(summary);
    });
    const seeds = Array.from({ length: 12 }, (_, i) => ({ id: `s${i}`, type: 'incidentio', url: `${server.url}/s${i}` }));
    const { watch, database } = await setUp(seeds, { concurrency: 3 });
    await watch.tick();
    // Something else takes the watch's database lock before the first answers arrive: no poll can be recorded.
    let release!: () => void;
    const busy = watchRuntime(database.db).lock.run(() => new Promise<void>((resolve) => (release = resolve)));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.requests).toHaveLength(3);
    expect(watch.stats).toMatchObject({ active: 3, queued: 9 });
    release();
    await busy;
    await watch.idle();
    expect(server.requests).toHaveLength(12);
    expect(watch.stats).toMatchObject({ started: 12, active: 0, maxActive: 3, queued: 0 });
  });

  it('backs off exponentially on failure, within the jitter bounds, and recovers to the interval', async () => {
    server = await startUpstreamServer();
    server.route('/down/api/v1/summary', { status: 503, body: 'unavailable' });
    for (const draw of [0, 0.999999]) {
      const { clock, cycle, database, close } = await watchApp({
        sources: [{ id: 'down', type: 'incidentio', url: `${server.url}/down`, interval: '60s' }],
        components: [{ id: 'x', sources: ['down'] }],
        watch: { random: () => draw },
      });
      const delays: number[] = [];
      for (let failures = 1; failures <= 4; failures++) {
        await cycle();
        const row = await sourceRow(database.db, 'down');
        expect(row.consecutiveFailures).toBe(failures);
        const delay = row.nextPollAt!.getTime() - clock.now().getTime();
        const base = MINUTE * 2 ** (failures - 1);
        expect(delay).toBeGreaterThanOrEqual(base * (1 - JITTER));
        expect(delay).toBeLessThanOrEqual(base * (1 + JITTER));
        delays.push(delay);
        // Not due before its back-off…
        clock.advance(delay - SECOND);
        const before = hits('/down');
        await cycle();
        expect(hits('/down')).toBe(before);
        clock.advance(SECOND);
      }
      expect(delays).toEqual([...delays].sort((a, b) => a - b));
      server.route('/down/api/v1/summary', { body: summary });
      await cycle();
      const row = await sourceRow(database.db, 'down');
      expect(row.consecutiveFailures).toBe(0);
      expect(row.nextPollAt!.getTime() - clock.now().getTime()).toBe(MINUTE);
      server.route('/down/api/v1/summary', { status: 503, body: 'unavailable' });
      await close();
    }
  });

  it('waits as long as Retry-After asks', async () => {
    server = await startUpstreamServer();
    server.route('/busy/api/v1/summary', { status: 429, headers: { 'Retry-After': '900' }, body: 'slow down' });
    const { clock, cycle, database } = await setUp([{ id: 'busy', type: 'incidentio', url: `${server.url}/busy` }]);
    await cycle();
    const row = await sourceRow(database.db, 'busy');
    expect(row.nextPollAt!.getTime() - clock.now().getTime()).toBe(15 * MINUTE);
  });

  it('skips paused sources and picks them up again when resumed', async () => {
    server = await startUpstreamServer();
    server.route('/p/api/v1/summary', { body: summary });
    server.route('/q/api/v1/summary', { body: summary });
    const { clock, cycle, database } = await setUp([
      { id: 'p', type: 'incidentio', url: `${server.url}/p` },
      { id: 'q', type: 'incidentio', url: `${server.url}/q` },
    ]);
    await database.db.update(sources).set({ paused: true }).where(eq(sources.id, 'p'));
    await cycle();
    clock.advance(10 * MINUTE);
    await cycle();
    expect([hits('/p'), hits('/q')]).toEqual([0, 2]);
    await database.db.update(sources).set({ paused: false }).where(eq(sources.id, 'p'));
    await cycle();
    expect(hits('/p')).toBe(1);
  });

  it('ticks on its own once started, and stop() aborts requests under way without recording them', async () => {
    server = await startUpstreamServer();
    server.route('/ok/api/v1/summary', { body: summary });
    server.route('/hang/api/v1/summary', { neverEnding: { intervalMs: 50 } });
    const { watch, database } = await setUp([
      { id: 'ok', type: 'incidentio', url: `${server.url}/ok` },
      { id: 'hang', type: 'incidentio', url: `${server.url}/hang` },
    ]);
    watch.start();
    const deadline = Date.now() + 5_000;
    while ((await sourceRow(database.db, 'ok')).lastPolledAt === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect((await sourceRow(database.db, 'ok')).lastPolledAt).not.toBeNull();
    expect(hits('/hang')).toBe(1);
    await watch.stop();
    expect(watch.stats.active).toBe(0);
    expect(await sourceRow(database.db, 'hang')).toMatchObject({ lastPolledAt: null, consecutiveFailures: 0 });
  });

  it('asks history endpoints only every few intervals while the current state is unchanged', async () => {
    server = await startUpstreamServer();
    serveStatuspage(server, statuspagePages(), '/sp');
    const { clock, cycle } = await setUp([{ id: 'sp', type: 'statuspage', url: `${server.url}/sp`, interval: '60s' }]);
    const paths = () => server.requests.map((r) => r.path.replace('/sp/api/v2/', ''));
    await cycle();
    expect(paths().sort()).toEqual(['incidents.json', 'scheduled-maintenances.json', 'summary.json']);
    server.requests.length = 0;
    for (let i = 0; i < 9; i++) {
      clock.advance(MINUTE);
      await cycle();
    }
    expect(paths()).toEqual(Array(9).fill('summary.json'));
    server.requests.length = 0;
    clock.advance(MINUTE);
    await cycle();
    // Ten minutes after the last full check, everything is asked again.
    expect(paths().sort()).toEqual(['incidents.json', 'scheduled-maintenances.json', 'summary.json']);
  });

  it('records only the poll state when a health check answers as before, and the change when it does not', async () => {
    server = await startUpstreamServer();
    server.route('/health', { status: 503, body: 'down' });
    const { clock, cycle, database, published } = await setUp([{ id: 'web', type: 'http', url: `${server.url}/health` }]);
    await cycle();
    expect(await sourceRow(database.db, 'web')).toMatchObject({ state: 'major_outage', consecutiveFailures: 0 });
    const signals = published.length;
    clock.advance(MINUTE);
    await cycle();
    const again = await sourceRow(database.db, 'web');
    expect(again).toMatchObject({ state: 'major_outage', lastSuccessAt: clock.now() });
    expect(published.length).toBe(signals);
    server.route('/health', { body: 'OK' });
    clock.advance(MINUTE);
    await cycle();
    expect(await sourceRow(database.db, 'web')).toMatchObject({ state: 'operational', stateSince: clock.now() });
    expect(published.length).toBe(signals + 1);
  });
});
