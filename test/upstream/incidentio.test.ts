import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIncidentio } from '../../worker/upstream/adapters/incidentio.ts';
import { UpstreamFormatError } from '../../worker/upstream/errors.ts';
import { pollSource as pollAnywhere, type KeptCache, type PollOptions, type PollOutcome, type UpstreamSource } from '../../worker/upstream/poll.ts';
import type { UpstreamSnapshot } from '../../worker/upstream/types.ts';
import { startUpstreamServer, type UpstreamServer } from '../fakes/upstream-server.ts';
import { NOW, fixture } from './support.ts';
import { LOCAL_NETWORK } from '../helpers/egress.ts';

/** The fake upstream listens on 127.0.0.1: these polls opt into private addresses. */
const pollSource = (source: UpstreamSource, previous: KeptCache | undefined, options: PollOptions): Promise<PollOutcome> =>
  pollAnywhere(source, previous, { ...options, fetch: { egress: LOCAL_NETWORK, ...options.fetch } });

const ctx = { now: NOW };

describe('incident.io adapter on a real page served over HTTP', () => {
  let server: UpstreamServer;
  let snapshot: UpstreamSnapshot;

  beforeAll(async () => {
    server = await startUpstreamServer();
    server.route('/api/v1/summary', { body: fixture('incidentio-summary.json'), headers: { 'Content-Type': 'application/json' } });
    const outcome = await pollSource({ type: 'incidentio', url: server.url }, undefined, { now: NOW });
    if (outcome.kind !== 'snapshot') throw new Error(`poll gave ${outcome.kind}`);
    snapshot = outcome.snapshot;
  });
  afterAll(async () => {
    await server.close();
  });

  it('lists the affected components with their current status and group', () => {
    expect(snapshot.components).toEqual([
      { upstreamId: '01H8ZP3QK2W9X5R7T4Y6V1N0CA', name: 'Checkout', group: 'Store Front', state: 'partial_outage' },
      { upstreamId: '01H8ZP3QK2W9X5R7T4Y6V1N0CB', name: 'Payments Gateway', group: 'Transactions', state: 'degraded_performance' },
      { upstreamId: '01H8ZP3QK2W9X5R7T4Y6V1N0CC', name: 'Catalog', group: 'Store Front', state: 'under_maintenance' },
    ]);
  });

  it('maps the ongoing incident with its worst impact and last update', () => {
    expect(snapshot.incidents).toEqual([
      {
        upstreamId: '01JCZ8T3W5Q2N7B4X6D9K1M0PE',
        title: 'Checkout errors for some stores in South America',
        status: 'identified',
        impactRaw: 'partial_outage',
        severity: 2,
        startedAt: new Date('2026-11-17T15:20:11.482Z'),
        resolvedAt: null,
        url: 'https://status.vtex.com/incidents/01JCZ8T3W5Q2N7B4X6D9K1M0PE',
        componentUpstreamIds: ['01H8ZP3QK2W9X5R7T4Y6V1N0CA', '01H8ZP3QK2W9X5R7T4Y6V1N0CB'],
        updates: [
          {
            upstreamId: '01JCZ8T3W5Q2N7B4X6D9K1M0PE@2026-11-17T15:20:11.482Z',
            status: 'identified',
            body: 'We identified a faulty deploy of the payment gateway connector and are rolling it back. Orders placed during the incident are being reprocessed.',
            createdAt: new Date('2026-11-17T15:20:11.482Z'),
          },
        ],
      },
    ]);
  });

  it('maps in-progress and scheduled maintenances with their windows', () => {
    expect(snapshot.maintenances.map((m) => [m.upstreamId, m.status, m.startsAt.toISOString(), m.endsAt?.toISOString()])).toEqual([
      ['01JCYQ4M8R1T6W3Z9B2C5D7F0G', 'in_progress', '2026-11-17T14:00:00.000Z', '2026-11-17T18:00:00.000Z'],
      ['01JD0A7C2E5G8J1L4N7Q0S3U6W', 'scheduled', '2026-11-21T05:00:00.000Z', '2026-11-21T07:00:00.000Z'],
    ]);
    expect(snapshot.maintenances[1]?.body).toBe('Order management will be read-only during the window.');
  });
});

describe('incident.io adapter on hostile or odd payloads', () => {
  it('rejects a body without any of the widget lists', () => {
    expect(() => parseIncidentio('{"page_title":"x"}', ctx)).toThrow(UpstreamFormatError);
    expect(() => parseIncidentio('null', ctx)).toThrow(/got null$/);
  });

  it('reads null lists as empty', () => {
    const snapshot = parseIncidentio({ ongoing_incidents: null, in_progress_maintenances: null, scheduled_maintenances: null }, ctx);
    expect(snapshot).toMatchObject({ components: [], incidents: [], maintenances: [] });
  });

  it('falls back to the incident impact for components without current_status, and reports unknown words', () => {
    const snapshot = parseIncidentio(
      {
        ongoing_incidents: [
          {
            id: 'i1',
            name: 'Outage',
            status: 'investigating',
            current_worst_impact: 'full_outage',
            affected_components: [{ id: 'c1', name: 'API' }, { id: 'c2', name: 'Web', current_status: 'wobbly' }],
          },
        ],
      },
      ctx,
    );
    expect(snapshot.components.map((c) => [c.upstreamId, c.state])).toEqual([
      ['c1', 'major_outage'],
      ['c2', 'unknown'],
    ]);
    expect(snapshot.incidents[0]).toMatchObject({ severity: 1, startedAt: NOW });
    expect(snapshot.unknownWords).toEqual(['wobbly']);
    expect(snapshot.problems).toContainEqual(expect.objectContaining({ rowDropped: false, message: expect.stringContaining('poll time used') }));
  });

  it('infers a maintenance status it does not know from the window', () => {
    const snapshot = parseIncidentio(
      {
        scheduled_maintenances: [
          { id: 'm1', name: 'Done', status: 'maintenance_finished', starts_at: '2026-11-16T00:00:00Z', ends_at: '2026-11-16T02:00:00Z' },
        ],
      },
      ctx,
    );
    expect(snapshot.maintenances[0]?.status).toBe('completed');
    expect(snapshot.unknownWords).toEqual(['maintenance_finished']);
  });
});
