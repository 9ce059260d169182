import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../worker/config/load.ts';
import { workerStrings } from '../../worker/i18n/index.ts';
import { webhookReceiver } from '../fakes/webhook-receiver.ts';
import { readChatMessage } from '../helpers/chat-messages.ts';
import { TEST_CONFIG_YAML } from '../helpers/config.ts';
import { startTempVigia, type TempVigia } from '../helpers/server.ts';
import { startVigia } from '../../worker/server.ts';

const TOKEN = 'e2e-team-channels-admin-token';
const SECRET = `whsec_${Buffer.from('a team webhook secret, 32 bytes!').toString('base64')}`;

/**
 * The admins' own channels from the config: a Slack channel in English and a signed webhook whose secret comes from
 * the environment get the window's and the incident's notices through the outbox and the HTTP delivery, with no
 * verification and no manage link, apart from the public's subscriptions.
 */
describe('team channels named in the config', () => {
  let started: TempVigia;
  let receiver: Awaited<ReturnType<typeof webhookReceiver>>;

  beforeAll(async () => {
    receiver = await webhookReceiver();
    const config = parseConfigText(
      `${TEST_CONFIG_YAML}notifications:
  team_channels:
    - { channel: slack, url: "${receiver.url('/team/slack')}", locale: en, timezone: Europe/Madrid }
    - { channel: webhook, url: "${receiver.url('/team/hook')}", secret_env: TEAM_HOOK_SECRET, incident_notices: false }
`,
      'team.config.yaml',
    );
    started = await startTempVigia({
      config,
      env: { VIGIA_BUILD_SITE: '0', VIGIA_JOBS: '1', ADMIN_TOKEN: TOKEN, VIGIA_ALLOW_PRIVATE_NETWORKS: '1', TEAM_HOOK_SECRET: SECRET },
    });
    await started.vigia.upstream?.stop();
  }, 60_000);
  afterAll(async () => {
    await started?.close();
    await receiver?.close();
  });

  const admin = async (path: string, body: unknown) => {
    const response = await fetch(`${started.vigia.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const dispatch = () => started.vigia.jobs.find((j) => j.name === 'http-dispatch')!.runNow();
  const at = (path: string) => receiver.received.filter((r) => r.path === path);
  const until = async (condition: () => boolean, what: string) => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      await dispatch();
      if (condition()) return;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it('get a window’s and an incident’s notices, each as its filters say', async () => {
    const startsAt = new Date(Math.ceil((Date.now() + 24 * 3_600_000) / 3_600_000) * 3_600_000).toISOString();
    const endsAt = new Date(Date.parse(startsAt) + 3_600_000).toISOString();
    const window = await admin('/api/admin/maintenances', { title: 'Cambio de disco', message: 'Cortes breves.', starts_at: startsAt, ends_at: endsAt, component_ids: ['hosting'] });
    expect(window.status).toBe(201);
    const incident = await admin('/api/admin/incidents', { title: 'Correo lento', severity: 3, message: 'Investigamos.', components: ['correo'] });
    expect(incident.status).toBe(201);
    await until(() => at('/team/slack').length >= 2 && at('/team/hook').length >= 1, 'the team channels’ notices');

    // Slack, in English, with no verification message before and no manage link (the file manages it).
    const words = workerStrings('en').mail;
    const slack = at('/team/slack').map((r) => readChatMessage('slack', r.body));
    expect(slack.map((m) => m.title).sort()).toEqual([words.incident.opened.heading('Correo lento'), words.maintenance.announcement.heading('Cambio de disco')].sort());
    for (const m of slack) expect(m.buttons.map((b) => b.label)).not.toContain(words.managePreferences);

    // The webhook: signed with the secret from the environment; incident_notices: false leaves the incident out.
    const hook = new Webhook(SECRET);
    const payloads = at('/team/hook').map((r) => hook.verify(r.body, r.headers as Record<string, string>) as { type: string; data: { maintenance_id?: string } });
    expect(payloads.map((p) => p.type)).toEqual(['maintenance.announcement']);
    expect(payloads[0]!.data.maintenance_id).toBe(window.body.maintenance.id);

    // The eight-hour promise counts them as recipients on their channels.
    const view = await (await fetch(`${started.vigia.url}/api/admin/maintenances/${window.body.maintenance.id}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json() as any;
    expect(view.maintenance.notice.by_channel).toMatchObject({ slack: { recipients: 1, notified: 1 }, webhook: { recipients: 1, notified: 1 } });
  });

  it('refuse to start without a webhook’s secret in the environment, naming the file’s key path', async () => {
    const config = parseConfigText(`${TEST_CONFIG_YAML}notifications:\n  team_channels:\n    - { channel: webhook, url: "https://hooks.example/x", secret_env: MISSING_TEAM_SECRET }\n`, 'team.config.yaml');
    // Refused before the database is opened or a port is taken.
    const env = { VIGIA_CONFIG: 'team.config.yaml', DATABASE_URL: ':memory:', PORT: '0', HOST: '127.0.0.1', VIGIA_BUILD_SITE: '0', VIGIA_JOBS: '0', LOG_LEVEL: 'silent' };
    await expect(startVigia({ config, env })).rejects.toThrow(
      'team.config.yaml: notifications.team_channels[0].secret_env: the environment has no MISSING_TEAM_SECRET',
    );
  });
});
