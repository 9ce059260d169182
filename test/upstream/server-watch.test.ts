/**
 * The running server with jobs on: the upstream watch starts with it, records a provider's incident that the
 * public API then serves, and stops before the database closes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVigia, type RunningVigia } from '../../worker/server.ts';
import { startUpstreamServer, type UpstreamServer } from '../fakes/upstream-server.ts';
import { serveStatuspage, statuspagePages, watchConfig } from './watch-support.ts';

let vigia: RunningVigia;
let upstream: UpstreamServer;
let dir: string;
let closed = false;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigia-watch-server-'));
  upstream = await startUpstreamServer();
  serveStatuspage(upstream, statuspagePages());
  vigia = await startVigia({
    config: watchConfig([{ id: 'genesys', type: 'statuspage', url: upstream.url }], [{ id: 'telefonia', sources: ['genesys'] }]),
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: `file:${join(dir, 'vigia.db')}`,
      VIGIA_DATA_DIR: dir,
      VIGIA_BUILD_SITE: '0',
      VIGIA_JOBS: '1',
      LOG_LEVEL: 'silent',
      ADMIN_TOKEN: 'watch-server-admin-token',
      // The fake upstream listens on 127.0.0.1.
      VIGIA_ALLOW_PRIVATE_NETWORKS: '1',
    },
  });
}, 60_000);

afterAll(async () => {
  if (!closed) await vigia?.close();
  await upstream?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('upstream watch in the running server', () => {
  it('polls on its own and the provider incident reaches the public API', async () => {
    expect(vigia.upstream).not.toBeNull();
    const deadline = Date.now() + 10_000;
    let names: string[] = [];
    while (Date.now() < deadline) {
      const body = (await (await fetch(`${vigia.url}/api/v2/incidents/unresolved.json`)).json()) as { incidents: { name: string }[] };
      names = body.incidents.map((i) => i.name);
      if (names.length) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(names).toEqual(['Calls failing to connect in Americas (US East)']);
  });

  it('stops the watch when the server closes', async () => {
    await vigia.close();
    closed = true;
    expect(vigia.upstream?.stats.active).toBe(0);
    const before = upstream.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(upstream.requests.length).toBe(before);
  });
});
