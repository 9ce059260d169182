/**
 * Two workers on one database file: a change made through one of them shows in the other's published documents
 * within seconds (the shared change counter), not when the other's snapshot would be read again (10 minutes).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { testConfig } from '../helpers/config.ts';
import { startTempVigia, type TempVigia } from '../helpers/server.ts';

const TOKEN = 'shared-changes-admin-token-01';

describe('a change made by another worker', () => {
  let first: TempVigia | undefined;
  let second: TempVigia | undefined;
  afterEach(async () => {
    await second?.close();
    await first?.close();
  });

  it('reaches this worker’s public API within seconds, both ways', async () => {
    const env = { VIGIA_BUILD_SITE: '0', ADMIN_TOKEN: TOKEN };
    first = await startTempVigia({ config: testConfig(), env });
    second = await startTempVigia({ config: testConfig(), env: { ...env, DATABASE_URL: first.vigia.env.DATABASE_URL } });
    const titles = async (w: TempVigia) => {
      const body = (await (await fetch(`${w.vigia.url}/api/v2/incidents.json`)).json()) as { incidents: { name: string }[] };
      return body.incidents.map((i) => i.name);
    };
    const declare = (w: TempVigia, title: string) =>
      fetch(`${w.vigia.url}/api/admin/incidents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title, severity: 2, message: 'Investigamos.', components: ['correo'] }),
      });
    expect(await titles(second)).toEqual([]);

    expect((await declare(first, 'Correo lento')).status).toBe(201);
    let seen: string[] = [];
    const deadline = Date.now() + 10_000;
    while (!seen.includes('Correo lento') && Date.now() < deadline) {
      seen = await titles(second);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen).toContain('Correo lento');

    expect((await declare(second, 'Hosting caído')).status).toBe(201);
    const back = Date.now() + 10_000;
    while (!seen.includes('Hosting caído') && Date.now() < back) {
      seen = await titles(first);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen).toEqual(expect.arrayContaining(['Correo lento', 'Hosting caído']));
  }, 60_000);
});
