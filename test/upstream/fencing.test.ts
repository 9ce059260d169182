/**
 * Fencing of polls across workers: two upstream watches on one database file (two handles, as two processes have), on
 * one clock the test moves. Worker A's poll stalls at the provider past its lease; worker B takes the source, polls and
 * records it; then A's answer arrives. A must not record it after B's (a poll recorded twice, the state going back): it
 * is dropped, logged and counted. A poll that outlived its lease while nobody took the source is still recorded.
 */
import { Writable } from 'node:stream';
import type { ServerResponse } from 'node:http';
import { count, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../db/client.ts';
import { incidents, sources } from '../../db/schema/index.ts';
import type { AppContext } from '../../worker/context.ts';
import { readEnv } from '../../worker/env.ts';
import { leaseHolder } from '../../worker/coordination/leases.ts';
import { createLogger } from '../../worker/lib/logger.ts';
import { syncConfigToDatabase } from '../../worker/store/sync-config.ts';
import { createUpstreamWatch, type UpstreamWatch } from '../../worker/upstream/scheduler.ts';
import { startUpstreamServer, type UpstreamServer } from '../fakes/upstream-server.ts';
import { testClock } from '../helpers/app.ts';
import { fileDatabase } from '../helpers/db.ts';
import { LOCAL_NETWORK_ENV } from '../helpers/egress.ts';
import { fixture, NOW } from './support.ts';
import { watchConfig } from './watch-support.ts';

const SUMMARY = '/vtex/api/v1/summary';
/** The provider's page with one incident under way (what A reads, before it ended). */
const WITH_INCIDENT = fixture('incidentio-summary.json');
/** The same page once the incident is over (what B reads, later). */
const QUIET = JSON.stringify({ page_title: 'VTEX', page_url: 'https://status.vtex.com', ongoing_incidents: [], in_progress_maintenances: [], scheduled_maintenances: [] });
/** The source's lease: a third of its 60 s interval. */
const LEASE_MS = 20_000;

interface Worker {
  ctx: AppContext;
  watch: UpstreamWatch;
  logs: Record<string, unknown>[];
}

let file: Awaited<ReturnType<typeof fileDatabase>>;
let otherHandle: DatabaseHandle;
let server: UpstreamServer;
let clock: ReturnType<typeof testClock>;
let a: Worker;
let b: Worker;
/** Answers of requests the provider holds back (A's stalled poll), in arrival order. */
let held: ((status: number, body: string, etag?: string) => void)[];
/** What the provider answers at once when it is not holding requests back. */
let answer: { status: number; body: string; etag?: string };
let holding: boolean;
let config: ReturnType<typeof watchConfig>;

function worker(db: DatabaseHandle['db'], holder: string): Worker {
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const ctx: AppContext = {
    db,
    config,
    env: readEnv({ ADMIN_TOKEN: 'test-admin-token-0123456789', ...LOCAL_NETWORK_ENV }),
    logger: createLogger('warn', sink),
    now: clock.now,
    publishedChanged: () => {},
    holder,
  };
  return { ctx, watch: createUpstreamWatch(ctx, { holder, random: () => 0.5 }), logs };
}

function send(res: ServerResponse, status: number, body: string, etag?: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', ...(etag ? { etag } : {}) }).end(status === 304 ? undefined : body);
}

beforeEach(async () => {
  held = [];
  holding = false;
  answer = { status: 200, body: QUIET };
  clock = testClock(NOW);
  server = await startUpstreamServer();
  server.route(SUMMARY, (req, res) => {
    if (holding) {
      held.push((status, body, etag) => send(res, status, body, etag));
      return;
    }
    const { status, body, etag } = answer;
    send(res, etag && req.headers['if-none-match'] === etag ? 304 : status, body, etag);
  });
  file = await fileDatabase();
  otherHandle = openDatabase(file.url);
  config = watchConfig([{ id: 'vtex', name: 'VTEX', type: 'incidentio', url: `${server.url}/vtex` }], [{ id: 'tienda', name: 'Tienda', sources: ['vtex'] }]);
  await syncConfigToDatabase(file.db, config, clock.now());
  a = worker(file.db, 'worker-a');
  b = worker(otherHandle.db, 'worker-b');
});

afterEach(async () => {
  holding = false;
  for (const release of held) release(503, '');
  await a.watch.stop();
  await b.watch.stop();
  otherHandle.close();
  file.cleanup();
  await server.close();
});

const source = async () => (await file.db.select().from(sources).where(eq(sources.id, 'vtex')))[0]!;
const incidentCount = async () => (await file.db.select({ n: count() }).from(incidents))[0]!.n;
const lostLines = (w: Worker) => w.logs.filter((line) => String(line.msg).includes('its lease on the source passed to another worker'));

/** A ticks and its request reaches the provider, which holds it: A's poll is stalled. */
async function stallA(): Promise<void> {
  holding = true;
  await a.watch.tick();
  await vi.waitFor(() => expect(held).toHaveLength(1));
  holding = false;
}

/** Time passes beyond A's lease with A not ticking (paused); B ticks, takes the source and records its poll. */
async function bTakesOver(): Promise<Date> {
  clock.advance(LEASE_MS + 1_000);
  const polledAt = clock.now();
  await b.watch.tick();
  await b.watch.idle();
  expect(b.watch.stats.started).toBe(1);
  expect(await leaseHolder(file.db, 'source:vtex', clock.now())).toBe('worker-b');
  return polledAt;
}

describe('a poll whose lease passed to another worker while it ran', () => {
  it('is not recorded after the other worker’s newer snapshot: no incident comes back, and it is counted and logged', async () => {
    await stallA();
    const polledByB = await bTakesOver();
    expect((await source()).lastPolledAt).toEqual(polledByB);

    // A's old page (an incident under way) arrives now.
    held[0]!(200, WITH_INCIDENT);
    await a.watch.idle();

    expect(await incidentCount()).toBe(0);
    const row = await source();
    expect(row.lastPolledAt).toEqual(polledByB);
    expect(row.state).toBe('operational');
    expect(a.watch.stats.leaseLost).toBe(1);
    expect(b.watch.stats.leaseLost).toBe(0);
    expect(lostLines(a)).toMatchObject([{ level: 40, source: 'vtex', holder: 'worker-a', outcome: 'snapshot' }]);
  });

  it('is not recorded after the other worker’s poll when it failed: no failure counted against the source', async () => {
    await stallA();
    const polledByB = await bTakesOver();

    held[0]!(503, 'unavailable');
    await a.watch.idle();

    const row = await source();
    expect(row.consecutiveFailures).toBe(0);
    expect(row.lastError).toBeNull();
    expect(row.lastPolledAt).toEqual(polledByB);
    expect(a.watch.stats.leaseLost).toBe(1);
    expect(lostLines(a)).toHaveLength(1);
  });

  it('is not recorded after the other worker’s poll when it was unchanged (304): the poll time does not go back', async () => {
    // Both workers hold the page's validators: a first poll by A records it with its ETag.
    answer = { status: 200, body: QUIET, etag: '"v1"' };
    await a.watch.tick();
    await a.watch.idle();
    clock.advance(60_000);
    await stallA();
    const polledByB = await bTakesOver();
    expect((await source()).lastPolledAt).toEqual(polledByB);

    held[0]!(304, '', '"v1"');
    await a.watch.idle();

    const row = await source();
    expect(row.lastPolledAt).toEqual(polledByB);
    expect(row.nextPollAt).toEqual(new Date(polledByB.getTime() + 60_000));
    expect(a.watch.stats.leaseLost).toBe(1);
    expect(lostLines(a)).toMatchObject([{ outcome: 'unchanged' }]);
  });
});

describe('a poll that outlived its lease while nobody took the source', () => {
  it('is recorded: no other worker polled it, and the record moves the next poll on', async () => {
    await stallA();
    const polledByA = clock.now();
    clock.advance(LEASE_MS + 1_000);
    held[0]!(200, WITH_INCIDENT);
    await a.watch.idle();

    expect(await incidentCount()).toBe(1);
    expect((await source()).lastPolledAt).toEqual(polledByA);
    expect(a.watch.stats.leaseLost).toBe(0);
    // B finds nothing due now.
    await b.watch.tick();
    await b.watch.idle();
    expect(b.watch.stats.started).toBe(0);
  });
});
