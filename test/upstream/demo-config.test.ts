/**
 * The demo config's providers, unreachable (their addresses moved to a closed port on 127.0.0.1: tests never leave
 * this machine): their components must read "unknown", not operational and not an outage.
 */
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile, type Config } from '../../worker/config/load.ts';
import { createUpstreamWatch } from '../../worker/upstream/scheduler.ts';
import { testApp } from '../helpers/app.ts';
import { LOCAL_NETWORK_ENV } from '../helpers/egress.ts';

type Json = Record<string, any>;

/** A port nobody listens on: opened, noted, closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let app: Awaited<ReturnType<typeof testApp>>;
let demo: Config;
let components: Json[];

beforeAll(async () => {
  const loaded = loadConfigFile(fileURLToPath(new URL('../../vigia.config.yaml', import.meta.url)));
  const port = await closedPort();
  demo = {
    ...loaded,
    sources: loaded.sources.map((source) => {
      const real = new URL(source.url);
      return { ...source, url: `http://127.0.0.1:${port}${real.pathname}${real.search}` };
    }),
  };
  // The closed port is on 127.0.0.1: the app opts into private addresses, so the poll meets the refused connection.
  app = await testApp({ config: demo, now: '2026-11-17T16:00:00Z', env: { ...LOCAL_NETWORK_ENV } });
  const watch = createUpstreamWatch(app.ctx);
  await watch.tick();
  await watch.idle();
  await watch.stop();
  components = ((await (await app.request('/api/v2/components.json')).json()) as { components: Json[] }).components;
});
afterAll(() => app.close());

describe('the demo config offline', () => {
  it('lists the real providers', () => {
    const hosts = Object.fromEntries(demo.sources.map((s) => [s.id, s.type]));
    expect(hosts).toEqual({ 'google-workspace': 'google', 'genesys-cloud': 'statuspage', 'rackspace-email': 'statuspage', vtex: 'incidentio', 'microsoft-365': 'feed' });
  });

  it('shows every component fed by an unreachable provider as unknown since the first failed poll', () => {
    const fed = components.filter((c) => !c.group && c.sources.length > 0);
    expect(fed.map((c) => c.id).sort()).toEqual(['correo-corporativo', 'google-workspace', 'microsoft-365', 'telefonia', 'tienda-vtex']);
    for (const component of fed) {
      expect(component, component.id).toMatchObject({ status: 'operational', state: 'unknown', unknown_since: '2026-11-17T16:00:00.000Z' });
      expect(component.sources[0]).toMatchObject({ state: 'unknown', state_since: '2026-11-17T16:00:00.000Z', last_success_at: null });
      expect(component.sources[0]).not.toHaveProperty('last_error');
    }
  });

  it('keeps why each source cannot be read for the admins', async () => {
    const { sources } = (await (await app.request('/api/admin/sources')).json()) as { sources: Json[] };
    for (const source of sources) expect(source, source.id).toMatchObject({ state: 'unknown', last_error: expect.stringMatching(/^fetch: .*ECONNREFUSED/) });
  });

  it('leaves our own components operational and opens no incident', async () => {
    const own = components.filter((c) => !c.group && c.sources.length === 0);
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((c) => c.state === 'operational')).toBe(true);
    const { incidents } = (await (await app.request('/api/v2/incidents.json')).json()) as { incidents: Json[] };
    expect(incidents).toEqual([]);
  });
});
