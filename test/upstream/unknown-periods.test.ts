/**
 * The record of when a source could not be read, written by the real poller against a real provider on 127.0.0.1
 * that starts failing, into a real libsql database, and what the public uptime bars make of it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { sources, sourceUnknownPeriods } from '../../db/schema/index.ts';
import type { Database } from '../../db/client.ts';
import { FAILURES_BEFORE_UNKNOWN } from '../../worker/upstream/poll-state.ts';
import { startUpstreamServer, type UpstreamServer } from '../fakes/upstream-server.ts';
import { fixture, NOW } from './support.ts';
import { sourceRow, watchApp } from './watch-support.ts';

let server: UpstreamServer;
let app: Awaited<ReturnType<typeof watchApp>> | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
  await server.close();
});

// The provider's page with nothing going on, so the days show the source's own state.
const summary = JSON.stringify({ ...JSON.parse(fixture('incidentio-summary.json')), ongoing_incidents: [], in_progress_maintenances: [], scheduled_maintenances: [] });
const PATH = '/down/api/v1/summary';
const periods = (db: Database) => db.select().from(sourceUnknownPeriods).orderBy(asc(sourceUnknownPeriods.startedAt));
const span = (p: { startedAt: Date; endedAt: Date | null }) => [p.startedAt.toISOString(), p.endedAt?.toISOString() ?? null];

async function setUp() {
  server = await startUpstreamServer();
  server.route(PATH, { body: summary, etag: '"v1"' });
  app = await watchApp({
    sources: [{ id: 'down', type: 'incidentio', url: `${server.url}/down`, interval: '60s' }],
    components: [{ id: 'portal', sources: ['down'] }],
  });
  const { clock, cycle, database } = app;
  /** Moves the clock to the source's next poll and runs it. */
  const pollAgain = async () => {
    clock.set((await sourceRow(database.db, 'down')).nextPollAt!);
    await cycle();
    return sourceRow(database.db, 'down');
  };
  return { ...app, pollAgain };
}

describe('unknown periods of a source', () => {
  it('open when the source turns unknown (from its last success), close when it is read again, by a fresh page or a 304', async () => {
    const { cycle, database, pollAgain } = await setUp();
    await cycle();
    const lastSuccess = (await sourceRow(database.db, 'down')).lastSuccessAt!;
    expect(lastSuccess).toEqual(NOW);

    server.route(PATH, { status: 503, body: 'unavailable' });
    for (let failure = 1; failure < FAILURES_BEFORE_UNKNOWN; failure++) {
      const row = await pollAgain();
      expect(row.state).not.toBe('unknown');
      expect(await periods(database.db)).toEqual([]);
    }
    const unknown = await pollAgain();
    expect(unknown.state).toBe('unknown');
    expect((await periods(database.db)).map(span)).toEqual([[lastSuccess.toISOString(), null]]);
    // Failing on: still one period, still open.
    await pollAgain();
    expect((await periods(database.db)).map(span)).toEqual([[lastSuccess.toISOString(), null]]);

    // The provider answers again with a new page: the period ends at that poll.
    server.route(PATH, { body: summary, etag: '"v2"' });
    const back = await pollAgain();
    expect(back.state).not.toBe('unknown');
    expect((await periods(database.db)).map(span)).toEqual([[lastSuccess.toISOString(), back.lastPolledAt!.toISOString()]]);

    // Down again, then back with the same page (304, recorded without reading anything).
    server.route(PATH, { status: 503, body: 'unavailable' });
    for (let failure = 1; failure <= FAILURES_BEFORE_UNKNOWN; failure++) await pollAgain();
    server.route(PATH, { body: summary, etag: '"v2"' });
    const unchanged = await pollAgain();
    expect(server.requests.at(-1)!.headers['if-none-match']).toBe('"v2"');
    expect(unchanged.state).not.toBe('unknown');
    expect((await periods(database.db)).map(span)).toEqual([
      [lastSuccess.toISOString(), back.lastPolledAt!.toISOString()],
      [back.lastPolledAt!.toISOString(), unchanged.lastPolledAt!.toISOString()],
    ]);
  });

  it('a source that was never read is unknown from its first failure', async () => {
    const { cycle, database, clock } = await setUp();
    server.route(PATH, { status: 503, body: 'unavailable' });
    await cycle();
    expect((await sourceRow(database.db, 'down')).state).toBe('unknown');
    expect((await periods(database.db)).map(span)).toEqual([[clock.now().toISOString(), null]]);
  });

  it('opens on the next failed poll for a source that was already unknown before periods were recorded', async () => {
    const { cycle, database, pollAgain } = await setUp();
    await cycle();
    server.route(PATH, { status: 503, body: 'unavailable' });
    for (let failure = 1; failure <= FAILURES_BEFORE_UNKNOWN; failure++) await pollAgain();
    await database.db.delete(sourceUnknownPeriods);
    await pollAgain();
    expect((await periods(database.db)).map(span)).toEqual([[NOW.toISOString(), null]]);
  });

  it('ends while the source is paused (the page does not show it unknown), starts again when it is resumed', async () => {
    const { cycle, database, pollAgain, request, clock } = await setUp();
    await cycle();
    server.route(PATH, { status: 503, body: 'unavailable' });
    for (let failure = 1; failure <= FAILURES_BEFORE_UNKNOWN; failure++) await pollAgain();
    clock.advance(60_000);
    const pausedAt = clock.now().toISOString();
    expect((await request('/api/admin/sources/down/pause', { method: 'POST' })).status).toBe(200);
    expect((await periods(database.db)).map(span)).toEqual([[NOW.toISOString(), pausedAt]]);
    clock.advance(3_600_000);
    const resumedAt = clock.now().toISOString();
    expect((await request('/api/admin/sources/down', { method: 'PATCH', json: { paused: false } })).status).toBe(200);
    expect((await periods(database.db)).map(span)).toEqual([
      [NOW.toISOString(), pausedAt],
      [resumedAt, null],
    ]);
  });

  it('shows on the uptime bar as its own kind of day, left out of the availability', async () => {
    const { cycle, database, pollAgain, request, clock } = await setUp();
    await cycle();
    const before = (await (await request('/api/uptime.json')).json()) as any;
    const portal = () => before.components.find((c: any) => c.id === 'portal');
    expect(before.legend.u).toBe('provider_unknown');
    expect(portal().days.at(-1)).toBe('o');

    server.route(PATH, { status: 503, body: 'unavailable' });
    for (let failure = 1; failure <= FAILURES_BEFORE_UNKNOWN; failure++) await pollAgain();
    clock.set('2026-11-17T20:00:00Z');
    const after = (await (await request('/api/uptime.json')).json()) as any;
    const row = after.components.find((c: any) => c.id === 'portal');
    // 17 Nov (today in Bogotá) greys; the component was created this morning, so earlier days have no data.
    expect(row.days.at(-1)).toBe('u');
    expect(row.days.at(-2)).toBe('-');
    // Created at 16:00Z and unread since then: nothing left to measure.
    expect(row.uptime[0]).toMatchObject({ availability: null, outage_ms: 0, maintenance_ms: 0 });
    expect((await sourceRow(database.db, 'down')).state).toBe('unknown');
  });

  it('go with the source when it is removed', async () => {
    const { cycle, database, request } = await setUp();
    server.route(PATH, { status: 503, body: 'unavailable' });
    await cycle();
    expect(await periods(database.db)).toHaveLength(1);
    // A config source is removed by taking it out of the file; an admin source through the API.
    await database.db.update(sources).set({ origin: 'admin' }).where(eq(sources.id, 'down'));
    expect((await request('/api/admin/sources/down', { method: 'DELETE' })).status).toBe(200);
    expect(await periods(database.db)).toEqual([]);
  });
});
