import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../worker/config/load.ts';
import type { RunningVigia } from '../../worker/server.ts';
import { startTempVigia } from '../helpers/server.ts';
import { TEST_CONFIG_YAML } from '../helpers/config.ts';
import { startUpstreamServer, type UpstreamServer } from '../fakes/upstream-server.ts';

/** A provider's Statuspage summary, as the page would serve it while an incident runs. */
function summary(incident: { impact: string; status: string; updates: { id: string; status: string; body: string; at: string }[]; resolvedAt?: string }) {
  const page = { id: 'gc', name: 'Genesys Cloud', url: 'https://status.mypurecloud.com', time_zone: 'America/Chicago', updated_at: '2026-11-21T08:05:00.000-06:00' };
  const componentStatus = incident.status === 'resolved' ? 'operational' : incident.impact === 'major' ? 'partial_outage' : 'degraded_performance';
  const components = [{ id: 'voice', name: 'Voice', status: componentStatus, created_at: '2020-01-01T00:00:00Z', updated_at: '2026-11-21T14:00:00Z', position: 1, description: null, showcase: true, start_date: null, group_id: null, page_id: 'gc', group: false, only_show_if_degraded: false }];
  const open = incident.status !== 'resolved';
  const body = {
    id: 'inc-1',
    name: 'Calls failing to connect',
    status: incident.status,
    impact: incident.impact,
    created_at: '2026-11-21T08:00:00.000-06:00',
    updated_at: incident.updates[0]!.at,
    monitoring_at: null,
    resolved_at: incident.resolvedAt ?? null,
    started_at: '2026-11-21T08:00:00.000-06:00',
    shortlink: 'https://stspg.io/x',
    page_id: 'gc',
    components,
    incident_updates: incident.updates.map((u) => ({ id: u.id, incident_id: 'inc-1', status: u.status, body: u.body, created_at: u.at, updated_at: u.at, display_at: u.at, affected_components: null, deliver_notifications: true })),
  };
  return {
    summary: { page, components, incidents: open ? [body] : [], scheduled_maintenances: [], status: { indicator: open ? incident.impact : 'none', description: open ? 'Minor' : 'All Systems Operational' } },
    incidents: { page, incidents: [body] },
  };
}

/**
 * Upstream → worker → API → page, with the real scheduler: an incident that appears on a provider's page shows up on
 * the component the provider feeds, with the mapped severity, within one poll interval; it follows the provider's
 * updates and resolves when the provider resolves it.
 */
describe('an upstream incident on the page', () => {
  let vigia: RunningVigia;
  let upstream: UpstreamServer;
  let stop: () => Promise<void>;
  const serve = (state: ReturnType<typeof summary>) => {
    upstream.route('/api/v2/summary.json', { body: state.summary });
    upstream.route('/api/v2/incidents.json', { body: state.incidents });
    upstream.route('/api/v2/scheduled-maintenances.json', { body: { page: state.summary.page, scheduled_maintenances: [] } });
  };
  const waitFor = async <T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 8_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const incidentFromApi = async () => {
    const body = (await (await fetch(`${vigia.url}/api/v2/incidents.json`)).json()) as any;
    return body.incidents.find((i: any) => i.source?.upstream_id === 'inc-1');
  };

  beforeAll(async () => {
    upstream = await startUpstreamServer();
    serve(summary({ impact: 'minor', status: 'investigating', updates: [{ id: 'u1', status: 'investigating', body: 'We are investigating <b>call failures</b>.', at: '2026-11-21T08:05:00.000-06:00' }] }));
    const config = parseConfigText(
      TEST_CONFIG_YAML.replace(
        '  - { id: gws, name: Google Workspace, type: google, url: "http://127.0.0.1:9/incidents.json", interval: 60s }',
        `  - { id: gws, name: Google Workspace, type: google, url: "http://127.0.0.1:9/incidents.json", interval: 60s }\n  - { id: genesys, name: Genesys Cloud, type: statuspage, url: "${upstream.url}", interval: 2s }`,
      ).replace('  - { id: telefonia, name: Telefonía, calendar: bogota }', '  - { id: telefonia, name: Telefonía, calendar: bogota, sources: [genesys] }'),
      'e2e.config.yaml',
    );
    ({ vigia, close: stop } = await startTempVigia({ config, env: { VIGIA_JOBS: '1', ADMIN_TOKEN: 'upstream-e2e-admin-token', VIGIA_ALLOW_PRIVATE_NETWORKS: '1' } }));
    // Start-up includes the site renderer's build when no earlier test made it: minutes on a loaded 2-core machine.
  }, 300_000);

  afterAll(async () => {
    await stop?.();
    await upstream?.close();
  }, 120_000);

  it('appears with the mapped severity on the fed component within one poll interval', async () => {
    const incident = await waitFor("the upstream incident", incidentFromApi, 2_000 + 6_000);
    expect(incident).toMatchObject({ name: 'Calls failing to connect', severity: 3, impact: 'minor', status: 'investigating', started_at: '2026-11-21T14:00:00.000Z' });
    expect(incident.components.map((c: any) => c.id)).toEqual(['telefonia']);
    // Upstream HTML reaches us only as text.
    expect(incident.incident_updates[0].body).toBe('We are investigating call failures.');
    await vigia.site!.build('test');
    const html = await (await fetch(`${vigia.url}/`)).text();
    expect(html).toContain('Calls failing to connect');
  }, 180_000);

  it('follows the provider: a raised impact and a new update, then the resolution', async () => {
    serve(
      summary({
        impact: 'major',
        status: 'identified',
        updates: [
          { id: 'u2', status: 'identified', body: 'A carrier is dropping calls.', at: '2026-11-21T08:20:00.000-06:00' },
          { id: 'u1', status: 'investigating', body: 'We are investigating <b>call failures</b>.', at: '2026-11-21T08:05:00.000-06:00' },
        ],
      }),
    );
    const raised = await waitFor('the raised severity', async () => {
      const i = await incidentFromApi();
      return i?.severity === 2 ? i : undefined;
    });
    expect(raised.incident_updates.map((u: any) => u.status)).toEqual(['identified', 'investigating']);
    expect(raised.severity_history).toEqual([expect.objectContaining({ from: 3, to: 2, by: 'upstream:genesys' })]);

    serve(
      summary({
        impact: 'major',
        status: 'resolved',
        resolvedAt: '2026-11-21T09:00:00.000-06:00',
        updates: [
          { id: 'u3', status: 'resolved', body: 'Calls connect normally again.', at: '2026-11-21T09:00:00.000-06:00' },
          { id: 'u2', status: 'identified', body: 'A carrier is dropping calls.', at: '2026-11-21T08:20:00.000-06:00' },
          { id: 'u1', status: 'investigating', body: 'We are investigating <b>call failures</b>.', at: '2026-11-21T08:05:00.000-06:00' },
        ],
      }),
    );
    const resolved = await waitFor('the resolution', async () => {
      const i = await incidentFromApi();
      return i?.status === 'resolved' ? i : undefined;
    });
    expect(resolved.resolved_at).toBe('2026-11-21T15:00:00.000Z');
    const all = (await (await fetch(`${vigia.url}/api/v2/incidents.json`)).json()) as any;
    expect(all.incidents.filter((i: any) => i.source?.upstream_id === 'inc-1')).toHaveLength(1);
  });
});
