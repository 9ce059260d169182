import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseInstatus } from '../../worker/upstream/adapters/instatus.ts';
import { pollSource as pollAnywhere, type KeptCache, type PollOptions, type PollOutcome, type UpstreamSource } from '../../worker/upstream/poll.ts';
import type { UpstreamSnapshot } from '../../worker/upstream/types.ts';
import { startUpstreamServer, type UpstreamServer } from '../fakes/upstream-server.ts';
import { NOW, fixture } from './support.ts';
import { LOCAL_NETWORK } from '../helpers/egress.ts';

/** The fake upstream listens on 127.0.0.1: these polls opt into private addresses. */
const pollSource = (source: UpstreamSource, previous: KeptCache | undefined, options: PollOptions): Promise<PollOutcome> =>
  pollAnywhere(source, previous, { ...options, fetch: { egress: LOCAL_NETWORK, ...options.fetch } });

const ctx = { now: NOW };

describe('Instatus adapter on a real page served over HTTP', () => {
  let server: UpstreamServer;
  let snapshot: UpstreamSnapshot;

  beforeAll(async () => {
    server = await startUpstreamServer();
    server.route('/summary.json', { body: fixture('instatus-summary.json'), headers: { 'Content-Type': 'application/json' } });
    server.route('/v2/components.json', { body: fixture('instatus-components.json'), headers: { 'Content-Type': 'application/json' } });
    const outcome = await pollSource({ type: 'instatus', url: server.url }, undefined, { now: NOW });
    if (outcome.kind !== 'snapshot') throw new Error(`poll gave ${outcome.kind}`);
    snapshot = outcome.snapshot;
  });
  afterAll(async () => {
    await server.close();
  });

  it('reads a Date.toString() start, cleans the title and maps the Instatus impact', () => {
    expect(snapshot.incidents[0]).toEqual({
      upstreamId: 'cm3lk2v9p00041xmz8h7q2b5c',
      title: 'Card payments failing in Mexico',
      status: 'investigating',
      impactRaw: 'MAJOROUTAGE',
      severity: 1,
      startedAt: new Date('2026-11-17T14:03:00.000Z'),
      resolvedAt: null,
      url: 'https://status.pagosrapidos.example/incident/cm3lk2v9p00041xmz8h7q2b5c',
      componentUpstreamIds: [],
      updates: [],
    });
  });

  it('takes the id from the URL when the row has none, and reads an ISO start with offset', () => {
    expect(snapshot.incidents[1]).toMatchObject({
      upstreamId: 'cm3ljx0aa00021xmzc4d1e9f0',
      status: 'monitoring',
      severity: 3,
      startedAt: new Date('2026-11-17T15:30:00.000Z'),
    });
  });

  it('computes the maintenance end from a duration given as a string of minutes', () => {
    expect(snapshot.maintenances).toEqual([
      {
        upstreamId: 'cm3m0q7r100061xmzt5u8v2w3',
        title: 'Ventana de mantenimiento: base de datos de conciliación',
        status: 'scheduled',
        startsAt: new Date('2026-11-19T09:00:00.000Z'),
        endsAt: new Date('2026-11-19T11:00:00.000Z'),
        url: 'https://status.pagosrapidos.example/maintenance/cm3m0q7r100061xmzt5u8v2w3',
        componentUpstreamIds: [],
      },
    ]);
  });

  it('lists components from components.json with their groups', () => {
    expect(snapshot.components.map((c) => [c.name, c.group ?? null, c.state])).toEqual([
      ['API', null, 'operational'],
      ['Card payments (MX)', 'Payments', 'major_outage'],
      ['Card payments (CO)', 'Payments', 'operational'],
      ['Settlement reports', null, 'degraded_performance'],
    ]);
    expect(snapshot.pageStatus).toEqual({ indicator: 'minor', description: null });
  });
});

describe('Instatus adapter on hostile or odd payloads', () => {
  it('reads null lists as empty and a page without incidents as calm', () => {
    const snapshot = parseInstatus({ summary: { page: { name: 'x', url: 'https://x.example', status: 'UP' }, activeIncidents: null, activeMaintenances: null } }, ctx);
    expect(snapshot).toMatchObject({ incidents: [], maintenances: [], pageStatus: { indicator: 'none' } });
  });

  it('keeps an incident whose start is unreadable, with the poll time, and says so', () => {
    const snapshot = parseInstatus(
      { summary: { page: { status: 'HASISSUES' }, activeIncidents: [{ name: 'X', started: 'a while ago', status: 'IDENTIFIED', impact: 'PARTIALOUTAGE' }] } },
      ctx,
    );
    expect(snapshot.incidents[0]).toMatchObject({ startedAt: NOW, status: 'identified', severity: 2, upstreamId: `X@${NOW.toISOString()}` });
    expect(snapshot.problems[0]).toMatchObject({ rowDropped: false, message: 'unreadable started; poll time used' });
  });

  it('accepts a numeric duration, leaves the end open for an unreadable one', () => {
    const snapshot = parseInstatus(
      {
        summary: {
          page: { status: 'UNDERMAINTENANCE' },
          activeIncidents: [],
          activeMaintenances: [
            { id: 'a', name: 'A', start: '2026-11-17T15:00:00Z', status: 'INPROGRESS', duration: 90 },
            { id: 'b', name: 'B', start: '2026-11-17T15:00:00Z', status: 'INPROGRESS', duration: 'two hours' },
          ],
        },
      },
      ctx,
    );
    expect(snapshot.maintenances.map((m) => m.endsAt?.toISOString() ?? null)).toEqual(['2026-11-17T16:30:00.000Z', null]);
    expect(snapshot.pageStatus?.indicator).toBe('maintenance');
  });

  it('ignores an unusable components.json and reports it', () => {
    const snapshot = parseInstatus({ summary: fixture('instatus-summary.json'), components: '"nope"' }, ctx);
    expect(snapshot.components).toEqual([]);
    expect(snapshot.problems).toContainEqual(expect.objectContaining({ where: 'v2/components.json' }));
  });

  it('reads nested component groups and unknown component words as unknown', () => {
    const snapshot = parseInstatus(
      {
        summary: { page: { status: 'UP' }, activeIncidents: [] },
        components: [{ id: 'g', name: 'Europe', status: 'OPERATIONAL', children: [{ id: 'c', name: 'API', status: 'WEIRD' }] }],
      },
      ctx,
    );
    expect(snapshot.components).toEqual([{ upstreamId: 'c', name: 'API', group: 'Europe', state: 'unknown' }]);
    expect(snapshot.unknownWords).toEqual(['WEIRD']);
  });
});
