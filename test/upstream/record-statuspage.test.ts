/**
 * End to end: a Statuspage page served on 127.0.0.1, polled by the real watch into a real database, read back
 * through the public API.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { incidents, incidentUpdates, severityChanges } from '../../db/schema/index.ts';
import { startUpstreamServer, type UpstreamServer } from '../fakes/upstream-server.ts';
import { insertSubscriber, outboxRows } from '../notices/fixtures.ts';
import { rowCounts, serveStatuspage, sourceRow, statuspagePages, watchApp, type StatuspagePages } from './watch-support.ts';

type Json = Record<string, any>;

let server: UpstreamServer;
let app: Awaited<ReturnType<typeof watchApp>>;
let pages: StatuspagePages;

beforeEach(async () => {
  server = await startUpstreamServer();
  pages = statuspagePages();
  serveStatuspage(server, pages);
  app = await watchApp({
    sources: [{ id: 'genesys', name: 'Genesys Cloud', type: 'statuspage', url: server.url }],
    components: [
      { id: 'telefonia', name: 'Telefonía', sources: ['genesys'], calendar: 'bogota' },
      { id: 'contact-center', name: 'Contact center', sources: ['genesys'] },
      { id: 'hosting', name: 'Hosting' },
    ],
  });
});
afterEach(async () => {
  await app.close();
  await server.close();
});

const MINUTE = 60_000;

async function json(path: string): Promise<Json> {
  const response = await app.request(path);
  expect(response.status).toBe(200);
  return (await response.json()) as Json;
}

async function upstreamIncident(upstreamId: string): Promise<Json> {
  const { incidents: list } = await json('/api/v2/incidents.json');
  const found = (list as Json[]).find((i) => i.source?.upstream_id === upstreamId);
  if (!found) throw new Error(`incident ${upstreamId} not published`);
  return found;
}

const summaryIncidents = () => pages.summary.incidents as Json[];
const openIncident = () => summaryIncidents().find((i) => i.id === 'k7w2q9d1x4vb')!;

/** The next poll happens one interval later. */
async function nextCycle(): Promise<void> {
  app.clock.advance(MINUTE);
  await app.cycle();
}

describe('recording a Statuspage source', () => {
  it('publishes the open upstream incident on every component the source feeds, with its severity and source', async () => {
    await app.cycle();
    const incident = await upstreamIncident('k7w2q9d1x4vb');
    expect(incident).toMatchObject({
      name: 'Calls failing to connect in Americas (US East)',
      status: 'identified',
      // impact "major", but Voice sits in major_outage: the worse one wins.
      severity: 1,
      impact: 'critical',
      started_at: '2026-11-17T14:05:00.000Z',
      source: { id: 'genesys', upstream_id: 'k7w2q9d1x4vb', url: expect.stringContaining('k7w2q9d1x4vb') },
    });
    expect(incident.components.map((c: Json) => c.id)).toEqual(['telefonia', 'contact-center']);
    expect(incident.affected_components_status).toEqual([
      { id: 'telefonia', status: 'major_outage' },
      { id: 'contact-center', status: 'major_outage' },
    ]);
    expect(incident.incident_updates.map((u: Json) => u.status)).toEqual(['identified', 'investigating', 'investigating']);
    // Upstream incidents are shown, not counted, unless the source says so; the response is the first update.
    expect(incident.sla).toMatchObject({ counts_for_sla: false, responded_at: '2026-11-17T14:12:44.402Z' });

    const summary = await json('/api/v2/summary.json');
    const telefonia = (summary.components as Json[]).find((c) => c.id === 'telefonia')!;
    expect(telefonia).toMatchObject({ status: 'major_outage', sources: [{ id: 'genesys', state: 'major_outage' }] });
    expect((summary.components as Json[]).find((c) => c.id === 'hosting')).toMatchObject({ status: 'operational' });
    expect(app.published).toContain('upstream genesys');
  });

  it('records the recent closed incidents as history and the maintenances, without duplicating anything', async () => {
    await app.cycle();
    const all = await json('/api/v2/incidents.json');
    const upstreamIds = (all.incidents as Json[]).map((i) => i.source?.upstream_id).sort();
    expect(upstreamIds).toEqual(['k7w2q9d1x4vb', 'p0c5n8e3r6ts', 'z9h1a6m2b8qc']);
    expect(await upstreamIncident('p0c5n8e3r6ts')).toMatchObject({ status: 'resolved', resolved_at: '2026-11-14T21:47:55.011Z', severity: 3 });

    const upcoming = await json('/api/v2/scheduled-maintenances/upcoming.json');
    expect(upcoming.scheduled_maintenances).toEqual([
      expect.objectContaining({
        name: 'EMEA (Frankfurt) telephony maintenance',
        status: 'scheduled',
        scheduled_for: '2026-11-20T02:00:00.000Z',
        scheduled_until: '2026-11-20T04:30:00.000Z',
        source: { id: 'genesys', upstream_id: 'm3fr8k2pz0ya', url: expect.any(String) },
      }),
    ]);
    const allMaintenances = await json('/api/v2/scheduled-maintenances.json');
    expect((allMaintenances.scheduled_maintenances as Json[]).map((m) => m.source.upstream_id).sort()).toEqual(['c2v7t4y9w1ep', 'm3fr8k2pz0ya']);
    expect(upcoming.scheduled_maintenances[0].components.map((c: Json) => c.id).sort()).toEqual(['contact-center', 'telefonia']);
  });

  it('changes nothing on a repeat poll answered with 304s', async () => {
    await app.cycle();
    const before = await rowCounts(app.database.db);
    const publishedBefore = app.published.length;
    const sourceBefore = await sourceRow(app.database.db, 'genesys');
    await nextCycle();
    expect(server.requests.filter((r) => r.path === '/api/v2/summary.json').at(-1)?.headers['if-none-match']).toBeDefined();
    expect(await rowCounts(app.database.db)).toEqual(before);
    expect(app.published.length).toBe(publishedBefore);
    const sourceAfter = await sourceRow(app.database.db, 'genesys');
    expect(sourceAfter.lastSuccessAt!.getTime()).toBe(sourceBefore.lastSuccessAt!.getTime() + MINUTE);
    expect(sourceAfter.state).toBe('major_outage');
  });

  it('also changes nothing when the page is re-sent with new validators but the same content', async () => {
    await app.cycle();
    const before = await rowCounts(app.database.db);
    serveStatuspage(server, pages);
    await nextCycle();
    expect(await rowCounts(app.database.db)).toEqual(before);
  });

  it('appends new upstream updates, raises the severity with a history entry and new targets, then resolves with the upstream time', async () => {
    // Start from a minor incident on an otherwise healthy page.
    for (const c of pages.summary.components as Json[]) c.status = 'operational';
    Object.assign(openIncident(), { impact: 'minor', components: [] });
    serveStatuspage(server, pages);
    await app.cycle();
    const first = await upstreamIncident('k7w2q9d1x4vb');
    expect(first.severity).toBe(3);
    const firstTargets = first.sla;

    Object.assign(openIncident(), {
      impact: 'critical',
      status: 'monitoring',
      updated_at: '2026-11-17T10:58:00.000-05:00',
      incident_updates: [
        { id: 'u-k7w2-4', status: 'monitoring', body: 'A fix has been deployed; we are <b>monitoring</b>.', created_at: '2026-11-17T10:58:00.000-05:00', display_at: '2026-11-17T10:58:00.000-05:00' },
        ...(openIncident().incident_updates as Json[]),
      ],
    });
    serveStatuspage(server, pages);
    await nextCycle();
    const raised = await upstreamIncident('k7w2q9d1x4vb');
    expect(raised).toMatchObject({ severity: 1, status: 'monitoring', monitoring_at: '2026-11-17T15:58:00.000Z' });
    expect(raised.incident_updates[0]).toMatchObject({ status: 'monitoring', body: 'A fix has been deployed; we are monitoring.' });
    expect(raised.incident_updates).toHaveLength(4);
    expect(raised.severity_history).toEqual([expect.objectContaining({ from: 3, to: 1, by: 'upstream:genesys', reason: 'upstream impact "critical"' })]);
    expect(raised.sla.resolution_due_at).not.toBe(firstTargets.resolution_due_at);
    expect(raised.affected_components_status.map((c: Json) => c.status)).toEqual(['major_outage', 'major_outage']);

    // Resolved upstream: it leaves the unresolved list and shows up resolved in incidents.json.
    const resolved = {
      ...openIncident(),
      status: 'resolved',
      resolved_at: '2026-11-17T11:01:30.000-05:00',
      updated_at: '2026-11-17T11:01:30.000-05:00',
      incident_updates: [
        { id: 'u-k7w2-5', status: 'resolved', body: 'Calls connect normally again.', created_at: '2026-11-17T11:01:30.000-05:00' },
        ...(openIncident().incident_updates as Json[]),
      ],
    };
    pages.summary.incidents = [];
    (pages.incidents.incidents as Json[]).splice(0, 1, resolved);
    serveStatuspage(server, pages);
    await nextCycle();
    const done = await upstreamIncident('k7w2q9d1x4vb');
    expect(done).toMatchObject({ status: 'resolved', resolved_at: '2026-11-17T16:01:30.000Z' });
    expect(done.incident_updates[0]).toMatchObject({ status: 'resolved', body: 'Calls connect normally again.' });
    const rows = await app.database.db.select().from(incidents).where(eq(incidents.upstreamId, 'k7w2q9d1x4vb'));
    expect(rows).toHaveLength(1);
  });

  it('resolves an incident that vanishes from the open list without a resolution as "no longer reported"', async () => {
    await app.cycle();
    pages.summary.incidents = [];
    (pages.incidents.incidents as Json[]).splice(0, 1);
    serveStatuspage(server, pages);
    await nextCycle();
    const gone = await upstreamIncident('k7w2q9d1x4vb');
    expect(gone).toMatchObject({ status: 'resolved', resolved_at: app.clock.now().toISOString() });
    expect(gone.incident_updates[0]).toMatchObject({ status: 'resolved', body: 'El proveedor ya no informa este incidente; se da por resuelto.' });
    const [system] = await app.database.db.select().from(incidentUpdates).where(eq(incidentUpdates.author, 'system'));
    expect(system?.upstreamId).toBeNull();

    // If the provider lists it again, it is reopened, not duplicated.
    pages.summary.incidents = statuspagePages().summary.incidents;
    serveStatuspage(server, pages);
    await nextCycle();
    const reopened = await upstreamIncident('k7w2q9d1x4vb');
    expect(reopened.status).toBe('identified');
    expect(reopened.resolved_at).toBeNull();
    expect(reopened.incident_updates[0].body).toBe('El proveedor vuelve a informar este incidente.');
  });

  it('keeps resolved history that leaves the 50 most recent, and never resolves anything from a snapshot that dropped a row', async () => {
    await app.cycle();
    // An old resolved incident falls out of incidents.json: nothing happens to it.
    (pages.incidents.incidents as Json[]).splice(2, 1);
    // The open incident becomes unreadable (no id): the page dropped a row, so its absence proves nothing.
    const broken = { ...openIncident() };
    delete broken.id;
    pages.summary.incidents = [broken];
    (pages.incidents.incidents as Json[]).splice(0, 1);
    serveStatuspage(server, pages);
    await nextCycle();
    expect(await upstreamIncident('k7w2q9d1x4vb')).toMatchObject({ status: 'identified', resolved_at: null });
    expect(await upstreamIncident('z9h1a6m2b8qc')).toMatchObject({ status: 'postmortem' });
    const source = await sourceRow(app.database.db, 'genesys');
    expect(source.lastWarnings.some((w) => w.includes('summary.json incidents[0]'))).toBe(true);
  });

  it('queues subscriber notices in the same transaction: opened once, then an update, then the resolution', async () => {
    await insertSubscriber(app.database.db, { email: 'ana@cliente.example', components: ['telefonia'], incidentNotices: true, minSeverity: 4 });
    await app.cycle();
    let rows = await outboxRows(app.database.db);
    // The open incident is announced; history (closed on first sight) is not.
    expect(rows.map((r) => r.kind).sort()).toEqual(['incident.opened', 'maintenance.announcement']);
    await nextCycle();
    expect(await outboxRows(app.database.db)).toHaveLength(2);

    pages.summary.incidents = [];
    (pages.incidents.incidents as Json[]).splice(0, 1);
    serveStatuspage(server, pages);
    await nextCycle();
    rows = await outboxRows(app.database.db);
    expect(rows.map((r) => r.kind).sort()).toEqual(['incident.opened', 'incident.resolved', 'maintenance.announcement']);
  });

  it('stores the poll state: latency, last success, next poll, and the state of the worst upstream component', async () => {
    await app.cycle();
    const source = await sourceRow(app.database.db, 'genesys');
    expect(source).toMatchObject({ state: 'major_outage', reportedState: 'major_outage', consecutiveFailures: 0, lastError: null });
    expect(source.lastSuccessAt?.toISOString()).toBe('2026-11-17T16:00:00.000Z');
    expect(source.nextPollAt?.toISOString()).toBe('2026-11-17T16:01:00.000Z');
    expect(source.lastLatencyMs).toBeGreaterThanOrEqual(0);
    expect(await app.database.db.select().from(severityChanges)).toEqual([]);
  });
});
