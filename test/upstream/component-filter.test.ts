/**
 * The `components` setting: watching one region of a multi-region provider page (the Statuspage fixture is shaped
 * like Genesys Cloud's: one group per region, the same component names in each).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { incidents, maintenances } from '../../db/schema/index.ts';
import { adapters } from '../../worker/upstream/adapter.ts';
import { filterSnapshotComponents } from '../../worker/upstream/component-filter.ts';
import { snapshotState } from '../../worker/upstream/reconcile.ts';
import { checkSourceSettings } from '../../worker/upstream/settings.ts';
import type { FetchSuccess } from '../../worker/upstream/fetch.ts';
import { startUpstreamServer, type UpstreamServer } from '../fakes/upstream-server.ts';
import { fixture, NOW } from './support.ts';
import { serveStatuspage, sourceRow, statuspagePages, watchApp } from './watch-support.ts';

const ok = (body: string): FetchSuccess => ({
  ok: true,
  status: 200,
  body,
  etag: null,
  lastModified: null,
  notModified: false,
  latencyMs: 1,
  url: 'https://status.mypurecloud.com/api/v2/summary.json',
  contentType: 'application/json',
  truncated: false,
});

function parsePage(options?: unknown) {
  return adapters.statuspage.parse(
    { summary: ok(fixture('statuspage-summary.json')), maintenances: ok(fixture('statuspage-scheduled-maintenances.json')) },
    { now: NOW, sourceUrl: 'https://status.mypurecloud.com/', options },
  );
}

describe('component filter (pure)', () => {
  it('keeps the whole page without the setting', () => {
    const snapshot = parsePage();
    expect(snapshot.components.map((c) => c.upstreamId)).toEqual(['cmp-use-voice', 'cmp-use-messaging', 'cmp-use-api', 'cmp-euc-voice', 'cmp-euc-messaging', 'cmp-status-notifications']);
    expect(snapshotState(snapshot)).toBe('major_outage');
  });

  it('by group: another region’s outage and incident are left out, that region’s window kept', () => {
    const snapshot = parsePage({ components: ['emea (frankfurt)'] });
    expect(snapshot.components.map((c) => c.upstreamId)).toEqual(['cmp-euc-voice', 'cmp-euc-messaging']);
    expect(snapshot.incidents).toEqual([]);
    expect(snapshot.maintenances.map((m) => m.upstreamId)).toContain('m3fr8k2pz0ya');
    expect(snapshotState(snapshot)).toBe('operational');
    expect(snapshot.problems.filter((p) => p.where === 'settings.components')).toEqual([]);
  });

  it('by "Group / Name", by name across groups, and by id', () => {
    const voiceUsEast = parsePage({ components: ['Americas (US East) / Voice'] });
    expect(voiceUsEast.components.map((c) => c.upstreamId)).toEqual(['cmp-use-voice']);
    expect(voiceUsEast.incidents.map((i) => i.upstreamId)).toEqual(['k7w2q9d1x4vb']);
    expect(voiceUsEast.maintenances.map((m) => m.upstreamId)).not.toContain('m3fr8k2pz0ya');

    const everyVoice = parsePage({ components: ['VOICE'] });
    expect(everyVoice.components.map((c) => c.upstreamId)).toEqual(['cmp-use-voice', 'cmp-euc-voice']);
    expect(everyVoice.incidents).toHaveLength(1);

    const byId = parsePage({ components: ['cmp-use-api'] });
    expect(byId.components.map((c) => c.upstreamId)).toEqual(['cmp-use-api']);
    // The US East incident lists Voice and Messaging, not the API.
    expect(byId.incidents).toEqual([]);
  });

  it('keeps incidents and windows that name no component (a page-wide notice may concern us)', () => {
    const snapshot = parsePage();
    const pageWide = { ...snapshot, incidents: snapshot.incidents.map((i) => ({ ...i, componentUpstreamIds: [] })) };
    expect(filterSnapshotComponents(pageWide, ['EMEA (Frankfurt)']).incidents).toHaveLength(1);
  });

  it('reports an entry that names nothing on the page, instead of silently watching nothing', () => {
    const snapshot = parsePage({ components: ['EMEA (Frankfurt)', 'Asia Pacific (Tokyo)'] });
    expect(snapshot.problems).toContainEqual({ where: 'settings.components', message: '"Asia Pacific (Tokyo)" names no component on this page', rowDropped: false });
    expect(snapshot.components).toHaveLength(2);
  });

  it('is a setting of component-based sources only, and must list something', () => {
    expect(checkSourceSettings('statuspage', { components: ['Voice'] })).toEqual({ ok: true, options: { components: ['Voice'] } });
    expect(checkSourceSettings('incidentio', { components: ['API'] }).ok).toBe(true);
    expect(checkSourceSettings('instatus', { components: ['Website'] }).ok).toBe(true);
    expect(checkSourceSettings('statuspage', { components: [] })).toMatchObject({ ok: false, issues: [{ path: ['components'] }] });
    expect(checkSourceSettings('statuspage', { components: 'Voice' })).toMatchObject({ ok: false, issues: [{ path: ['components'] }] });
    expect(checkSourceSettings('feed', { components: ['Voice'] })).toMatchObject({ ok: false, issues: [{ message: 'unknown setting "components"' }] });
  });
});

describe('component filter (polled and recorded)', () => {
  let server: UpstreamServer;
  let close: (() => Promise<void>) | undefined;

  afterEach(async () => {
    await close?.();
    close = undefined;
    await server.close();
  });

  it('records only what concerns the region a component depends on', async () => {
    server = await startUpstreamServer();
    serveStatuspage(server, statuspagePages(), '/genesys');
    const app = await watchApp({
      sources: [
        { id: 'genesys-emea', type: 'statuspage', url: `${server.url}/genesys`, settings: { components: ['EMEA (Frankfurt)'] } },
        { id: 'genesys-all', type: 'statuspage', url: `${server.url}/genesys` },
      ],
      components: [
        { id: 'telefonia-emea', sources: ['genesys-emea'] },
        { id: 'telefonia-global', sources: ['genesys-all'] },
      ],
    });
    close = app.close;
    await app.cycle();
    const db = app.database.db;
    expect((await sourceRow(db, 'genesys-emea')).state).toBe('operational');
    expect((await sourceRow(db, 'genesys-all')).state).toBe('major_outage');
    const recorded = await db.select({ sourceId: incidents.sourceId, upstreamId: incidents.upstreamId }).from(incidents);
    const upstreamIdsOf = (sourceId: string) => recorded.filter((r) => r.sourceId === sourceId).map((r) => r.upstreamId).sort();
    // The whole page: the US East outage and the history. EMEA: only the page-wide login incident, which names no
    // component; not the US East outage, nor the API incident.
    expect(upstreamIdsOf('genesys-all')).toEqual(['k7w2q9d1x4vb', 'p0c5n8e3r6ts', 'z9h1a6m2b8qc']);
    expect(upstreamIdsOf('genesys-emea')).toEqual(['z9h1a6m2b8qc']);
    const windows = await db.select({ sourceId: maintenances.sourceId, upstreamId: maintenances.upstreamId }).from(maintenances);
    expect(windows).toContainEqual({ sourceId: 'genesys-emea', upstreamId: 'm3fr8k2pz0ya' });

    const summary = (await (await app.request('/api/v2/summary.json')).json()) as { components: { id: string; status: string }[] };
    expect(summary.components.find((c) => c.id === 'telefonia-emea')?.status).toBe('operational');
    expect(summary.components.find((c) => c.id === 'telefonia-global')?.status).toBe('major_outage');
  });
});
