/**
 * Generated requests against every route the app declares (read from the app itself, so a new route is covered
 * the day it is added): bodies of the wrong types, huge lists, deep nesting, long and odd strings, nulls, missing
 * and extra fields. Whatever comes in, the answer is never a 5xx; a refusal is the API's JSON error (or, on the
 * subscription pages people reach from mail, an HTML page) and stores nothing.
 *
 * Reproduce a failure with FC_SEED=<the seed logged> (and the path fast-check prints).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../helpers/app.ts';

const SEED = Number(process.env.FC_SEED ?? 20_261_201);
const RUNS_PER_ROUTE = 60;
/** fast-check stops a route's run after this long, whatever the number of runs done. */
const TIME_PER_ROUTE_MS = 2_000;
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

const t = await testApp({ env: { RESEND_WEBHOOK_SECRET: SECRET }, publishOnRead: false });
const routes = [...new Map(t.http.routes.filter((r) => r.method !== 'ALL').map((r) => [`${r.method} ${r.path}`, r])).values()];

/** Field names the API's bodies and queries use, so generated objects hit real fields as well as unknown ones. */
const FIELDS = [
  'title', 'severity', 'status', 'message', 'components', 'component_ids', 'started_at', 'at', 'severity_reason',
  'starts_at', 'ends_at', 'notify', 'reason', 'id', 'name', 'type', 'url', 'interval', 'sla', 'settings', 'paused',
  'email', 'channel', 'locale', 'timezone', 'incident_notices', 'min_severity', 'resubscribe', 'subscribers',
  'consent_source', 'month', 'from', 'to', 'format', 'limit', 'cursor', 'q', 'token', 'state', 'kind', 'ref', 'lang',
  'data', 'extra', '__proto__', 'constructor',
];

const oddString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '\u202e', '😀'.repeat(50), 'x'.repeat(100_000), '2027-02-30T10:00:00Z', '9999-12-31T23:59:59Z', 'correo', 'hosting', '-1', '1e309', 'NaN', 'null'),
);
const scalar = fc.oneof(oddString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom(0, -1, 2 ** 53, 1e308, 5));
/** Nesting deep enough to hurt a recursive reader, written as text (a value this deep would overflow fast-check's own printing). */
const deepText = fc.tuple(fc.constantFrom(...FIELDS), fc.integer({ min: 50, max: 100_000 }), fc.constantFrom('[', '{"a":')).map(
  ([field, depth, open]) => `{"${field}":${open.repeat(depth)}1${(open === '[' ? ']' : '}').repeat(depth)}}`,
);
const hugeList = fc.tuple(fc.integer({ min: 201, max: 10_000 }), scalar).map(([n, item]) => Array.from({ length: n }, (_, i) => (typeof item === 'string' ? `${item}${i}` : item)));
/** Ids that exist, repeated, alone or as `{ id, status }`: what made a UNIQUE constraint answer 500. */
const knownIds = fc.array(
  fc.oneof(fc.constantFrom('correo', 'hosting', 'telefonia'), fc.record({ id: fc.constantFrom('correo', 'hosting'), status: fc.constantFrom('operational', 'major_outage', 'bogus') })),
  { maxLength: 6 },
);
const value = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 2, arbitrary: knownIds },
  { weight: 2, arbitrary: fc.array(scalar, { maxLength: 5 }) },
  { weight: 1, arbitrary: hugeList },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom(...FIELDS), scalar, { maxKeys: 4 }) },
);
const instant = fc.oneof(
  fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2027-02-30T10:00:00Z', '2026-11-20T15:04:00Z', '9999-01-01T00:00:00Z', '2026-11-20 10:00', '2026-11-25T03:00:00-05:00'),
);
/** Values of the kind each field takes, so that some bodies pass validation and reach the services. */
const plausible = fc.record(
  {
    title: oddString,
    severity: fc.oneof(fc.integer({ min: 0, max: 5 }), scalar),
    status: fc.constantFrom('investigating', 'identified', 'monitoring', 'resolved', 'scheduled', 'nope'),
    message: oddString,
    components: knownIds,
    component_ids: knownIds,
    started_at: instant,
    at: instant,
    starts_at: instant,
    ends_at: instant,
    notify: fc.boolean(),
    reason: oddString,
    email: fc.constantFrom('ana@example.com', 'ANA@example.com', 'no-at-sign', 'a@b', `${'x'.repeat(300)}@example.com`),
    channel: fc.constantFrom('email', 'webhook', 'slack', 'pigeon'),
    locale: fc.constantFrom('es', 'en', 'pt-BR', 'xx'),
    timezone: fc.constantFrom('America/Bogota', 'Mars/Olympus', 'UTC'),
    incident_notices: fc.boolean(),
    min_severity: fc.integer({ min: 0, max: 10 }),
    subscribers: fc.array(fc.record({ email: fc.constantFrom('ana@example.com', 'luis@example.com', 'bad'), components: knownIds }, { requiredKeys: ['email'] }), { maxLength: 5 }),
    paused: fc.boolean(),
    interval: fc.oneof(fc.integer({ min: 0, max: 100_000 }), fc.constantFrom('2m', '1h', 'soon')),
    id: fc.constantFrom('nueva', 'gws', 'BAD ID'),
    name: oddString,
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  { weight: 4, arbitrary: plausible },
  { weight: 6, arbitrary: fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 10 })), value, { maxKeys: 8 }) },
  { weight: 2, arbitrary: fc.anything({ maxDepth: 3 }) },
  { weight: 1, arbitrary: value },
);

/**
 * A valid body for some routes, which generated changes then spoil a field at a time, so that requests get past
 * validation into the services. A route without one still gets every generic body.
 */
const EXAMPLES: Record<string, Record<string, unknown>> = {
  'POST /api/admin/incidents': { title: 'Caída', severity: 2, message: 'Investigando.', components: ['correo'] },
  'POST /api/admin/incidents/:id/updates': { status: 'identified', message: 'Causa hallada.', components: ['hosting'] },
  'POST /api/admin/maintenances': { title: 'Ventana', starts_at: '2026-11-26T03:00:00Z', ends_at: '2026-11-26T04:00:00Z', component_ids: ['correo'] },
  'PATCH /api/admin/maintenances/:id': { title: 'Otra', starts_at: '2026-11-27T03:00:00Z', ends_at: '2026-11-27T04:00:00Z' },
  'POST /api/admin/maintenances/:id/cancel': { reason: 'Ya no hace falta.' },
  'POST /api/admin/sources': { id: 'nueva', name: 'Nueva', type: 'statuspage', url: 'http://127.0.0.1:9/api/v2/summary.json', paused: true },
  'PATCH /api/admin/sources/:id': { name: 'Renombrada', interval: '2m' },
  'POST /api/admin/subscribers/import': { subscribers: [{ email: 'ana@example.com', components: ['correo'] }] },
  'POST /api/subscriptions': { email: 'ana@example.com', components: ['correo'], locale: 'es' },
};
/** A change to a valid body: a field set to a generated value, a field dropped, or a list's items repeated. */
type Change = { kind: 'set'; field: string; to: unknown } | { kind: 'drop'; field: string } | { kind: 'repeat'; field: string; times: number };
const mutated = (example: Record<string, unknown>) => {
  const own = fc.constantFrom(...Object.keys(example));
  const lists = Object.keys(example).filter((k) => Array.isArray(example[k]));
  const change: fc.Arbitrary<Change> = fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('set' as const), field: own, to: value }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('set' as const), field: fc.constantFrom(...FIELDS), to: value }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), field: own }) },
    ...(lists.length ? [{ weight: 2, arbitrary: fc.record({ kind: fc.constant('repeat' as const), field: fc.constantFrom(...lists), times: fc.integer({ min: 2, max: 10_000 }) }) }] : []),
  );
  return fc.array(change, { maxLength: 2 }).map((changes) => {
    const changed: Record<string, unknown> = { ...example };
    for (const c of changes) {
      if (c.kind === 'drop') delete changed[c.field];
      else if (c.kind === 'set') changed[c.field] = c.to;
      else if (Array.isArray(changed[c.field])) changed[c.field] = Array.from({ length: c.times }, () => changed[c.field] as unknown[]).flat();
    }
    return changed;
  });
};

/** A request's body as sent: mostly JSON, sometimes not JSON at all, under a JSON or another media type. */
const payloadFor = (example: Record<string, unknown> | undefined) => fc.oneof(
  ...(example ? [{ weight: 6, arbitrary: mutated(example).map((b) => ({ type: 'application/json', text: JSON.stringify(b) })) }] : []),
  { weight: 8, arbitrary: body.map((b) => ({ type: 'application/json', text: JSON.stringify(b) ?? 'null' })) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((text) => ({ type: 'application/json', text })) },
  { weight: 1, arbitrary: deepText.map((text) => ({ type: 'application/json', text })) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('text/csv', 'application/x-www-form-urlencoded', 'text/plain'), fc.string({ maxLength: 200 })).map(([type, text]) => ({ type, text })) },
);
const query = fc.dictionary(fc.constantFrom(...FIELDS), fc.oneof(oddString.map((s) => s.slice(0, 300)), fc.constantFrom('2026-11', '2026-02-30', 'csv', 'open', '10')), { maxKeys: 4 });

// Nothing that looks like an address goes out: generated requests must never make the worker fetch anything.
const reachesOut = (text: string) => /https?:|\/\//i.test(text.replaceAll('http://127.0.0.1:9/', ''));

let incidentId = '';
let clients = 0;
let maintenanceId = '';
const tables: string[] = [];

/** Every table's row count, in one statement. */
async function rowCounts(): Promise<Record<string, number>> {
  const columns = tables.map((table) => `(select count(*) from "${table}") as "${table}"`).join(', ');
  return (await t.ctx.db.get<Record<string, number>>(`select ${columns}`))!;
}

/** A path with its parameters filled: ids that exist (so bodies reach the services) or generated ones. */
const pathFor = (template: string) =>
  fc.tuple(fc.constantFrom(incidentId, maintenanceId, 'gws', 'correo'), fc.string({ unit: fc.constantFrom('a', 'Z', '0', '_', '-', '%', '.', 'é'), minLength: 1, maxLength: 30 }), fc.boolean()).map(
    ([known, made, useKnown]) =>
      template
        .replace(/:file\{[^}]*\}/, `${encodeURIComponent(made)}.ics`)
        .replace(/:\w+/g, encodeURIComponent(useKnown ? known : made)),
  );

function expectRefusalShape(status: number, type: string, text: string, where: string) {
  if (/^text\/html/.test(type)) {
    // The subscription pages answer people with a page, not JSON.
    expect(text, where).toMatch(/^<!doctype html>/i);
    return;
  }
  expect(type, where).toMatch(/^application\/json/);
  const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
  expect(Object.keys(parsed), where).toEqual(['error']);
  expect(typeof parsed.error?.code, where).toBe('string');
  expect(typeof parsed.error?.message, where).toBe('string');
  expect((parsed.error!.message as string).length, where).toBeLessThan(4_000);
}

beforeAll(async () => {
  const names = await t.ctx.db.all<{ name: string }>(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%'`);
  tables.push(...names.map((n) => n.name));
  const opened = await t.request('/api/admin/incidents', { method: 'POST', json: { title: 'Caída', severity: 2, message: 'Investigando.', components: ['correo'] } });
  incidentId = ((await opened.json()) as { incident: { id: string } }).incident.id;
  const window = await t.request('/api/admin/maintenances', { method: 'POST', json: { title: 'Ventana', starts_at: '2026-11-25T03:00:00Z', ends_at: '2026-11-25T04:00:00Z' } });
  maintenanceId = ((await window.json()) as { maintenance: { id: string } }).maintenance.id;
  // The link-signing secret is made on first use; make it now so no refusal below is the first use.
  await t.request('/api/subscriptions/manage?token=x');
  console.log(`generated-bodies: seed ${SEED}, ${routes.length} routes`);
});
/** How each route answered, logged at the end: a run that only ever met 404s or 415s would prove little. */
const statuses = new Map<string, number>();
afterAll(async () => {
  console.log(`generated-bodies: answers by route and status: ${JSON.stringify(Object.fromEntries(statuses))}`);
  await t.close();
});

describe('generated requests to every route', () => {
  it('finds the admin and public routes in the app', () => {
    const paths = routes.map((r) => `${r.method} ${r.path}`);
    expect(paths).toContain('POST /api/admin/incidents');
    expect(paths).toContain('POST /api/subscriptions');
    expect(paths.filter((p) => p.includes('/api/admin/')).length).toBeGreaterThan(20);
  });

  for (const route of routes) {
    const name = `${route.method} ${route.path}`;
    it(`${name}: never 5xx, refusals are the API's error and store nothing`, async () => {
      const withBody = route.method !== 'GET' && route.method !== 'HEAD';
      const example = EXAMPLES[name];
      // Run first, whatever the time: the route's valid body, and the same with each list's items repeated twice and
      // 10,000 times (what once answered 500 from a UNIQUE constraint and from too many SQL variables).
      const known = route.path.replace(/:id\b/, route.path.includes('incidents') ? incidentId : route.path.includes('maintenances') ? maintenanceId : 'gws');
      const firstRuns: [string, Record<string, string>, { type: string; text: string }][] = example
        ? [1, 2, 10_000].map((times) => [
            known,
            {},
            { type: 'application/json', text: JSON.stringify(Object.fromEntries(Object.entries(example).map(([k, v]) => [k, Array.isArray(v) ? Array.from({ length: times }, () => v).flat() : v]))) },
          ])
        : [];
      await fc.assert(
        fc.asyncProperty(pathFor(route.path), query, payloadFor(EXAMPLES[name]), async (path, params, sent) => {
          fc.pre(!reachesOut(sent.text) && !reachesOut(JSON.stringify(params)));
          const search = new URLSearchParams(params as Record<string, string>).toString();
          const url = `${path}${search ? `?${search}` : ''}`;
          const before = await rowCounts();
          // Each request from its own client, so the subscription limit does not answer them all.
          const headers = { 'x-forwarded-for': `198.51.100.${++clients % 250}, 203.0.113.${clients % 200}`, ...(withBody ? { 'content-type': sent.type } : {}) };
          const response = await t.request(url, { method: route.method, headers, ...(withBody ? { body: sent.text } : {}) });
          const text = await response.text();
          const where = `${route.method} ${url.slice(0, 200)} with ${sent.type} ${sent.text.slice(0, 200)} → ${response.status} ${text.slice(0, 300)}`;
          statuses.set(`${route.method} ${route.path} ${response.status}`, (statuses.get(`${route.method} ${route.path} ${response.status}`) ?? 0) + 1);
          expect(response.status, where).toBeLessThan(500);
          if (response.status >= 400) {
            expectRefusalShape(response.status, response.headers.get('content-type') ?? '', text, where);
            expect(await rowCounts(), where).toEqual(before);
          }
        }),
        { seed: SEED, numRuns: RUNS_PER_ROUTE, examples: firstRuns, interruptAfterTimeLimit: TIME_PER_ROUTE_MS, markInterruptAsFailure: false, endOnFailure: true },
      );
    }, 60_000);
  }
});
