import { describe, expect, it } from 'vitest';
import { adapterOptionsSchemas, adapters } from '../../worker/upstream/adapter.ts';
import { UpstreamFormatError } from '../../worker/upstream/errors.ts';
import type { FetchSuccess } from '../../worker/upstream/fetch.ts';
import { SOURCE_TYPES } from '../../worker/core/vocabulary.ts';
import { NOW, fixture } from './support.ts';

function answered(body: string): FetchSuccess {
  return { ok: true, status: 200, body, etag: null, lastModified: null, notModified: false, latencyMs: 5, url: 'https://x', contentType: 'application/json', truncated: false };
}

describe('adapter registry', () => {
  it('has an adapter and an options schema for every source type', () => {
    for (const type of SOURCE_TYPES) {
      expect(adapters[type].type).toBe(type);
      expect(adapterOptionsSchemas[type]).toBeDefined();
    }
  });

  it('lists endpoints under the source URL, keeping a path prefix', () => {
    expect(adapters.statuspage.endpoints('https://status.example.com/status').map((e) => [e.key, e.url, e.required])).toEqual([
      ['summary', 'https://status.example.com/status/api/v2/summary.json', true],
      ['incidents', 'https://status.example.com/status/api/v2/incidents.json', false],
      ['maintenances', 'https://status.example.com/status/api/v2/scheduled-maintenances.json', false],
    ]);
    expect(adapters.incidentio.endpoints('https://status.vtex.com/').map((e) => e.url)).toEqual(['https://status.vtex.com/api/v1/summary']);
    expect(adapters.instatus.endpoints('https://x.instatus.com').map((e) => e.url)).toEqual([
      'https://x.instatus.com/summary.json',
      'https://x.instatus.com/v2/components.json',
    ]);
    expect(adapters.feed.endpoints('https://status.emailsrvr.com/history.rss').map((e) => [e.url, e.expect])).toEqual([
      ['https://status.emailsrvr.com/history.rss', 'xml'],
    ]);
  });

  it('parses responses by key', () => {
    const snapshot = adapters.statuspage.parse({ summary: answered(fixture('statuspage-summary.json')) }, { now: NOW, sourceUrl: 'https://status.mypurecloud.com' });
    expect(snapshot.components).toHaveLength(6);
  });

  it('reports a missing required response as an empty body, never a crash', () => {
    expect(() => adapters.incidentio.parse({}, { now: NOW, sourceUrl: 'https://x' })).toThrow(UpstreamFormatError);
  });

  it('passes options through to the adapter', () => {
    const snapshot = adapters.google.parse(
      { incidents: answered(fixture('google-incidents.json')) },
      { now: NOW, sourceUrl: 'https://www.google.com/appsstatus/dashboard/', options: { recentDays: 60 } },
    );
    // With a 60-day window the Drive incident from mid-October is kept too.
    expect(snapshot.incidents.map((i) => i.upstreamId)).toContain('YzAbC1dEfG2hIjK3lMnO');
  });

  it('validates options per type and refuses unknown ones', () => {
    expect(adapterOptionsSchemas.google.safeParse({ recentDays: 3, products: ['Gmail'] }).success).toBe(true);
    expect(adapterOptionsSchemas.google.safeParse({ recentDays: 'soon' }).success).toBe(false);
    expect(adapterOptionsSchemas.statuspage.safeParse({ anything: 1 }).success).toBe(false);
    expect(adapterOptionsSchemas.feed.safeParse({}).success).toBe(true);
  });
});
