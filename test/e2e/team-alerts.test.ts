import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../worker/config/load.ts';
import { workerStrings } from '../../worker/i18n/index.ts';
import { startFakeResend, type FakeResendServer } from '../fakes/resend-server.ts';
import { webhookReceiver } from '../fakes/webhook-receiver.ts';
import { readChatMessage } from '../helpers/chat-messages.ts';
import { TEST_CONFIG_YAML } from '../helpers/config.ts';
import { startMailingVigia, type TempVigia } from '../helpers/server.ts';

const TOKEN = 'e2e-team-alerts-admin-token';
const SECRET = `whsec_${Buffer.from('a team webhook secret, 32 bytes!').toString('base64')}`;

/**
 * The admin alerts reach a team channel whose `events` name them, through the HTTP delivery, while the mail provider
 * refuses to send: an SLA target about to lapse, a public subscription switched off after its receiver answered 410,
 * and mail sending paused by the provider's quota. A team channel with the default events gets none of them.
 */
describe('admin alerts on team channels', () => {
  let started: TempVigia;
  let fake: FakeResendServer;
  let receiver: Awaited<ReturnType<typeof webhookReceiver>>;

  beforeAll(async () => {
    // The public subscription's receiver answers its verification, then 410 Gone; the team channels answer 200.
    receiver = await webhookReceiver((request, nth) => ({ status: request.path === '/public/gone' && nth > 1 ? 410 : 200 }));
    // A provider with no quota left: the first call pauses mail sending.
    fake = await startFakeResend({ dailyQuota: 0 });
    const config = parseConfigText(
      `${TEST_CONFIG_YAML}notifications:
  team_channels:
    - { channel: slack, url: "${receiver.url('/team/alerts')}", locale: en, events: [admin.*] }
    - { channel: webhook, url: "${receiver.url('/team/hook')}", secret_env: TEAM_HOOK_SECRET }
`,
      'team.config.yaml',
    );
    started = await startMailingVigia(fake, { config, adminToken: TOKEN, env: { VIGIA_ALLOW_PRIVATE_NETWORKS: '1', TEAM_HOOK_SECRET: SECRET } });
  }, 60_000);
  afterAll(async () => {
    await started?.close();
    await receiver?.close();
    await fake?.close();
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${started.vigia.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const job = (name: string) => started.vigia.jobs.find((j) => j.name === name)!.runNow();
  const at = (path: string) => receiver.received.filter((r) => r.path === path);
  const until = async (condition: () => boolean | Promise<boolean>, what: string) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      await job('http-dispatch');
      await job('mail-dispatch');
      if (await condition()) return;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it('are posted to the team channel whose events name them, and not to the others', async () => {
    const subscribed = await call('POST', '/api/subscriptions', { channel: 'webhook', url: receiver.url('/public/gone'), components: ['correo'], incident_notices: true, min_severity: 1 });
    expect(subscribed.status).toBe(201);
    await until(() => at('/public/gone').length > 0, 'the verification');

    // Severity 1, resolution in 5 h around the clock: started 4 h 45 min ago, it is due within the 30-minute margin.
    const startedAt = new Date(Date.now() - (4 * 60 + 45) * 60_000).toISOString();
    const incident = await call('POST', '/api/admin/incidents', { title: 'Correo caído', severity: 1, message: 'Investigamos.', components: ['correo'], started_at: startedAt });
    expect(incident.status).toBe(201);
    await job('sla-warnings');

    const words = workerStrings('en').mail.admin;
    const expected = [words.slaWarning.headingDue(words.slaWarning.target.resolution), words.channelDisabled.heading, words.mailPaused.heading].sort();
    const titles = () => at('/team/alerts').map((r) => readChatMessage('slack', r.body).title);
    await until(() => titles().length >= expected.length && at('/team/hook').length >= 1, 'the alerts on the team channel');
    await until(() => true, 'one more round');
    expect(titles().sort()).toEqual(expected);

    // The alert says which subscription went quiet; the mail provider is still refusing, and the admins' e-mails wait.
    const disabled = at('/team/alerts').map((r) => readChatMessage('slack', r.body)).find((m) => m.title === words.channelDisabled.heading)!;
    expect(disabled.text).toContain('127.0.0.1');
    expect(fake.deliveries).toHaveLength(0);
    const mails = await call('GET', '/api/admin/outbox?channel=email');
    expect(mails.body.paused).toMatchObject({ reason: 'quota' });
    expect(mails.body.outbox.map((m: any) => m.kind).sort()).toEqual(['admin.channel_disabled', 'admin.mail_paused', 'admin.sla_warning']);

    // The webhook team channel with the default events heard the incident, and no alert.
    const hook = new Webhook(SECRET);
    const types = at('/team/hook').map((r) => (hook.verify(r.body, r.headers as Record<string, string>) as { type: string }).type);
    expect(types).toEqual(['incident.opened']);
  });
});
