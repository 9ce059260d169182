import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStatuspage, statuspageEndpoints } from '../../worker/upstream/adapters/statuspage.ts';
import { UpstreamFormatError } from '../../worker/upstream/errors.ts';
import { fetchUpstream as fetchAnywhere, type FetchOptions, type FetchResult } from '../../worker/upstream/fetch.ts';
import type { UpstreamSnapshot } from '../../worker/upstream/types.ts';
import { startUpstreamServer, type UpstreamServer } from '../fakes/upstream-server.ts';
import { NOW, fixture, fixtureJson } from './support.ts';
import { LOCAL_NETWORK } from '../helpers/egress.ts';

/** The fake upstream listens on 127.0.0.1: these fetches opt into private addresses. */
const fetchUpstream = (url: string, options: Partial<FetchOptions> = {}): Promise<FetchResult> => fetchAnywhere(url, { egress: LOCAL_NETWORK, ...options });

const ctx = { now: NOW, sourceUrl: 'https://status.mypurecloud.com' };

function summaryWith(patch: Record<string, unknown>): string {
  return JSON.stringify({ ...(fixtureJson('statuspage-summary.json') as object), ...patch });
}

describe('Statuspage adapter on a real page served over HTTP', () => {
  let server: UpstreamServer;
  let snapshot: UpstreamSnapshot;

  beforeAll(async () => {
    server = await startUpstreamServer();
    server.route('/api/v2/summary.json', { body: fixture('statuspage-summary.json'), headers: { 'Content-Type': 'application/json' } });
    server.route('/api/v2/incidents.json', { body: fixture('statuspage-incidents.json'), headers: { 'Content-Type': 'application/json' } });
    server.route('/api/v2/scheduled-maintenances.json', {
      body: fixture('statuspage-scheduled-maintenances.json'),
      headers: { 'Content-Type': 'application/json' },
    });
    const bodies: Record<string, string> = {};
    for (const endpoint of statuspageEndpoints(server.url)) {
      const result = await fetchUpstream(endpoint.url, { expect: endpoint.expect });
      if (!result.ok) throw new Error(result.error.message);
      bodies[endpoint.key] = result.body;
    }
    snapshot = parseStatuspage({ summary: bodies.summary, incidents: bodies.incidents, maintenances: bodies.maintenances }, ctx);
  });
  afterAll(async () => {
    await server.close();
  });

  it('lists components keyed on id, with group rows turned into group names', () => {
    expect(snapshot.components.map((c) => [c.upstreamId, c.group ?? null, c.name, c.state])).toEqual([
      ['cmp-use-voice', 'Americas (US East)', 'Voice', 'major_outage'],
      ['cmp-use-messaging', 'Americas (US East)', 'Messaging', 'degraded_performance'],
      ['cmp-use-api', 'Americas (US East)', 'Platform API', 'operational'],
      ['cmp-euc-voice', 'EMEA (Frankfurt)', 'Voice', 'operational'],
      ['cmp-euc-messaging', 'EMEA (Frankfurt)', 'Messaging', 'operational'],
      ['cmp-status-notifications', null, 'Status notifications', 'operational'],
    ]);
  });

  it('reads the page indicator', () => {
    expect(snapshot.pageStatus).toEqual({ indicator: 'major', description: 'Partial System Outage' });
  });

  it('merges the unresolved incident from both files, keeping the fresher copy, with updates oldest first in UTC', () => {
    const incident = snapshot.incidents.find((i) => i.upstreamId === 'k7w2q9d1x4vb');
    expect(incident).toMatchObject({
      title: 'Calls failing to connect in Americas (US East)',
      status: 'identified',
      impactRaw: 'major',
      startedAt: new Date('2026-11-17T14:05:00.000Z'),
      resolvedAt: null,
      url: 'https://status.mypurecloud.com/incidents/k7w2q9d1x4vb',
      componentUpstreamIds: ['cmp-use-voice', 'cmp-use-messaging'],
    });
    expect(incident?.updates.map((u) => [u.upstreamId, u.status, u.createdAt.toISOString()])).toEqual([
      ['u-k7w2-1', 'investigating', '2026-11-17T14:12:44.402Z'],
      ['u-k7w2-2', 'investigating', '2026-11-17T14:31:12.560Z'],
      ['u-k7w2-3', 'identified', '2026-11-17T15:41:07.096Z'],
    ]);
    expect(incident?.updates[2]?.body).toBe(
      'Engineering has identified a failing media tier in us-east-1 and is moving traffic to healthy capacity.\n\nSome calls may still fail to connect.',
    );
  });

  it('raises a "major" incident to critical while a component it lists is in major outage', () => {
    expect(snapshot.incidents.find((i) => i.upstreamId === 'k7w2q9d1x4vb')?.severity).toBe(1);
  });

  it('keeps resolved and postmortem incidents from incidents.json, severity from impact alone', () => {
    const resolved = snapshot.incidents.find((i) => i.upstreamId === 'p0c5n8e3r6ts');
    expect(resolved).toMatchObject({ status: 'resolved', severity: 3, resolvedAt: new Date('2026-11-14T21:47:55.011Z') });
    expect(resolved?.updates[0]?.body).toBe('Performance dashboards & exports show data up to 40 minutes old. We are investigating.');
    const postmortem = snapshot.incidents.find((i) => i.upstreamId === 'z9h1a6m2b8qc');
    // -04:00 (daylight time) converts as precisely as -05:00.
    expect(postmortem).toMatchObject({ status: 'postmortem', severity: 1, startedAt: new Date('2026-10-28T11:40:58.572Z') });
    expect(postmortem?.updates.at(-1)?.body).toBe('A configuration change to the identity service caused token validation to fail.\nWe have added a canary stage.');
  });

  it('routes maintenances (also those listed in incidents.json) to maintenances, once each', () => {
    expect(snapshot.incidents.map((i) => i.upstreamId)).not.toContain('c2v7t4y9w1ep');
    expect(snapshot.maintenances).toEqual([
      {
        upstreamId: 'm3fr8k2pz0ya',
        title: 'EMEA (Frankfurt) telephony maintenance',
        status: 'scheduled',
        startsAt: new Date('2026-11-20T02:00:00.000Z'),
        endsAt: new Date('2026-11-20T04:30:00.000Z'),
        url: 'https://status.mypurecloud.com/incidents/m3fr8k2pz0ya',
        body: 'We will upgrade telephony edges in EMEA (Frankfurt). Calls in progress at the start of the window may drop once.',
        componentUpstreamIds: ['cmp-euc-voice'],
      },
      expect.objectContaining({ upstreamId: 'c2v7t4y9w1ep', status: 'completed', body: 'Database failover tests for the Platform API in Americas (US East).' }),
    ]);
  });

  it('reports nothing odd on a clean page', () => {
    expect(snapshot.unknownWords).toEqual([]);
    expect(snapshot.problems).toEqual([]);
  });
});

describe('Statuspage adapter on hostile or odd payloads', () => {
  it('rejects malformed JSON with a clear error', () => {
    expect(() => parseStatuspage({ summary: '{"components": [' }, ctx)).toThrow(UpstreamFormatError);
    expect(() => parseStatuspage({ summary: '{"components": [' }, ctx)).toThrow(/^malformed JSON at summary\.json/);
  });

  it('rejects an HTML page served instead of JSON', () => {
    expect(() => parseStatuspage({ summary: '<!DOCTYPE html><html><body>Hi</body></html>' }, ctx)).toThrow(
      'expected JSON at summary.json, got an HTML page',
    );
  });

  it('rejects a body of the wrong type, naming what it got', () => {
    expect(() => parseStatuspage({ summary: '"hello"' }, ctx)).toThrow(
      'expected an object with "components" or "status" or "incidents" or "page" at summary.json, got string',
    );
    expect(() => parseStatuspage({ summary: '[1,2]' }, ctx)).toThrow(/got array$/);
    expect(() => parseStatuspage({ summary: '{"foo": 1}' }, ctx)).toThrow(/got an object without them$/);
  });

  it('rejects a components field that is not a list rather than reporting an empty page', () => {
    expect(() => parseStatuspage({ summary: summaryWith({ components: 'broken' }) }, ctx)).toThrow(
      'expected "components" to be an array at summary.json, got string',
    );
  });

  it('drops bad rows and reports them, keeping the rest of the page', () => {
    const snapshot = parseStatuspage(
      {
        summary: summaryWith({
          components: [
            { id: 'a', name: 'API', status: 'operational' },
            { id: 42, name: 'Numeric id', status: 'partial_outage' },
            { name: 'no id', status: 'operational' },
            'not an object',
            null,
            { id: 'b', name: { nested: true }, status: 'operational' },
          ],
        }),
      },
      ctx,
    );
    expect(snapshot.components.map((c) => c.upstreamId)).toEqual(['a', '42']);
    expect(snapshot.problems.filter((p) => p.rowDropped).map((p) => p.where)).toEqual([
      'summary.json components[2]',
      'summary.json components[3]',
      'summary.json components[4]',
      'summary.json components[5]',
    ]);
  });

  it('never turns an unknown component word into operational, and reports the word', () => {
    const snapshot = parseStatuspage(
      { summary: summaryWith({ components: [{ id: 'a', name: 'API', status: 'Brownout' }, { id: 'b', name: 'Web' }] }) },
      ctx,
    );
    expect(snapshot.components.map((c) => c.state)).toEqual(['unknown', 'unknown']);
    expect(snapshot.unknownWords).toContain('Brownout');
  });

  it('reads words case-insensitively', () => {
    const snapshot = parseStatuspage(
      { summary: summaryWith({ components: [{ id: 'a', name: 'API', status: 'MAJOR_OUTAGE' }], status: { indicator: 'Critical' } }) },
      ctx,
    );
    expect(snapshot.components[0]?.state).toBe('major_outage');
    expect(snapshot.pageStatus?.indicator).toBe('critical');
  });

  it('gives an impact "none" incident the severity of its components in major outage', () => {
    const incident = {
      id: 'inc1',
      name: 'Calls dropping',
      status: 'investigating',
      impact: 'none',
      created_at: '2026-11-17T09:00:00-05:00',
      components: [{ id: 'cmp-use-voice', status: 'major_outage' }],
      incident_updates: [],
    };
    const snapshot = parseStatuspage({ summary: summaryWith({ incidents: [incident] }) }, ctx);
    expect(snapshot.incidents[0]).toMatchObject({ impactRaw: 'none', severity: 1 });
  });

  it('keeps the impact alone once the incident is resolved', () => {
    const incident = {
      id: 'inc1',
      name: 'Calls dropping',
      status: 'resolved',
      impact: 'none',
      created_at: '2026-11-17T09:00:00-05:00',
      resolved_at: '2026-11-17T10:00:00-05:00',
      components: [{ id: 'cmp-use-voice', status: 'major_outage' }],
    };
    const snapshot = parseStatuspage({ summary: summaryWith({ incidents: [incident] }) }, ctx);
    expect(snapshot.incidents[0]).toMatchObject({ severity: 4, resolvedAt: new Date('2026-11-17T15:00:00Z') });
  });

  it('reports an unknown impact word and an unknown status word, reading the status as open', () => {
    const incident = { id: 'inc1', name: 'Odd', status: 'triaging', impact: 'catastrophic', created_at: '2026-11-17T09:00:00Z' };
    const snapshot = parseStatuspage({ summary: summaryWith({ incidents: [incident] }) }, ctx);
    expect(snapshot.incidents[0]).toMatchObject({ status: 'investigating', severity: null, impactRaw: 'catastrophic' });
    expect(snapshot.unknownWords).toEqual(expect.arrayContaining(['catastrophic', 'triaging']));
  });

  it('drops an incident without a readable start and says why', () => {
    const incident = { id: 'inc1', name: 'No date', status: 'investigating', impact: 'minor', created_at: 'sometime' };
    const snapshot = parseStatuspage({ summary: summaryWith({ incidents: [incident] }) }, ctx);
    expect(snapshot.incidents).toEqual([]);
    expect(snapshot.problems).toContainEqual({ where: 'summary.json incidents[0]', message: 'no readable started_at or created_at', rowDropped: true });
  });

  it('ignores a broken incidents.json and still parses the summary', () => {
    const snapshot = parseStatuspage({ summary: fixture('statuspage-summary.json'), incidents: '<html>oops</html>' }, ctx);
    expect(snapshot.incidents.map((i) => i.upstreamId)).toEqual(['k7w2q9d1x4vb']);
    expect(snapshot.problems[0]?.where).toBe('incidents.json');
    expect(snapshot.problems[0]?.message).toContain('got an HTML page');
  });

  it('cleans script tags out of names and bodies', () => {
    const incident = {
      id: 'inc1',
      name: 'Outage <script>alert(1)</script>in <b>EU</b>',
      status: 'investigating',
      impact: 'minor',
      created_at: '2026-11-17T09:00:00Z',
      incident_updates: [{ id: 'u1', status: 'investigating', body: '<p>Looking</p><script>steal()</script>', created_at: '2026-11-17T09:01:00Z' }],
    };
    const snapshot = parseStatuspage({ summary: summaryWith({ incidents: [incident] }) }, ctx);
    expect(snapshot.incidents[0]?.title).toBe('Outage in EU');
    expect(snapshot.incidents[0]?.updates[0]?.body).toBe('Looking');
  });

  it('keeps the first of two components with the same id and reports the duplicate', () => {
    const snapshot = parseStatuspage(
      { summary: summaryWith({ components: [{ id: 'a', name: 'One', status: 'operational' }, { id: 'a', name: 'Two', status: 'major_outage' }] }) },
      ctx,
    );
    expect(snapshot.components).toEqual([{ upstreamId: 'a', name: 'One', state: 'operational' }]);
    expect(snapshot.problems[0]?.message).toBe('duplicate component id a');
  });

  it('reads an incident.io-style summary that carries only the page indicator', () => {
    const snapshot = parseStatuspage({ summary: JSON.stringify({ page: { id: 'x', name: 'VTEX' }, status: { indicator: 'minor', description: 'Minor Service Outage' } }) }, ctx);
    expect(snapshot).toMatchObject({ components: [], incidents: [], pageStatus: { indicator: 'minor' } });
  });
});
