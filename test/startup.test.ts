import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningVigia } from '../worker/server.ts';
import { startTempVigia } from './helpers/server.ts';

/** Boots the real product (demo config, file database, Astro build) on a free port. */
describe('start-up', () => {
  let vigia: RunningVigia;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ vigia, close: stop } = await startTempVigia());
  }, 120_000);

  afterAll(async () => {
    await stop?.();
  });

  it('creates and migrates the database, and generates an admin token when none is set', async () => {
    expect(vigia.generatedAdminToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const tables = await vigia.database.client.execute("select count(*) as n from sqlite_master where type = 'table' and name = 'incidents'");
    expect(Number(tables.rows[0]!.n)).toBe(1);
  });

  it('serves the health check', async () => {
    const response = await fetch(`${vigia.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', database: 'reachable' });
  });

  it('serves the public API with the demo components', async () => {
    const summary = (await (await fetch(`${vigia.url}/api/v2/summary.json`)).json()) as any;
    expect(summary.page.name).toContain('Nubeandina');
    expect(summary.components.filter((c: any) => !c.group).length).toBeGreaterThanOrEqual(5);
    // Nothing has been read from the providers: their components say unknown, not operational.
    const workspace = summary.components.find((c: any) => c.id === 'google-workspace');
    expect(workspace.state).toBe('unknown');
  });

  it('serves the built status page in Spanish and English from the same origin', async () => {
    const es = await fetch(`${vigia.url}/`);
    expect(es.status).toBe(200);
    const html = await es.text();
    expect(html).toContain('<html lang="es"');
    expect(html).toContain('Hosting web · Bogotá');
    expect(html).toContain('Servicios');
    const en = await (await fetch(`${vigia.url}/en/`)).text();
    expect(en).toContain('<html lang="en"');
    expect(en).toContain('Services');
  });

  it('rebuilds the page after an incident is declared', async () => {
    const response = await fetch(`${vigia.url}/api/admin/incidents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${vigia.generatedAdminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Correo lento en Bogotá', severity: 3, message: 'Investigamos.', components: ['correo-corporativo'] }),
    });
    expect(response.status).toBe(201);
    const { incident } = (await response.json()) as any;
    await vigia.site!.build('test');
    const html = await (await fetch(`${vigia.url}/`)).text();
    expect(html).toContain('Correo lento en Bogotá');
    const detail = await fetch(`${vigia.url}/incidents/${incident.id}/`);
    expect(detail.status).toBe(200);
    expect(await detail.text()).toContain('Investigamos.');
  }, 60_000);
});
