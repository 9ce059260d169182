/**
 * Whatever an upstream sends, an adapter either yields a snapshot or throws UpstreamFormatError, and a snapshot only
 * ever holds plain text, valid dates and known words.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../worker/upstream/adapters/feed.ts';
import { parseGoogle } from '../../worker/upstream/adapters/google.ts';
import { parseIncidentio } from '../../worker/upstream/adapters/incidentio.ts';
import { parseInstatus } from '../../worker/upstream/adapters/instatus.ts';
import { parseStatuspage } from '../../worker/upstream/adapters/statuspage.ts';
import { UpstreamFormatError } from '../../worker/upstream/errors.ts';
import type { UpstreamSnapshot } from '../../worker/upstream/types.ts';
import { NOW } from './support.ts';

const ctx = { now: NOW, sourceUrl: 'https://status.example.com' };

const parsers: Record<string, (input: unknown) => UpstreamSnapshot> = {
  statuspage: (input) => parseStatuspage({ summary: input, incidents: input, maintenances: input }, ctx),
  incidentio: (input) => parseIncidentio(input, ctx),
  instatus: (input) => parseInstatus({ summary: input, components: input }, ctx),
  google: (input) => parseGoogle({ incidents: input, products: input }, ctx),
  feed: (input) => parseFeed(input, ctx),
};

const COMPONENT_STATES = ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance', 'unknown'];

/** Runs a parser; a snapshot must be well-formed, an error must be UpstreamFormatError. */
function check(parse: (input: unknown) => UpstreamSnapshot, input: unknown): void {
  let snapshot: UpstreamSnapshot;
  try {
    snapshot = parse(input);
  } catch (error) {
    expect(error).toBeInstanceOf(UpstreamFormatError);
    return;
  }
  for (const component of snapshot.components) {
    expect(COMPONENT_STATES).toContain(component.state);
    expect(typeof component.name).toBe('string');
  }
  for (const incident of snapshot.incidents) {
    expect(Number.isNaN(incident.startedAt.getTime())).toBe(false);
    expect([1, 2, 3, 4, null]).toContain(incident.severity);
    expect(incident.title).not.toMatch(/<\/?[a-z][^<>]*>/i);
    for (const update of incident.updates) expect(Number.isNaN(update.createdAt.getTime())).toBe(false);
  }
  for (const maintenance of snapshot.maintenances) {
    expect(Number.isNaN(maintenance.startsAt.getTime())).toBe(false);
    expect(['scheduled', 'in_progress', 'verifying', 'completed']).toContain(maintenance.status);
  }
}

/** Values that look like upstream fields: the words, dates and shapes the adapters look for, mixed with junk. */
const fieldValue = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(
    'operational', 'major_outage', 'MAJOROUTAGE', 'critical', 'none', 'resolved', 'investigating', 'scheduled',
    'in_progress', 'maintenance', 'SERVICE_OUTAGE', 'high', 'UP', 'HASISSUES', 'NOTSTARTEDYET', '120',
    '2026-11-17T10:00:00-05:00', 'Tue Nov 17 2026 14:03:00 GMT+0000 (Coordinated Universal Time)', 'not a date',
    '<script>alert(1)</script>', 'https://status.example.com/incidents/abc', 'javascript:alert(1)', '',
  ) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
);
const keys = [
  'id', 'name', 'status', 'impact', 'group', 'group_id', 'components', 'created_at', 'started_at', 'updated_at', 'resolved_at',
  'scheduled_for', 'scheduled_until', 'incident_updates', 'body', 'display_at', 'shortlink', 'current_worst_impact',
  'affected_components', 'current_status', 'group_name', 'last_update_at', 'last_update_message', 'url', 'started', 'start',
  'duration', 'children', 'begin', 'end', 'external_desc', 'updates', 'status_impact', 'severity', 'affected_products',
  'uri', 'title', 'when', 'text', 'starts_at', 'ends_at', 'scheduled_end_at',
] as const;
const ID = fc.oneof(fc.constantFrom('a', 'b', 'cmp-1', 'inc-1'), fc.integer({ min: 0, max: 3 }), fieldValue);
const NESTED_KEYS = new Set(['components', 'incident_updates', 'affected_components', 'updates', 'children', 'affected_products']);
/** Every key is present about half the time, so rows with the right keys and wrong or missing values are common. */
const flatRow = fc.record(
  Object.fromEntries(keys.map((key) => [key, key === 'id' ? ID : fieldValue])) as Record<(typeof keys)[number], fc.Arbitrary<unknown>>,
  { requiredKeys: [] },
);
const row = fc
  .tuple(flatRow, fc.array(flatRow, { maxLength: 3 }), fc.constantFrom(...keys.filter((key) => NESTED_KEYS.has(key))))
  .map(([base, nested, nestedKey]) => ({ ...base, [nestedKey]: nested }));
const rows = fc.oneof(fc.array(row, { maxLength: 6 }), fieldValue);
/** Containers with the right top-level keys, so the row-level code is exercised, not just the first check. */
const plausiblePayload = fc.record(
  {
    page: fc.oneof(fc.record({ name: fieldValue, url: fieldValue, status: fieldValue }), fieldValue),
    status: fc.oneof(fc.record({ indicator: fieldValue, description: fieldValue }), fieldValue),
    components: rows,
    incidents: rows,
    scheduled_maintenances: rows,
    ongoing_incidents: rows,
    in_progress_maintenances: rows,
    activeIncidents: rows,
    activeMaintenances: rows,
    products: rows,
  },
  { requiredKeys: [] },
);

describe.each(Object.entries(parsers))('%s parser', (_name, parse) => {
  it('never throws anything but UpstreamFormatError on arbitrary values', () => {
    fc.assert(fc.property(fc.anything(), (value) => check(parse, value)), { numRuns: 150 });
  });

  it('never throws anything but UpstreamFormatError on arbitrary JSON text', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => check(parse, JSON.stringify(value))), { numRuns: 150 });
  });

  it('never throws anything but UpstreamFormatError on random strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (text) => check(parse, text)), { numRuns: 150 });
  });

  it('keeps its guarantees on payloads shaped like the real thing', () => {
    fc.assert(fc.property(plausiblePayload, (payload) => check(parse, JSON.stringify(payload))), { numRuns: 60 });
    fc.assert(fc.property(fc.array(row, { maxLength: 8 }), (list) => check(parse, JSON.stringify(list))), { numRuns: 30 });
  });
});

describe('feed parser on XML-ish input', () => {
  const xmlPiece = fc.constantFrom(
    '<rss>', '</rss>', '<channel>', '</channel>', '<item>', '</item>', '<feed>', '</feed>', '<entry>', '</entry>',
    '<title>', '</title>', '<pubDate>Tue, 17 Nov 2026 08:55:00 -0600</pubDate>', '<updated>2026-11-17T10:00:00Z</updated>',
    '<link href="https://x.example/incidents/abc"/>', '<guid>g</guid>', '<description><![CDATA[<script>x</script><strong>Resolved</strong>]]></description>',
    'text', '&amp;', '&lt;', '&', '<', '>', '<?xml version="1.0"?>', '<!DOCTYPE x [<!ENTITY a "aaaa">]>', '&a;',
  );
  it('never throws anything but UpstreamFormatError', () => {
    fc.assert(fc.property(fc.array(xmlPiece, { maxLength: 40 }), (pieces) => check(parsers.feed!, pieces.join(''))), { numRuns: 300 });
  });
});
