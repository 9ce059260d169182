import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { googleEndpoints, parseGoogle } from '../../worker/upstream/adapters/google.ts';
import { UpstreamFormatError } from '../../worker/upstream/errors.ts';
import { pollSource as pollAnywhere, type KeptCache, type PollOptions, type PollOutcome, type UpstreamSource } from '../../worker/upstream/poll.ts';
import type { UpstreamSnapshot } from '../../worker/upstream/types.ts';
import { startUpstreamServer, type UpstreamServer } from '../fakes/upstream-server.ts';
import { NOW, fixture, fixtureJson } from './support.ts';
import { LOCAL_NETWORK } from '../helpers/egress.ts';

/** The fake upstream listens on 127.0.0.1: these polls opt into private addresses. */
const pollSource = (source: UpstreamSource, previous: KeptCache | undefined, options: PollOptions): Promise<PollOutcome> =>
  pollAnywhere(source, previous, { ...options, fetch: { egress: LOCAL_NETWORK, ...options.fetch } });

const ctx = { now: NOW, sourceUrl: 'https://www.google.com/appsstatus/dashboard/' };

describe('Google adapter on a real dashboard served over HTTP', () => {
  let server: UpstreamServer;
  let snapshot: UpstreamSnapshot;
  let source: string;

  beforeAll(async () => {
    server = await startUpstreamServer();
    server.route('/appsstatus/dashboard/incidents.json', { body: fixture('google-incidents.json'), headers: { 'Content-Type': 'application/json' } });
    server.route('/appsstatus/dashboard/products.json', { body: fixture('google-products.json'), headers: { 'Content-Type': 'application/json' } });
    source = `${server.url}/appsstatus/dashboard/incidents.json`;
    const outcome = await pollSource({ type: 'google', url: source }, undefined, { now: NOW });
    if (outcome.kind !== 'snapshot') throw new Error(`poll gave ${outcome.kind}`);
    snapshot = outcome.snapshot;
  });
  afterAll(async () => {
    await server.close();
  });

  it('keeps open incidents (end missing or null) and those ended in the last 7 days, not the archive', () => {
    expect(snapshot.incidents.map((i) => [i.upstreamId, i.status])).toEqual([
      ['aBcD1eFgH2iJkL3mNoP4', 'investigating'],
      ['QrStU5vWxY6zAbC7dEfG', 'investigating'],
      ['HiJkL8mNoP9qRsT0uVwX', 'resolved'],
    ]);
  });

  it('prefers status_impact over a disagreeing severity', () => {
    const calendar = snapshot.incidents.find((i) => i.upstreamId === 'HiJkL8mNoP9qRsT0uVwX');
    expect(calendar).toMatchObject({ impactRaw: 'SERVICE_INFORMATION', severity: 4, resolvedAt: new Date('2026-11-15T10:05:00Z') });
    expect(snapshot.incidents.find((i) => i.upstreamId === 'QrStU5vWxY6zAbC7dEfG')?.severity).toBe(1);
    expect(snapshot.incidents.find((i) => i.upstreamId === 'aBcD1eFgH2iJkL3mNoP4')?.severity).toBe(2);
  });

  it('reads updates oldest first as plain text, links resolved against the dashboard', () => {
    const gmail = snapshot.incidents[0];
    expect(gmail?.url).toBe(`${server.url}/appsstatus/dashboard/incidents/aBcD1eFgH2iJkL3mNoP4`);
    expect(gmail?.updates.map((u) => u.createdAt.toISOString())).toEqual(['2026-11-17T14:02:31.000Z', '2026-11-17T15:10:07.000Z']);
    expect(gmail?.updates[1]?.body).toBe(
      'Description\nOur engineering team has identified the cause and is applying a mitigation.\n\nWorkaround\nNone at this time. See https://support.google.com/a/answer/7039155 for delivery delay guidance.',
    );
    const calendar = snapshot.incidents.find((i) => i.upstreamId === 'HiJkL8mNoP9qRsT0uVwX');
    expect(calendar?.updates.map((u) => u.status)).toEqual([null, 'resolved']);
  });

  it('lists every product, in the state its open incidents imply', () => {
    expect(snapshot.components.map((c) => [c.name, c.state])).toEqual([
      ['Gmail', 'partial_outage'],
      ['Google Meet', 'major_outage'],
      ['Google Calendar', 'operational'],
      ['Google Drive', 'operational'],
      ['Google Chat', 'operational'],
    ]);
    expect(snapshot.maintenances).toEqual([]);
  });

  it('derives both endpoints from the dashboard or its incidents.json', () => {
    const fromFile = googleEndpoints('https://status.cloud.google.com/incidents.json').map((e) => e.url);
    const fromDir = googleEndpoints('https://www.google.com/appsstatus/dashboard').map((e) => e.url);
    expect(fromFile).toEqual(['https://status.cloud.google.com/incidents.json', 'https://status.cloud.google.com/products.json']);
    expect(fromDir).toEqual([
      'https://www.google.com/appsstatus/dashboard/incidents.json',
      'https://www.google.com/appsstatus/dashboard/products.json',
    ]);
  });
});

describe('Google adapter on hostile or odd payloads', () => {
  it('rejects anything but a top-level array', () => {
    expect(() => parseGoogle({ incidents: '{"incidents": []}' }, ctx)).toThrow(
      new UpstreamFormatError('expected a top-level array of incidents at incidents.json, got object', 'incidents.json'),
    );
  });

  it('filters a large archive down to what is recent, cheaply', () => {
    const rows = fixtureJson('google-incidents.json') as Record<string, unknown>[];
    const old = rows[4] as Record<string, unknown>;
    const archive = Array.from({ length: 5000 }, (_, n) => ({ ...old, id: `old-${n}` }));
    const snapshot = parseGoogle({ incidents: [...archive, rows[1]] }, ctx);
    expect(snapshot.incidents.map((i) => i.upstreamId)).toEqual(['QrStU5vWxY6zAbC7dEfG']);
  });

  it('uses severity when status_impact is absent, and reports words it does not know', () => {
    const snapshot = parseGoogle(
      {
        incidents: [
          { id: 'a', begin: '2026-11-17T10:00:00+00:00', external_desc: 'A', severity: 'medium' },
          { id: 'b', begin: '2026-11-17T10:00:00+00:00', external_desc: 'B', status_impact: 'SERVICE_MELTDOWN' },
        ],
      },
      ctx,
    );
    expect(snapshot.incidents.map((i) => i.severity)).toEqual([2, null]);
    expect(snapshot.unknownWords).toEqual(['SERVICE_MELTDOWN']);
  });

  it('drops rows whose end cannot be read instead of reporting a phantom open incident', () => {
    const snapshot = parseGoogle({ incidents: [{ id: 'a', begin: '2026-11-17T10:00:00+00:00', end: 'later', external_desc: 'A' }, 5, null] }, ctx);
    expect(snapshot.incidents).toEqual([]);
    expect(snapshot.problems.map((p) => p.where)).toEqual(['incidents.json[0]', 'incidents.json[1]', 'incidents.json[2]']);
  });

  it('keeps only the configured products', () => {
    const snapshot = parseGoogle(
      { incidents: fixture('google-incidents.json'), products: fixture('google-products.json') },
      ctx,
      { products: ['gmail'] },
    );
    expect(snapshot.incidents.map((i) => i.title)).toEqual(['Some users are experiencing delays sending and receiving email in Gmail']);
    expect(snapshot.components.map((c) => c.name)).toEqual(['Gmail']);
  });
});
