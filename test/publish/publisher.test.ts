import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { components, sources } from '../../db/schema/index.ts';
import { parseConfigText } from '../../worker/config/load.ts';
import { answerFor } from '../../worker/http/representation.ts';
import { createLogger } from '../../worker/lib/logger.ts';
import { jsonDocument, type DocumentSourceEntry } from '../../worker/publish/document.ts';
import { DOCUMENT_SOURCES } from '../../worker/publish/documents/index.ts';
import { clockFacts, nextTimeDrivenChange } from '../../worker/publish/next-change.ts';
import { Publisher, type PublishedEntry } from '../../worker/publish/publisher.ts';
import { loadPublishedState } from '../../worker/status/read-model.ts';
import { testApp } from '../helpers/app.ts';
import { TEST_CONFIG_YAML } from '../helpers/config.ts';

const HOUR = 3_600_000;

/** Polls until `read` returns a value (no fixed sleeps); fails with what it waited for. */
async function waitFor<T>(what: string, read: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Counts every statement the libsql client runs, however drizzle sends it. */
function countQueries(client: { execute: unknown; batch: unknown; transaction: unknown }) {
  const counter = { count: 0 };
  for (const method of ['execute', 'batch', 'transaction'] as const) {
    const original = (client as any)[method].bind(client);
    (client as any)[method] = (...args: unknown[]) => {
      counter.count++;
      return original(...args);
    };
  }
  return counter;
}

describe('the published snapshot', () => {
  let t: Awaited<ReturnType<typeof testApp>> | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const openIncident = (title: string) =>
    t!.request('/api/admin/incidents', { method: 'POST', json: { title, severity: 2, message: 'Investigamos.', components: ['correo'] } });

  it('makes a change visible without any request reading the database', async () => {
    t = await testApp({ publishOnRead: false });
    await t.publisher.start();
    const queries = countQueries(t.database.client);
    const before = queries.count;
    for (let i = 0; i < 50; i++) {
      for (const path of ['/api/v2/summary.json', '/api/v2/status.json', '/api/v2/components.json', '/api/v2/incidents/unresolved.json', '/api/site.json']) {
        expect((await t.request(path)).status).toBe(200);
      }
    }
    expect(queries.count).toBe(before);

    expect((await openIncident('Correo lento')).status).toBe(201);
    const visible = await waitFor('the incident in unresolved.json', async () => {
      const body = (await (await t!.request('/api/v2/incidents/unresolved.json')).json()) as any;
      return body.incidents.length ? body.incidents : undefined;
    });
    expect(visible[0].name).toBe('Correo lento');
    // Reads after the change still never reach the database; only the rebuild did.
    const settled = queries.count;
    for (let i = 0; i < 50; i++) await t.request('/api/v2/summary.json');
    expect(queries.count).toBe(settled);
  });

  it('changes the ETag exactly when the body changes, and answers 304 to a matching If-None-Match', async () => {
    t = await testApp({ publishOnRead: false });
    const first = await t.request('/api/v2/summary.json');
    const etag = first.headers.get('etag')!;
    const body = await first.text();
    expect(first.headers.get('cache-control')).toBe('public, max-age=10, s-maxage=10, stale-while-revalidate=30');
    expect(first.headers.get('access-control-allow-origin')).toBe('*');

    await t.publisher.rebuildNow(); // nothing changed
    const same = await t.request('/api/v2/summary.json');
    expect(same.headers.get('etag')).toBe(etag);
    expect(await same.text()).toBe(body);
    const revalidated = await t.request('/api/v2/summary.json', { headers: { 'if-none-match': etag } });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe('');

    await openIncident('Caída del panel');
    await t.publisher.settled();
    const changed = await t.request('/api/v2/summary.json', { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(await changed.text()).not.toBe(body);
    // A document the change did not touch keeps its validator.
    const site = await t.request('/api/site.json');
    await openIncident('Otra');
    await t.publisher.settled();
    expect((await t.request('/api/site.json')).headers.get('etag')).toBe(site.headers.get('etag'));
  });

  it('costs one rebuild for a burst of changes', async () => {
    t = await testApp({ publishOnRead: false });
    await t.publisher.start();
    const before = t.publisher.rebuilds;
    // One after another (an in-memory database has one connection), each signalling a change.
    for (let i = 0; i < 10; i++) expect((await openIncident(`Incidente ${i}`)).status).toBe(201);
    await t.publisher.settled();
    const body = (await (await t.request('/api/v2/incidents/unresolved.json')).json()) as any;
    expect(body.incidents).toHaveLength(10);
    expect(t.publisher.rebuilds - before).toBeGreaterThanOrEqual(1);
    expect(t.publisher.rebuilds - before).toBeLessThan(10);
  });

  it('flips active.json at a window start with no write, on the clock alone', async () => {
    t = await testApp({ now: new Date(), publishOnRead: false });
    const startsAt = new Date(t.clock.now().getTime() + 8 * HOUR + 3_000);
    const scheduled = await t.request('/api/admin/maintenances', {
      method: 'POST',
      json: { title: 'Cambio de discos', message: 'Sin servicio.', starts_at: startsAt.toISOString(), ends_at: new Date(startsAt.getTime() + HOUR).toISOString(), component_ids: ['hosting'] },
    });
    expect(scheduled.status).toBe(201);
    // A publisher whose clock runs (8 h ahead of real time), with a 30 s floor far away: only the instant-driven
    // rebuild can show the window as active within this test.
    const offset = startsAt.getTime() - 3_000 - Date.now();
    const publisher = new Publisher({ db: t.database.db, config: t.ctx.config, now: () => new Date(Date.now() + offset), logger: createLogger('silent'), maxAgeMs: 600_000 });
    try {
      await publisher.start();
      const active = () => JSON.parse(publisher.get('/api/v2/scheduled-maintenances/active.json')!.representation.body.identity.toString());
      expect(active().scheduled_maintenances).toEqual([]);
      const rebuildsBefore = publisher.rebuilds;
      const shown = await waitFor('the window in active.json', () => {
        const list = active().scheduled_maintenances;
        return list.length ? list : undefined;
      });
      expect(shown[0]).toMatchObject({ name: 'Cambio de discos', status: 'in_progress' });
      // Each source's documents are served as soon as it has run, before the rebuild ends.
      await waitFor('the rebuild to end', () => (publisher.rebuilds > rebuildsBefore ? true : undefined));
      expect(publisher.rebuilds).toBe(rebuildsBefore + 1);
    } finally {
      await publisher.stop();
    }
  });
});

/** A publisher over a test app's database with its own sources, coalescing within milliseconds. */
function quickPublisher(t: Awaited<ReturnType<typeof testApp>>, options: Partial<ConstructorParameters<typeof Publisher>[0]>) {
  return new Publisher({ db: t.database.db, config: t.ctx.config, now: t.clock.now, logger: createLogger('silent'), quietMs: 10, maxWaitMs: 50, ...options });
}

describe('heavy document sources', () => {
  it('run at most once per interval under a stream of changes, and publish the last change after it', async () => {
    const t = await testApp({ publishOnRead: false });
    let heavyRuns = 0;
    let lightRuns = 0;
    let version = 0;
    const publisher = quickPublisher(t, {
      sources: [
        { name: 'light', build: () => [jsonDocument('/light.json', { runs: ++lightRuns })] },
        { name: 'heavy', build: () => [jsonDocument('/heavy.json', { version, runs: ++heavyRuns })], throttle: { minIntervalMs: 1_500, maxAgeMs: 600_000 } },
      ],
    });
    const read = (path: string) => JSON.parse(publisher.get(path)!.representation.body.identity.toString());
    try {
      await publisher.start();
      expect(heavyRuns).toBe(1);
      // A stream of changes: the light source follows each burst, the heavy one waits out its interval.
      for (let i = 0; i < 5; i++) {
        version = i + 1;
        publisher.changed('write');
        await publisher.settled();
      }
      expect(lightRuns).toBeGreaterThanOrEqual(3);
      expect(heavyRuns).toBeLessThanOrEqual(2);
      // With no further change, the last one still reaches the heavy document once its interval has passed, and
      // waiting for it costs no rebuilds of its own.
      const lightBefore = lightRuns;
      const shown = await waitFor('the last version in the heavy document', () => (read('/heavy.json').version === 5 ? true : undefined));
      expect(shown).toBe(true);
      expect(lightRuns - lightBefore).toBeLessThanOrEqual(3);
      const runsAfter = heavyRuns;
      // An explicit rebuild runs everything.
      version = 6;
      await publisher.rebuildNow();
      expect(read('/heavy.json').version).toBe(6);
      expect(heavyRuns).toBe(runsAfter + 1);
    } finally {
      await publisher.stop();
      await t.close();
    }
  });
  it('run beside the rebuilds: the other documents of a change are served without waiting for them', async () => {
    const t = await testApp({ publishOnRead: false });
    let version = 1;
    let release = null as (() => void) | null;
    let heavyStarted = 0;
    const changes: string[][] = [];
    const publisher = quickPublisher(t, {
      onChange: (paths) => changes.push(paths),
      sources: [
        { name: 'light', build: () => [jsonDocument('/light.json', { version })] },
        {
          name: 'heavy',
          build: async () => {
            heavyStarted++;
            const shown = version;
            if (heavyStarted > 1) await new Promise<void>((r) => (release = r));
            return [jsonDocument('/heavy.json', { version: shown })];
          },
          throttle: { minIntervalMs: 0, maxAgeMs: 600_000 },
        },
      ],
    });
    const read = (path: string) => JSON.parse(publisher.get(path)!.representation.body.identity.toString()).version;
    try {
      await publisher.start();
      version = 2;
      publisher.changed('write');
      await publisher.settled();
      expect(read('/light.json')).toBe(2);
      await waitFor('the heavy source to start', () => (release ? true : undefined));
      // While it runs, another change is published by the light source at once.
      version = 3;
      publisher.changed('write');
      await publisher.settled();
      expect(read('/light.json')).toBe(3);
      expect(read('/heavy.json')).toBe(1);
      expect(heavyStarted).toBe(2);
      release!();
      await waitFor('the heavy document of the second change', () => (read('/heavy.json') === 2 ? true : undefined));
      // The change made while it ran is not lost: it runs again by itself and shows it.
      await waitFor('the heavy source to run again', () => (heavyStarted === 3 ? true : undefined));
      release!();
      await waitFor('the heavy document of the third change', () => (read('/heavy.json') === 3 ? true : undefined));
      expect(changes.flat().filter((p) => p === '/heavy.json')).toHaveLength(2);
      expect(changes.flat().filter((p) => p === '/light.json')).toHaveLength(2);
    } finally {
      release?.();
      await publisher.stop();
      await t.close();
    }
  });

  it('never publish an older run over a newer one: a forced rebuild beside a run under way wins', async () => {
    const t = await testApp({ publishOnRead: false });
    let version = 1;
    let release = null as (() => void) | null;
    const publisher = quickPublisher(t, {
      sources: [
        {
          name: 'heavy',
          build: async () => {
            const shown = version;
            if (shown === 2) await new Promise<void>((r) => (release = r));
            return [jsonDocument('/heavy.json', { version: shown })];
          },
          throttle: { minIntervalMs: 0, maxAgeMs: 600_000 },
        },
      ],
    });
    const read = () => JSON.parse(publisher.get('/heavy.json')!.representation.body.identity.toString()).version;
    try {
      await publisher.start();
      version = 2;
      publisher.changed('write');
      await waitFor('the heavy source to start', () => (release ? true : undefined));
      version = 3;
      await publisher.rebuildNow();
      expect(read()).toBe(3);
      // The older run ends last, and is dropped.
      release!();
      await publisher.stop();
      expect(read()).toBe(3);
    } finally {
      release?.();
      await publisher.stop();
      await t.close();
    }
  });
});

describe('changed documents', () => {
  it('are announced source by source, as soon as each has run, before the sources after it', async () => {
    const t = await testApp({ publishOnRead: false });
    let version = 1;
    let release = null as (() => void) | null;
    const changes: string[][] = [];
    const publisher = quickPublisher(t, {
      onChange: (paths) => changes.push(paths),
      sources: [
        { name: 'first', build: () => [jsonDocument('/first.json', { version })] },
        {
          name: 'second',
          build: async () => {
            const shown = version;
            if (shown > 1) await new Promise<void>((r) => (release = r));
            return [jsonDocument('/second.json', { version: shown })];
          },
        },
      ],
    });
    try {
      await publisher.start();
      expect(changes).toEqual([]);
      version = 2;
      publisher.changed('write');
      await waitFor('the second source to start', () => (release ? true : undefined));
      expect(changes).toEqual([['/first.json']]);
      release!();
      await publisher.settled();
      expect(changes).toEqual([['/first.json'], ['/second.json']]);
    } finally {
      release?.();
      await publisher.stop();
      await t.close();
    }
  });
});

describe('a failed rebuild', () => {
  it('keeps the previous snapshot online and tries again by itself', async () => {
    const t = await testApp({ publishOnRead: false });
    let failing = false;
    let failures = 0;
    let version = 1;
    const publisher = quickPublisher(t, {
      maxAgeMs: 300,
      sources: [
        {
          name: 'flaky',
          build: () => {
            if (failing) {
              failures++;
              throw new Error('database briefly unavailable');
            }
            return [jsonDocument('/flaky.json', { version })];
          },
        },
      ],
    });
    const read = () => JSON.parse(publisher.get('/flaky.json')!.representation.body.identity.toString()).version;
    try {
      await publisher.start();
      failing = true;
      version = 2;
      // The clock's own rebuild (no change signalled) fails; what was published stays.
      await waitFor('a failed rebuild', () => (failures > 0 ? true : undefined));
      expect(read()).toBe(1);
      // Still no change signalled: only a retry of its own can publish once the source works again.
      failing = false;
      await waitFor('the retried rebuild', () => (read() === 2 ? true : undefined));
    } finally {
      await publisher.stop();
      await t.close();
    }
  });
});

describe('the next time-driven change', () => {
  it('is the nearest window start or end, or unmet SLA target, after now', async () => {
    const config = parseConfigText(TEST_CONFIG_YAML, 'test.yaml');
    const t = await testApp({ config, now: '2026-11-20T15:00:00Z' });
    try {
      const start = new Date('2026-11-21T02:00:00Z');
      await t.request('/api/admin/maintenances', {
        method: 'POST',
        json: { title: 'Ventana', message: 'x', starts_at: start.toISOString(), ends_at: '2026-11-21T03:00:00Z', component_ids: ['hosting'] },
      });
      const now = t.clock.now();
      let state = await loadPublishedState(t.database.db, now);
      expect(nextTimeDrivenChange(state, now)).toEqual(start);
      const opened = await t.request('/api/admin/incidents', { method: 'POST', json: { title: 'Caída', severity: 1, message: 'Caída total.', components: ['correo'] } });
      const incident = ((await opened.json()) as any).incident;
      state = await loadPublishedState(t.database.db, now);
      // Severity 1 runs on the always clock: resolution due 5 h after the start; the response is the opening post.
      expect(incident.sla.responded_at).not.toBeNull();
      expect(nextTimeDrivenChange(state, now)).toEqual(new Date(incident.sla.resolution_due_at));
      expect(nextTimeDrivenChange(state, new Date('2026-11-21T02:30:00Z'))).toEqual(new Date('2026-11-21T03:00:00Z'));
      expect(nextTimeDrivenChange(state, new Date('2026-11-22T00:00:00Z'))).toBeNull();
    } finally {
      await t.close();
    }
  });
});

/** The sources given, each counting its runs. */
function counted(list: DocumentSourceEntry[]) {
  const runs = new Map<string, number>(list.map((s) => [s.name, 0]));
  const sources = list.map((s) => ({ ...s, build: (input: Parameters<DocumentSourceEntry['build']>[0]) => (runs.set(s.name, runs.get(s.name)! + 1), s.build(input)) }));
  return { sources, runs, snapshot: () => new Map(runs) };
}

describe('the clock’s rebuilds', () => {
  it('build again only what the clock changed: documents of data alone keep their bytes, encodings and ETags', async () => {
    const t = await testApp({ now: '2026-11-20T15:00:00Z', publishOnRead: false });
    const startsAt = new Date('2026-11-21T02:00:00Z');
    const admin = (path: string, json: unknown) => t.request(path, { method: 'POST', json });
    expect(
      (await admin('/api/admin/maintenances', { title: 'Cambio de discos', message: 'Sin servicio.', starts_at: startsAt.toISOString(), ends_at: '2026-11-21T03:00:00Z', component_ids: ['hosting'] }))
        .status,
    ).toBe(201);
    expect((await admin('/api/admin/incidents', { title: 'Correo lento', severity: 3, message: 'Investigamos.', components: ['correo'] })).status).toBe(201);
    const { sources, runs, snapshot } = counted(DOCUMENT_SOURCES);
    // Its own clock, moved by the test; rebuilds of the clock every 20 ms (no write happens while it runs).
    let now = new Date('2026-11-20T16:00:00Z');
    const publisher = quickPublisher(t, { sources, now: () => now, maxAgeMs: 20 });
    const dataOnly = ['/feed.rss', '/feed.atom', '/en/components/correo/feed.atom', '/maintenances.ics', '/api/site.json', '/api/policy.json'];
    const clockDriven = ['/api/v2/summary.json', '/api/v2/scheduled-maintenances/active.json', '/components/hosting/badge.svg'];
    try {
      await publisher.start();
      const first = new Map<string, PublishedEntry>([...dataOnly, ...clockDriven].map((path) => [path, publisher.get(path)!]));
      for (const [path, entry] of first) expect(entry, path).toBeDefined();
      const runsAtStart = snapshot();
      expect([...runsAtStart.values()].every((n) => n === 1)).toBe(true);

      // The clock moves, but nothing it decides changes: no source with a key runs, every document stays as it was.
      now = new Date('2026-11-20T20:00:00Z');
      const rebuilds = publisher.rebuilds;
      await waitFor('three rebuilds of the clock', () => (publisher.rebuilds >= rebuilds + 3 ? true : undefined));
      for (const name of ['statuspage-v2', 'site-info', 'feeds', 'calendar', 'badges', 'widget', 'policy']) expect(runs.get(name), name).toBe(1);
      for (const [path, entry] of first) expect(publisher.get(path), path).toBe(entry);

      // The window starts: what shows it is built again, once; the feeds and calendars (stored statuses) are not.
      now = new Date(startsAt.getTime() + 60_000);
      const active = () => JSON.parse(publisher.get('/api/v2/scheduled-maintenances/active.json')!.representation.body.identity.toString());
      await waitFor('the window in active.json', () => (active().scheduled_maintenances.length ? true : undefined));
      const afterRebuilds = publisher.rebuilds;
      await waitFor('two more rebuilds of the clock', () => (publisher.rebuilds >= afterRebuilds + 2 ? true : undefined));
      expect(runs.get('statuspage-v2')).toBe(2);
      expect(runs.get('badges')).toBe(2);
      for (const name of ['site-info', 'feeds', 'calendar', 'policy']) expect(runs.get(name), name).toBe(1);
      for (const path of clockDriven) expect(publisher.get(path)!.representation.body.etag, path).not.toBe(first.get(path)!.representation.body.etag);
      for (const path of dataOnly) {
        const entry = publisher.get(path)!;
        expect(entry, path).toBe(first.get(path));
        // A client holding the earlier copy, in any encoding, still revalidates with a 304.
        const etag = entry.representation.headers.gzip?.etag ?? entry.representation.body.etag;
        expect(answerFor(entry.representation, { method: 'GET', acceptEncoding: 'gzip', ifNoneMatch: etag }).status, path).toBe(304);
      }
    } finally {
      await publisher.stop();
      await t.close();
    }
  });

  it('read only the sources’ rows: a poll’s record reaches components.json without building the data’s documents again', async () => {
    const t = await testApp({ publishOnRead: false });
    const { sources: light, runs, snapshot } = counted(DOCUMENT_SOURCES.filter((s) => !s.throttle));
    const publisher = quickPublisher(t, { sources: light, maxAgeMs: 20 });
    const source = () => JSON.parse(publisher.get('/api/v2/components.json')!.representation.body.identity.toString()).components.find((c: any) => c.id === 'correo').sources[0];
    try {
      await publisher.start();
      expect(source().last_success_at).toBeNull();
      const before = snapshot();
      const feed = publisher.get('/feed.atom');
      // What a poll writes, with no signal (one statement: the in-memory database has a single connection).
      const polledAt = new Date(t.clock.now().getTime() - 5_000);
      await t.database.db.update(sources).set({ lastSuccessAt: polledAt }).where(eq(sources.id, 'gws'));
      const shown = await waitFor('the poll in components.json', () => source().last_success_at ?? undefined);
      expect(shown).toBe(polledAt.toISOString());
      expect(runs.get('statuspage-v2')).toBe(before.get('statuspage-v2')! + 1);
      for (const name of ['feeds', 'calendar', 'badges', 'widget']) expect(runs.get(name), name).toBe(before.get(name));
      expect(publisher.get('/feed.atom')).toBe(feed);
    } finally {
      await publisher.stop();
      await t.close();
    }
  });
});

describe('a source with a key', () => {
  it('runs again when the data it depends on changes, not when a change is signalled with nothing different', async () => {
    const t = await testApp({ publishOnRead: false });
    let names: string[] = [];
    let everyRuns = 0;
    const publisher = quickPublisher(t, {
      scheduled: false,
      sources: [
        { name: 'names', build: ({ state }) => [jsonDocument('/names.json', (names = state.components.map((c) => c.name)))], key: (_, r) => `${r.data}` },
        { name: 'every', build: () => [jsonDocument('/every.json', { runs: ++everyRuns })] },
      ],
    });
    try {
      await publisher.start();
      const entry = publisher.get('/names.json');
      // Read again, nothing different: the keyed source keeps its document; the one without a key runs each time.
      publisher.changed('nothing that shows');
      await publisher.rebuildNow();
      expect(publisher.get('/names.json')).toBe(entry);
      expect(everyRuns).toBe(2);
      await t.database.db.update(components).set({ name: 'Correo', updatedAt: t.clock.now() }).where(eq(components.id, 'correo'));
      publisher.changed('component renamed');
      await publisher.rebuildNow();
      expect(names).toContain('Correo');
      expect(publisher.get('/names.json')).not.toBe(entry);
    } finally {
      await publisher.stop();
      await t.close();
    }
  });
});

describe('the clock’s facts', () => {
  it('change when a window starts or an unmet target passes, and only then', async () => {
    const t = await testApp({ now: '2026-11-20T15:00:00Z' });
    try {
      await t.request('/api/admin/maintenances', {
        method: 'POST',
        json: { title: 'Ventana', message: 'x', starts_at: '2026-11-21T02:00:00Z', ends_at: '2026-11-21T03:00:00Z', component_ids: ['hosting'] },
      });
      const opened = await t.request('/api/admin/incidents', { method: 'POST', json: { title: 'Caída', severity: 1, message: 'Caída total.', components: ['correo'] } });
      const due = new Date(((await opened.json()) as any).incident.sla.resolution_due_at);
      const state = await loadPublishedState(t.database.db, t.clock.now());
      const at = (iso: string | Date) => clockFacts(state, new Date(iso));
      expect(at('2026-11-20T15:00:00Z')).toBe(at('2026-11-20T15:30:00Z'));
      expect(at('2026-11-21T02:00:00Z')).not.toBe(at('2026-11-21T01:59:59Z'));
      expect(at('2026-11-21T02:30:00Z')).toBe(at('2026-11-21T02:00:00Z'));
      expect(at(new Date(due.getTime() + 1))).not.toBe(at(due));
    } finally {
      await t.close();
    }
  });

  it('include a closed incident’s response never posted, which turns to breached when it falls due', async () => {
    const t = await testApp({ now: '2026-11-20T15:00:00Z' });
    try {
      const opened = await t.request('/api/admin/incidents', { method: 'POST', json: { title: 'Caída', severity: 1, message: 'Caída total.', components: ['correo'] } });
      const incident = ((await opened.json()) as any).incident;
      const state = await loadPublishedState(t.database.db, t.clock.now());
      // As an upstream incident closed before anyone answered it.
      const responseDueAt = new Date('2026-11-20T18:00:00Z');
      const closed = { ...state.incidents[0]!, status: 'resolved' as const, respondedAt: null, resolvedAt: new Date('2026-11-20T15:10:00Z'), responseDueAt };
      const shown = { ...state, incidents: [closed] };
      expect(incident.id).toBe(closed.id);
      expect(nextTimeDrivenChange(shown, t.clock.now())).toEqual(responseDueAt);
      expect(clockFacts(shown, new Date(responseDueAt.getTime() + 1))).not.toBe(clockFacts(shown, responseDueAt));
    } finally {
      await t.close();
    }
  });
});
