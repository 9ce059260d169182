/**
 * The admin's list of channel subscriptions (webhooks, chat): by channel, state and component, with their URL
 * redacted. The search runs over the redacted address, so no one can learn a secret by guessing it a character
 * at a time. Channel subscriptions are few (each is a team or a tool, not a person), so a page is cut in memory.
 */
import { and, asc, eq, exists, gt, inArray, notExists, or, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../db/client.ts';
import { channelSubscriptionComponents, channelSubscriptions } from '../../db/schema/index.ts';
import { HTTP_CHANNELS } from '../core/notices.ts';
import { CHANNEL_SUBSCRIPTION_STATUSES } from '../core/vocabulary.ts';
import { iso } from '../lib/iso.ts';
import { redactUrl } from '../lib/redact.ts';
import type { ChannelSubscriptionWithComponents } from './channel-store.ts';
import { isTeamChannel } from './team-channels.ts';

/** The states the admin filters by: the stored ones, and `failing` (confirmed, with deliveries failing now). */
export const CHANNEL_ADMIN_STATES = [...CHANNEL_SUBSCRIPTION_STATUSES, 'failing'] as const;
export type ChannelAdminState = (typeof CHANNEL_ADMIN_STATES)[number];

export const channelFilterSchema = z.strictObject({
  channel: z.enum(HTTP_CHANNELS, { error: `must be one of ${HTTP_CHANNELS.join(', ')}` }).optional(),
  status: z.enum(CHANNEL_ADMIN_STATES, { error: `must be one of ${CHANNEL_ADMIN_STATES.join(', ')}` }).optional(),
  /** Subscriptions that get notices about this component: those that chose it and those that chose none. */
  component: z.string().trim().min(1).max(64).optional(),
  /** Part of the redacted address, any case. */
  q: z.string().trim().max(254).optional(),
  limit: z.coerce.number({ error: 'must be a number from 1 to 500' }).int().min(1).max(500).default(50),
});

export type ChannelFilter = z.output<typeof channelFilterSchema>;

function where(db: DbOrTx, filter: ChannelFilter): SQL | undefined {
  const chose = (component?: string) =>
    db
      .select({ one: channelSubscriptionComponents.subscriptionId })
      .from(channelSubscriptionComponents)
      .where(and(eq(channelSubscriptionComponents.subscriptionId, channelSubscriptions.id), component ? eq(channelSubscriptionComponents.componentId, component) : undefined));
  const state = filter.status;
  return and(
    filter.channel ? eq(channelSubscriptions.channel, filter.channel) : undefined,
    state === 'failing' ? and(eq(channelSubscriptions.status, 'confirmed'), gt(channelSubscriptions.failureCount, 0)) : state ? eq(channelSubscriptions.status, state) : undefined,
    filter.component ? or(notExists(chose()), exists(chose(filter.component))) : undefined,
  );
}

/** The subscriptions matching the filter, by channel then address, and how many match in all. */
export async function listChannelSubscriptions(db: DbOrTx, filter: ChannelFilter): Promise<{ subscriptions: ChannelSubscriptionWithComponents[]; total: number }> {
  const rows = await db.select().from(channelSubscriptions).where(where(db, filter)).orderBy(asc(channelSubscriptions.channel), asc(channelSubscriptions.url), asc(channelSubscriptions.id));
  const needle = filter.q?.toLowerCase();
  const matching = needle ? rows.filter((r) => redactUrl(r.url).toLowerCase().includes(needle)) : rows;
  const page = matching.slice(0, filter.limit);
  const chosen = new Map<string, string[]>();
  if (page.length) {
    const links = await db
      .select()
      .from(channelSubscriptionComponents)
      .where(inArray(channelSubscriptionComponents.subscriptionId, page.map((r) => r.id)))
      .orderBy(asc(channelSubscriptionComponents.componentId));
    for (const link of links) chosen.set(link.subscriptionId, [...(chosen.get(link.subscriptionId) ?? []), link.componentId]);
  }
  return { subscriptions: page.map((r) => ({ ...r, componentIds: chosen.get(r.id) ?? [] })), total: matching.length };
}

/** The state the admin reads: `failing` while a confirmed subscription's deliveries fail, else the stored status. */
export const channelAdminState = (s: Pick<ChannelSubscriptionWithComponents, 'status' | 'failureCount'>): ChannelAdminState =>
  s.status === 'confirmed' && s.failureCount > 0 ? 'failing' : s.status;

/** What the admin API shows of a channel subscription: never its URL's secret, signing secret or confirmation token. */
export function adminChannelSubscriptionView(s: ChannelSubscriptionWithComponents) {
  return {
    id: s.id,
    channel: s.channel,
    url: redactUrl(s.url),
    status: s.status,
    state: channelAdminState(s),
    /** One of the config's team channels: changed in the file, not here. */
    team: isTeamChannel(s.id),
    components: s.componentIds,
    locale: s.locale,
    timezone: s.timezone,
    incident_notices: s.incidentNotices,
    min_severity: s.minSeverity,
    failure_count: s.failureCount,
    failing_since: iso(s.failingSince),
    confirmed_at: iso(s.confirmedAt),
    paused_at: iso(s.pausedAt),
    disabled_at: iso(s.disabledAt),
    disabled_reason: s.disabledReason === null ? null : redactUrl(s.disabledReason),
    created_at: iso(s.createdAt),
  };
}
