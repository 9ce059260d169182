import { afterEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../worker/config/load.ts';
import { createLogger } from '../../worker/lib/logger.ts';
import { jsonDocument } from '../../worker/publish/document.ts';
import { nextTimeDrivenChange } from '../../worker/publish/next-change.ts';
import { Publisher } from '../../worker/publish/publisher.ts';
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
      // With no further change, the last one still reaches the heavy document once its interval has passed.
      const shown = await waitFor('the last version in the heavy document', () => (read('/heavy.json').version === 5 ? true : undefined));
      expect(shown).toBe(true);
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
