/**
 * An admin's poll now takes the source's lease, as a scheduled poll does: while another worker on the database holds
 * it (its poll of the source under way, or just done) the poll now waits, so the provider is not asked twice at once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimLease, leaseHolder } from '../../worker/coordination/leases.ts';
import { ConflictError } from '../../worker/core/errors.ts';
import { pollSourceNow } from '../../worker/upstream/run.ts';
import { startUpstreamServer, type UpstreamServer } from '../fakes/upstream-server.ts';
import { watchApp } from './watch-support.ts';

let server: UpstreamServer;
let app: Awaited<ReturnType<typeof watchApp>>;
/** Who held the source's lease each time the provider was asked. */
let askedWhileHeldBy: (string | null)[];

beforeEach(async () => {
  askedWhileHeldBy = [];
  server = await startUpstreamServer();
  server.route('/vtex/api/v1/summary', (_req, res) => {
    void leaseHolder(app.database.db, 'source:vtex', app.clock.now()).then((holder) => {
      askedWhileHeldBy.push(holder);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ongoing_incidents: [], in_progress_maintenances: [], scheduled_maintenances: [] }));
    });
  });
  app = await watchApp({
    sources: [{ id: 'vtex', name: 'VTEX', type: 'incidentio', url: `${server.url}/vtex` }],
    components: [{ id: 'tienda', name: 'Tienda', sources: ['vtex'] }],
  });
  app.ctx.holder = 'worker-a';
});
afterEach(async () => {
  await app.close();
  await server.close();
});

describe('poll now with several workers on one database', () => {
  it('does not ask the provider while another worker holds the source, and says so when that lasts', async () => {
    const now = app.clock.now();
    expect(await claimLease(app.database.db, 'source:vtex', 'worker-b', now, new Date(now.getTime() + 60_000))).toBe(true);
    const refused = await pollSourceNow(app.ctx, 'vtex', { leaseWaitMs: 200 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ConflictError);
    expect(refused).toMatchObject({ code: 'polled_elsewhere' });
    expect(askedWhileHeldBy).toEqual([]);
    expect(await leaseHolder(app.database.db, 'source:vtex', app.clock.now())).toBe('worker-b');
  });

  it('polls once the other worker lets the lease go, holding it while it asks and handing it back after', async () => {
    const now = app.clock.now();
    await claimLease(app.database.db, 'source:vtex', 'worker-b', now, new Date(now.getTime() + 60_000));
    const polled = pollSourceNow(app.ctx, 'vtex');
    // The other worker's lease runs out.
    app.clock.advance(61_000);
    expect(await polled).toMatchObject({ outcome: 'snapshot' });
    expect(askedWhileHeldBy).toEqual(['worker-a']);
    expect(await leaseHolder(app.database.db, 'source:vtex', app.clock.now())).toBeNull();
  });

  it('answers the admin API at once when this worker may take the lease', async () => {
    const response = await app.request('/api/admin/sources/vtex/poll', { method: 'POST' });
    expect(response.status).toBe(200);
    expect(askedWhileHeldBy).toEqual(['worker-a']);
  });
});
