import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditLog, channelSubscriptions, outbox } from '../../db/schema/index.ts';
import { eq } from 'drizzle-orm';
import { countChannelFailure, insertChannelSubscription, updateChannelSubscription } from '../../worker/subscribers/channel-store.ts';
import { markChannelVerified } from '../../worker/subscribers/channel-service.ts';
import { testApp } from '../helpers/app.ts';
import { subscribeJson, type TestApp } from './fixtures.ts';

let t: TestApp;
beforeEach(async () => {
  t = await testApp({ now: '2026-11-20T15:00:00Z' });
});
afterEach(() => t.close());

const SLACK = 'https://hooks.slack.com/services/T0001/B0001/slackSecretPart123';
const DISCORD = 'https://discord.com/api/webhooks/1234/discordSecretToken456';
const TEAMS = 'https://contoso.webhook.office.com/webhookb2/teamsSecretIds789';
const GOOGLE = 'https://chat.googleapis.com/v1/spaces/AAA/messages?key=googleKeyABC&token=googleTokenDEF';
const WEBHOOK = 'https://hooks.example.org/vigia?sig=webhookSigGHI';
const SECRETS = ['slackSecretPart123', 'discordSecretToken456', 'teamsSecretIds789', 'googleKeyABC', 'googleTokenDEF', 'webhookSigGHI'];

interface ChannelRow {
  id: string;
  channel: string;
  url: string;
  status: string;
  state: string;
  team: boolean;
  components: string[];
  failure_count: number;
}
interface ChannelList {
  subscriptions: ChannelRow[];
  total: number;
}

async function subscribeChannel(channel: string, url: string, components?: string[]): Promise<string> {
  const res = await subscribeJson(t, { channel, url, ...(components ? { components } : {}) });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { subscription: { id: string } }).subscription.id;
}

const list = async (query = '') => {
  const res = await t.request(`/api/admin/subscribers/channels${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as ChannelList;
};

/** One subscription on each channel: a confirmed Slack one for mail, a failing Discord one, a disabled Teams one, a pending Google Chat one and a paused webhook. */
async function oneOfEach() {
  const slack = await subscribeChannel('slack', SLACK, ['correo']);
  const discord = await subscribeChannel('discord', DISCORD);
  const teams = await subscribeChannel('teams', TEAMS, ['hosting']);
  const google = await subscribeChannel('google_chat', GOOGLE);
  const webhook = await subscribeChannel('webhook', WEBHOOK);
  const db = t.database.db;
  const now = t.clock.now();
  for (const id of [slack, discord, teams, webhook]) await markChannelVerified(db, id, now);
  await countChannelFailure(db, discord, now);
  await updateChannelSubscription(db, teams, { status: 'disabled', disabledAt: now, disabledReason: `410 Gone from ${TEAMS}`, updatedAt: now });
  await updateChannelSubscription(db, webhook, { status: 'paused', pausedAt: now, updatedAt: now });
  return { slack, discord, teams, google, webhook };
}

describe('admin list of webhook and chat subscriptions', () => {
  it('lists every channel with its components and state, and never a URL’s secret part', async () => {
    const ids = await oneOfEach();
    const res = await t.request('/api/admin/subscribers/channels');
    const text = await res.clone().text();
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    const { subscriptions, total } = (await res.json()) as ChannelList;
    expect(total).toBe(5);
    const byId = Object.fromEntries(subscriptions.map((s) => [s.id, s]));
    expect(byId[ids.slack]).toMatchObject({ channel: 'slack', status: 'confirmed', state: 'confirmed', components: ['correo'], team: false, url: 'https://hooks.slack.com/services/T0001/B0001/redacted' });
    expect(byId[ids.discord]).toMatchObject({ channel: 'discord', status: 'confirmed', state: 'failing', failure_count: 1, components: [], url: 'https://discord.com/api/webhooks/1234/redacted' });
    expect(byId[ids.teams]).toMatchObject({ channel: 'teams', state: 'disabled', components: ['hosting'], url: 'https://contoso.webhook.office.com/webhookb2/redacted', disabled_reason: '410 Gone from https://contoso.webhook.office.com/webhookb2/redacted' });
    expect(byId[ids.google]).toMatchObject({ channel: 'google_chat', state: 'pending', url: 'https://chat.googleapis.com/v1/spaces/AAA/messages?key=redacted&token=redacted' });
    expect(byId[ids.webhook]).toMatchObject({ channel: 'webhook', state: 'paused', url: 'https://hooks.example.org/vigia?sig=redacted' });
    // Nor the webhook's signing secret or the confirmation token.
    expect(text).not.toContain('whsec_');
    expect(text).not.toMatch(/signing_secret|confirm_token/);
  });

  it('filters by channel, state, component and part of the redacted address', async () => {
    const ids = await oneOfEach();
    expect((await list('?channel=slack')).subscriptions.map((s) => s.id)).toEqual([ids.slack]);
    expect((await list('?channel=google_chat')).subscriptions.map((s) => s.id)).toEqual([ids.google]);
    expect((await list('?status=failing')).subscriptions.map((s) => s.id)).toEqual([ids.discord]);
    expect((await list('?status=confirmed')).subscriptions.map((s) => s.id).sort()).toEqual([ids.discord, ids.slack].sort());
    expect((await list('?status=disabled&channel=teams')).total).toBe(1);
    expect((await list('?status=disabled&channel=slack')).total).toBe(0);
    // Those that chose the component and those that chose none (every component).
    expect((await list('?component=correo')).subscriptions.map((s) => s.id).sort()).toEqual([ids.slack, ids.discord, ids.google, ids.webhook].sort());
    expect((await list('?q=CONTOSO')).subscriptions.map((s) => s.id)).toEqual([ids.teams]);
    // A secret cannot be found by searching for it.
    expect((await list('?q=slackSecret')).total).toBe(0);
    expect((await list('?q=googleKey')).total).toBe(0);
    const page = await list('?limit=2');
    expect(page.subscriptions).toHaveLength(2);
    expect(page.total).toBe(5);
    // Empty parameters mean "any".
    expect((await list('?channel=&status=')).total).toBe(5);
  });

  it('refuses an unknown channel or state with the API’s error', async () => {
    for (const query of ['?channel=email', '?channel=fax', '?status=suppressed', '?limit=0', '?color=red']) {
      const res = await t.request(`/api/admin/subscribers/channels${query}`);
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
    }
  });

  it('removes a subscription with what was queued for it, writing the change to the audit log without its URL', async () => {
    const ids = await oneOfEach();
    const db = t.database.db;
    expect((await db.select().from(outbox).where(eq(outbox.subscriberId, ids.google))).length).toBe(1);
    const removed = await t.request(`/api/admin/subscribers/channels/${ids.google}`, { method: 'DELETE' });
    expect(removed.status).toBe(204);
    expect(await db.select().from(channelSubscriptions).where(eq(channelSubscriptions.id, ids.google))).toEqual([]);
    expect(await db.select().from(outbox).where(eq(outbox.subscriberId, ids.google))).toEqual([]);
    expect((await list()).total).toBe(4);

    const [entry] = await db.select().from(auditLog).where(eq(auditLog.entityId, ids.google));
    expect(entry).toMatchObject({ entity: 'channel_subscription', action: `DELETE /api/admin/subscribers/channels/${ids.google}` });
    expect(JSON.stringify(entry!.changes)).toContain('google_chat');
    expect(JSON.stringify(entry!.changes)).not.toMatch(/googleKey|googleToken|chat\.googleapis/);

    const again = await t.request(`/api/admin/subscribers/channels/${ids.google}`, { method: 'DELETE' });
    expect(again.status).toBe(404);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });

  it('lists a team channel of the config file but leaves its removal to the file', async () => {
    const now = t.clock.now();
    await insertChannelSubscription(
      t.database.db,
      { id: 'team_0123456789abcdef', channel: 'slack', url: SLACK, locale: 'es', timezone: 'America/Bogota', status: 'confirmed', confirmedAt: now, createdAt: now, updatedAt: now },
      [],
    );
    const [team] = (await list()).subscriptions;
    expect(team).toMatchObject({ id: 'team_0123456789abcdef', team: true, url: 'https://hooks.slack.com/services/T0001/B0001/redacted' });
    const refused = await t.request('/api/admin/subscribers/channels/team_0123456789abcdef', { method: 'DELETE' });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'config_channel', message: expect.stringContaining('notifications.team_channels') });
    expect((await list()).total).toBe(1);
  });

  it('leaves the e-mail list and its export as they were', async () => {
    await oneOfEach();
    await subscribeJson(t, { email: 'ana@example.com' });
    const emails = (await (await t.request('/api/admin/subscribers')).json()) as { subscribers: { email: string }[]; total: number };
    expect(emails.total).toBe(1);
    const csv = await (await t.request('/api/admin/subscribers/export')).text();
    expect(csv).toContain('ana@example.com');
    expect(csv).not.toContain('hooks.slack.com');
  });
});
