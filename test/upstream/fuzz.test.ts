/**
 * The upstream adapters fuzzed through the poller, every type: generated payloads shaped like each format (a real
 * page with one part replaced, removed or wrapped, Atom and RSS built from generated entries) and unlike it (any
 * JSON, any text, a page cut short, markup nested deep). Whatever arrives, a poll ends in a snapshot or in the
 * adapter's own failure (`parse`, or `fetch` for a body of the wrong kind), never in an exception escaping the
 * adapter; and recording a poll after a good one, in a real libsql database, never erases what was known: a broken
 * payload changes nothing, any payload keeps every incident, update and window recorded.
 * The run is bounded (a few hundred payloads) and seeded: set VIGIA_FUZZ_SEED to the seed a failure reports.
 */
import { asc, eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { incidents, maintenances } from '../../db/schema/index.ts';
import { SOURCE_TYPES, type SourceType } from '../../worker/core/vocabulary.ts';
import { adapters } from '../../worker/upstream/adapter.ts';
import { UpstreamFormatError } from '../../worker/upstream/errors.ts';
import { checkContent, type FetchResult, type fetchUpstream } from '../../worker/upstream/fetch.ts';
import { pollSource } from '../../worker/upstream/poll.ts';
import { pollSourceNow } from '../../worker/upstream/run.ts';
import { fixture, NOW } from './support.ts';
import { rowCounts, watchApp } from './watch-support.ts';

const SEED = Number(process.env.VIGIA_FUZZ_SEED ?? 20261201);
console.info(`upstream adapter fuzz: seed ${SEED} (VIGIA_FUZZ_SEED=${SEED} repeats this run)`);

const BASE = 'https://status.example.com/page/';

/** A good page of each type, by endpoint key. */
const GOOD: Record<SourceType, Record<string, string>> = {
  statuspage: { summary: fixture('statuspage-summary.json'), incidents: fixture('statuspage-incidents.json'), maintenances: fixture('statuspage-scheduled-maintenances.json') },
  incidentio: { summary: fixture('incidentio-summary.json') },
  instatus: { summary: fixture('instatus-summary.json'), components: fixture('instatus-components.json') },
  google: { incidents: fixture('google-incidents.json'), products: fixture('google-products.json') },
  feed: { feed: fixture('statuspage-history.atom') },
  http: { check: 'OK' },
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The nodes of a JSON value (held in `holder.root`) in depth-first order, each with a way to replace or remove it. */
function nodes(holder: { root: Json }): { value: Json; set: (next: Json | undefined) => void }[] {
  const found: { value: Json; set: (next: Json | undefined) => void }[] = [];
  const walk = (value: Json, set: (next: Json | undefined) => void): void => {
    found.push({ value, set });
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, (next) => (next === undefined ? value.splice(i, 1) : (value[i] = next))));
    } else if (value !== null && typeof value === 'object') {
      for (const key of Object.keys(value)) walk(value[key]!, (next) => (next === undefined ? delete value[key] : (value[key] = next)));
    }
  };
  walk(holder.root, (next) => (holder.root = next ?? null));
  return found;
}

/** A good JSON page with one node replaced by generated JSON, removed, wrapped in an array or turned into text. */
const shapedJson = (good: string): fc.Arbitrary<string> =>
  fc.tuple(fc.nat(), fc.constantFrom('replace', 'remove', 'wrap', 'stringify'), fc.jsonValue({ maxDepth: 3 })).map(([pick, how, replacement]) => {
    const holder = { root: JSON.parse(good) as Json };
    const all = nodes(holder);
    const node = all[pick % all.length]!;
    if (how === 'replace') node.set(replacement as Json);
    else if (how === 'remove') node.set(undefined);
    else if (how === 'wrap') node.set([node.value]);
    else node.set(JSON.stringify(node.value));
    return JSON.stringify(holder.root);
  });

const text = fc.string({ unit: 'binary', maxLength: 200 });
const markupText = fc.oneof(text, fc.constantFrom('<script>alert(1)</script>', '&amp;&lt;&#0;&#xD800;', ']]>', '<![CDATA[x]]>', '&unknown;', '\u0000'));
const date = fc.oneof(
  fc.date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.date({ noInvalidDate: true }).map((d) => d.toUTCString()),
  text,
);

/** Atom or RSS built from generated entries: the right shape with anything in it. */
const shapedFeed: fc.Arbitrary<string> = fc
  .tuple(
    fc.boolean(),
    fc.array(fc.record({ id: markupText, title: markupText, date, body: markupText, extra: fc.option(fc.tuple(fc.constantFrom('x', 'category', 'link', 'updated'), markupText)) }), { maxLength: 8 }),
  )
  .map(([atom, entries]) => {
    const escape = (s: string) => (s.startsWith('<') || s.startsWith('&') ? s : s.replace(/&/g, '&amp;').replace(/</g, '&lt;'));
    const extra = (e: (typeof entries)[number]) => (e.extra ? `<${e.extra[0]}>${escape(e.extra[1])}</${e.extra[0]}>` : '');
    return atom
      ? `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>${entries
          .map((e) => `<entry><id>${escape(e.id)}</id><title>${escape(e.title)}</title><updated>${escape(e.date)}</updated><content type="html">${escape(e.body)}</content>${extra(e)}</entry>`)
          .join('')}</feed>`
      : `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>${entries
          .map((e) => `<item><guid>${escape(e.id)}</guid><title>${escape(e.title)}</title><pubDate>${escape(e.date)}</pubDate><description>${escape(e.body)}</description>${extra(e)}</item>`)
          .join('')}</channel></rss>`;
  });

/** Payloads unlike any format: any JSON, any text, a good page cut short, markup nested deep. */
const unlike = (good: string): fc.Arbitrary<string> =>
  fc.oneof(
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
    text,
    fc.nat().map((n) => good.slice(0, n % Math.max(good.length, 1))),
    fc.integer({ min: 1, max: 5_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
    fc.integer({ min: 1, max: 5_000 }).map((n) => '<a>'.repeat(n) + '</a>'.repeat(n)),
  );

/** A body for one endpoint of a type: shaped like its format or not. */
function bodyFor(type: SourceType, key: string): fc.Arbitrary<string> {
  const good = GOOD[type][key]!;
  if (type === 'feed') return fc.oneof(shapedFeed, unlike(good), fc.constant(fixture('provider-with-script.rss')));
  if (type === 'http') return fc.oneof(text, unlike(good));
  return fc.oneof({ weight: 3, arbitrary: shapedJson(good) }, { weight: 2, arbitrary: unlike(good) });
}

/** Bodies for every endpoint of a type, and the status each is served with. */
const pages = (type: SourceType): fc.Arbitrary<Record<string, { body: string; status: number }>> =>
  fc.record(
    Object.fromEntries(
      Object.keys(GOOD[type]).map((key) => [key, fc.record({ body: bodyFor(type, key), status: fc.oneof({ weight: 5, arbitrary: fc.constant(200) }, { weight: 1, arbitrary: fc.integer({ min: 100, max: 599 }) }) })]),
    ),
  );

/** A fetcher answering from `served` (by endpoint key), as the real one would: statuses and content kind checked. */
function fakeFetcher(type: SourceType, served: () => Record<string, { body: string; status: number }>): typeof fetchUpstream {
  const keys = new Map(adapters[type].endpoints(BASE).map((e) => [e.url, e.key]));
  return async (url, options = {}) => {
    const page = served()[keys.get(url)!] ?? { body: '', status: 404 };
    const failed = (kind: 'http_status' | 'bad_content', message: string): FetchResult => ({ ok: false, error: { kind, message, status: page.status, retryable: false }, latencyMs: 1, url });
    const accepted = options.acceptStatus ?? ((s: number) => s >= 200 && s <= 299);
    if (!accepted(page.status)) return failed('http_status', `HTTP ${page.status}`);
    const problem = checkContent(page.body, null, options.expect ?? 'any');
    if (problem !== null) return failed('bad_content', problem);
    return { ok: true, status: page.status, body: page.body, etag: null, lastModified: null, notModified: false, latencyMs: 1, url, contentType: null, truncated: false };
  };
}

const runs = (numRuns: number) => ({ seed: SEED, numRuns, endOnFailure: true });

describe('a poll of any payload', () => {
  it.each(SOURCE_TYPES)('%s: a snapshot or the adapter’s own failure, never an exception escaping it', async (type) => {
    await fc.assert(
      fc.asyncProperty(pages(type), async (served) => {
        const outcome = await pollSource({ type, url: BASE }, undefined, { now: NOW, fetcher: fakeFetcher(type, () => served) });
        if (outcome.kind === 'failed') expect(['parse', 'fetch'], outcome.message).toContain(outcome.stage);
        else expect(outcome.kind).toBe('snapshot');
      }),
      runs(120),
    );
  });
});

/** What was recorded from a source: its incidents and windows, with their states. */
async function known(db: Database, sourceId: string) {
  return {
    incidents: await db.select({ id: incidents.id, status: incidents.status, title: incidents.title }).from(incidents).where(eq(incidents.sourceId, sourceId)).orderBy(asc(incidents.id)),
    maintenances: await db.select({ id: maintenances.id, status: maintenances.status }).from(maintenances).where(eq(maintenances.sourceId, sourceId)).orderBy(asc(maintenances.id)),
    counts: await rowCounts(db),
  };
}

/** Whether the adapter alone refuses these bodies as a whole (a broken payload). */
function refused(type: SourceType, served: Record<string, { body: string; status: number }>): boolean {
  try {
    const responses = Object.fromEntries(
      adapters[type].endpoints(BASE).map((e) => [e.key, { ok: true as const, status: 200, body: served[e.key]!.body, etag: null, lastModified: null, notModified: false, latencyMs: 1, url: e.url, contentType: null, truncated: false }]),
    );
    adapters[type].parse(responses, { now: NOW, sourceUrl: BASE });
    return false;
  } catch (error) {
    expect(error).toBeInstanceOf(UpstreamFormatError);
    return true;
  }
}

describe('recording a payload after a good one', () => {
  const apps: Awaited<ReturnType<typeof watchApp>>[] = [];
  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  it.each(SOURCE_TYPES.filter((t) => t !== 'http'))('%s: a broken one changes nothing, none erases anything', async (type) => {
    const app = await watchApp({ sources: [{ id: 'fuzzed', type, url: BASE }], components: [{ id: 'panel', sources: ['fuzzed'] }], env: {} });
    apps.push(app);
    let served: Record<string, { body: string; status: number }> = Object.fromEntries(Object.entries(GOOD[type]).map(([key, body]) => [key, { body, status: 200 }]));
    const options = { fetcher: fakeFetcher(type, () => served) };
    expect(await pollSourceNow(app.ctx, 'fuzzed', options)).toMatchObject({ outcome: 'snapshot' });
    const good = await known(app.database.db, 'fuzzed');
    expect(good.incidents.length + good.maintenances.length).toBeGreaterThan(0);

    await fc.assert(
      fc.asyncProperty(pages(type), async (next) => {
        const before = await known(app.database.db, 'fuzzed');
        const broken = Object.values(next).every((p) => p.status === 200) && refused(type, next);
        served = next;
        app.clock.advance(61_000);
        const report = await pollSourceNow(app.ctx, 'fuzzed', options);
        expect(report?.outcome).not.toBe('error');
        const after = await known(app.database.db, 'fuzzed');
        if (broken) expect(after).toEqual(before);
        // Nothing recorded disappears: every incident and window is still there, and no count went down.
        expect(after.incidents.map((i) => i.id)).toEqual(expect.arrayContaining(before.incidents.map((i) => i.id)));
        expect(after.maintenances.map((m) => m.id)).toEqual(expect.arrayContaining(before.maintenances.map((m) => m.id)));
        for (const [table, n] of Object.entries(before.counts)) expect(after.counts[table as keyof typeof before.counts], table).toBeGreaterThanOrEqual(n);
      }),
      runs(12),
    );
  });
});
