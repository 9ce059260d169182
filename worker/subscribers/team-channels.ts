/**
 * The admins' own team channels (`notifications.team_channels` in the config): webhook and chat channels that get
 * the notices of windows and incidents like a confirmed subscription, apart from the public's subscriptions, and the
 * admin alerts, as far as their `events` say (stored with them, so notice planning reads them with the rest). They
 * are kept as channel subscriptions with ids of their own (`team_…`), so notice planning, the outbox, the HTTP
 * delivery and the notice guarantee treat them as any other recipient; the config file is their only source.
 */
import { createHash } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import type { Config } from '../config/load.ts';
import { formatKeyPath } from '../config/errors.ts';
import { messageLocale, teamChannelEvents, type TeamChannelConfig } from '../config/schema.ts';
import { forgetMailOfSubscribers } from '../mail/outbox.ts';
import {
  channelSubscriptionIdsStartingWith,
  deleteChannelSubscription,
  findChannelSubscription,
  insertChannelSubscription,
  replaceChannelComponents,
  updateChannelSubscription,
} from './channel-store.ts';

export const TEAM_ID_PREFIX = 'team_';

/** A team channel's id: the same for the same channel and URL on every start. */
export const teamChannelId = (team: Pick<TeamChannelConfig, 'channel' | 'url'>) =>
  `${TEAM_ID_PREFIX}${createHash('sha256').update(`${team.channel} ${team.url}`).digest('hex').slice(0, 16)}`;

/** Whether a channel subscription is one of the config's team channels (it has no manage link). */
export const isTeamChannel = (subscriptionId: string) => subscriptionId.startsWith(TEAM_ID_PREFIX);

const WEBHOOK_SECRET = /^whsec_[A-Za-z0-9+/]+=*$/;

/**
 * Each team channel's signing secret, read from the environment variable its `secret_env` names (webhooks only;
 * null for chat channels), or the problems, each with its key path in the file.
 */
export function teamChannelSecrets(teams: readonly TeamChannelConfig[], env: Record<string, string | undefined>): { secrets: (string | null)[]; problems: { path: string; message: string }[] } {
  const problems: { path: string; message: string }[] = [];
  const secrets = teams.map((team, i) => {
    if (!team.secret_env) return null;
    const value = env[team.secret_env];
    const path = formatKeyPath(['notifications', 'team_channels', i, 'secret_env']);
    if (!value) problems.push({ path, message: `the environment has no ${team.secret_env} (the webhook's signing secret, whsec_…)` });
    else if (!WEBHOOK_SECRET.test(value)) problems.push({ path, message: `${team.secret_env} is not a signing secret like whsec_<base64>` });
    return value ?? null;
  });
  return { secrets, problems };
}

/**
 * Makes the team channels in the database match the config, in one transaction: new ones start confirmed (the
 * admins declared them), changed ones take the file's settings and are switched on again (a restart after fixing a
 * receiver that was switched off), and those no longer in the file are removed with their queued notices.
 */
export async function syncTeamChannels(db: Database, config: Config, secrets: readonly (string | null)[], now: Date): Promise<void> {
  const teams = config.notifications.team_channels;
  await db.transaction(async (tx) => {
    const kept = new Set<string>();
    for (const [i, team] of teams.entries()) {
      const id = teamChannelId(team);
      kept.add(id);
      const settings = {
        locale: team.locale ?? messageLocale(config.site.default_locale),
        timezone: team.timezone ?? config.site.timezone,
        incidentNotices: team.incident_notices,
        minSeverity: team.min_severity,
        signingSecret: secrets[i] ?? null,
        events: [...teamChannelEvents(team)],
        updatedAt: now,
      };
      const existing = await findChannelSubscription(tx, id);
      if (!existing) {
        await insertChannelSubscription(tx, { id, channel: team.channel, url: team.url, ...settings, status: 'confirmed', confirmedAt: now, createdAt: now }, team.components);
        continue;
      }
      const revived = existing.status === 'confirmed' ? {} : { status: 'confirmed' as const, pausedAt: null, disabledAt: null, disabledReason: null, failureCount: 0, failingSince: null };
      await updateChannelSubscription(tx, id, { ...settings, ...revived });
      await replaceChannelComponents(tx, id, team.components);
    }
    const gone = (await channelSubscriptionIdsStartingWith(tx, TEAM_ID_PREFIX)).filter((id) => !kept.has(id));
    if (gone.length) await forgetMailOfSubscribers(tx, gone);
    for (const id of gone) await deleteChannelSubscription(tx, id);
  });
}
