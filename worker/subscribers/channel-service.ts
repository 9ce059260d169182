/**
 * Subscriptions on channels that POST to a URL (signed webhooks, chat incoming webhooks): created pending, verified
 * before they get notices (a webhook by answering its `subscription.verification` event with a 2xx, a chat channel by
 * someone following the confirmation link it was sent), paused, resumed and removed through a signed manage link,
 * and switched off after a sustained run of failed deliveries or a 410 Gone (the admins are told).
 */
import { messageLocale, type Locale } from '../config/schema.ts';
import type { AppContext } from '../context.ts';
import type { HttpChannel } from '../core/notices.ts';
import { invalidFields } from '../core/errors.ts';
import type { DbOrTx } from '../../db/client.ts';
import { newId } from '../lib/ids.ts';
import { forgetMailOfSubscribers, queueNotice } from '../mail/outbox.ts';
import { adminAlertDeliveries } from '../notices/recipients.ts';
import {
  countChannelFailure,
  deleteChannelSubscription,
  findChannelSubscription,
  findChannelSubscriptionByConfirmHash,
  insertChannelSubscription,
  updateChannelSubscription,
  type ChannelSubscriptionRow,
  type ChannelSubscriptionWithComponents,
} from './channel-store.ts';
import { channelUrlProblem, urlHost } from './channel-url.ts';
import { CONFIRM_TOKEN_TTL_MS, hashConfirmToken, newConfirmToken } from './confirm-token.ts';
import { loadSigningSecret, signSubscriberToken } from './links.ts';
import { assertKnownComponents } from './store.ts';
import { newWebhookSecret } from './webhook-secret.ts';

export interface ChannelSubscribeInput {
  channel: HttpChannel;
  url: string;
  components?: string[];
  locale?: Locale;
  timezone?: string;
  incident_notices?: boolean;
  min_severity?: number;
}

export interface CreatedChannelSubscription {
  subscription: ChannelSubscriptionWithComponents;
  manageUrl: string;
  /** Webhooks only, shown once: the key every payload is signed with. */
  signingSecret: string | null;
}

/** When a subscription whose deliveries keep failing is switched off: this many failures in a row over at least this long. */
export interface DisablePolicy {
  failures: number;
  periodMs: number;
}

export const DEFAULT_DISABLE_POLICY: DisablePolicy = { failures: 20, periodMs: 24 * 3_600_000 };

export const channelManageUrl = (secret: string, publicUrl: string, id: string) =>
  `${publicUrl.replace(/\/+$/, '')}/api/subscriptions/channels/manage?token=${encodeURIComponent(signSubscriberToken(secret, 'channel_manage', id))}`;

export const channelConfirmUrl = (publicUrl: string, token: string) =>
  `${publicUrl.replace(/\/+$/, '')}/api/subscriptions/channels/confirm?token=${encodeURIComponent(token)}`;

/** Creates a pending subscription and queues its verification message. */
export async function requestChannelSubscription(app: AppContext, input: ChannelSubscribeInput): Promise<CreatedChannelSubscription> {
  const problem = channelUrlProblem(input.url);
  if (problem) throw invalidFields('body', [{ field: 'url', message: problem }]);
  const componentIds = input.components ?? [];
  await assertKnownComponents(app.db, componentIds);
  const now = app.now();
  const { site } = app.config;
  const id = newId();
  const signingSecret = input.channel === 'webhook' ? newWebhookSecret() : null;
  const { token, hash } = newConfirmToken();
  const expiresAt = new Date(now.getTime() + CONFIRM_TOKEN_TTL_MS);
  const locale = input.locale ?? site.default_locale;
  const timezone = input.timezone ?? site.timezone;
  await app.db.transaction(async (tx) => {
    await insertChannelSubscription(
      tx,
      {
        id,
        channel: input.channel,
        url: input.url,
        locale,
        timezone,
        incidentNotices: input.incident_notices ?? false,
        minSeverity: input.min_severity ?? 2,
        status: 'pending',
        signingSecret,
        confirmTokenHash: hash,
        confirmExpiresAt: expiresAt,
        createdAt: now,
        updatedAt: now,
      },
      componentIds,
    );
    await queueNotice(
      tx,
      { kind: 'subscription.confirm', confirmUrl: channelConfirmUrl(site.url, token), expiresAt: expiresAt.toISOString() },
      [{ channel: input.channel, target: input.url, subscriberId: id, locale: messageLocale(locale), timeZone: timezone, idempotencyKey: `subscription.confirm:${id}` }],
      now,
    );
  });
  const subscription = await findChannelSubscription(app.db, id);
  if (!subscription) throw new Error('channel subscription vanished right after being inserted');
  return { subscription, manageUrl: channelManageUrl(await loadSigningSecret(app.db), site.url, id), signingSecret };
}

export type ChannelConfirmOutcome = { kind: 'confirmed' | 'already_confirmed' | 'expired' | 'disabled'; subscription: ChannelSubscriptionRow } | { kind: 'unknown' };

/** Follows a chat subscription's confirmation link (a webhook may use it too, though its 2xx already verifies it). */
export async function confirmChannelSubscription(app: AppContext, token: string): Promise<ChannelConfirmOutcome> {
  const now = app.now();
  const row = await findChannelSubscriptionByConfirmHash(app.db, hashConfirmToken(token));
  if (!row) return { kind: 'unknown' };
  if (row.status === 'disabled') return { kind: 'disabled', subscription: row };
  if (row.status !== 'pending') return { kind: 'already_confirmed', subscription: row };
  if (row.confirmExpiresAt && row.confirmExpiresAt.getTime() < now.getTime()) return { kind: 'expired', subscription: row };
  await markChannelVerified(app.db, row.id, now);
  return { kind: 'confirmed', subscription: { ...row, status: 'confirmed', confirmedAt: now } };
}

/** A pending subscription proved its receiver listens: it gets notices from now on. */
export async function markChannelVerified(db: DbOrTx, id: string, now: Date): Promise<boolean> {
  return updateChannelSubscription(db, id, { status: 'confirmed', confirmedAt: now, updatedAt: now }, { status: ['pending'] });
}

export type ChannelManageOutcome = { kind: 'changed'; subscription: ChannelSubscriptionWithComponents } | { kind: 'unknown' };

/** Pauses or resumes a subscription (a pending or disabled one stays as it is). */
export async function setChannelPaused(app: AppContext, id: string, paused: boolean): Promise<ChannelManageOutcome> {
  const now = app.now();
  if (paused) await updateChannelSubscription(app.db, id, { status: 'paused', pausedAt: now, updatedAt: now }, { status: ['confirmed'] });
  else await updateChannelSubscription(app.db, id, { status: 'confirmed', pausedAt: null, updatedAt: now }, { status: ['paused'] });
  const subscription = await findChannelSubscription(app.db, id);
  return subscription ? { kind: 'changed', subscription } : { kind: 'unknown' };
}

/** Removes a subscription, with everything queued or sent to it. */
export async function removeChannelSubscription(app: AppContext, id: string): Promise<boolean> {
  return app.db.transaction(async (tx) => {
    if (!(await findChannelSubscription(tx, id))) return false;
    await forgetMailOfSubscribers(tx, [id]);
    await deleteChannelSubscription(tx, id);
    return true;
  });
}

/** A delivery was accepted: the run of failures, if any, is over. */
export async function recordChannelSuccess(db: DbOrTx, row: ChannelSubscriptionRow, now: Date): Promise<void> {
  if (row.failureCount > 0 || row.failingSince) await updateChannelSubscription(db, row.id, { failureCount: 0, failingSince: null, updatedAt: now });
}

/**
 * A delivery attempt failed. `gone`: the receiver answered 410, which switches the subscription off at once;
 * otherwise it is switched off once the run of failures is long enough in both count and time. Returns whether
 * this call switched it off (then the admins are told).
 */
export async function recordChannelFailure(
  db: DbOrTx,
  row: ChannelSubscriptionRow,
  now: Date,
  options: { gone: boolean; reason: string; policy: DisablePolicy; admins: readonly { email: string; locale: Locale }[]; adminTimeZone: string },
): Promise<boolean> {
  const run = await countChannelFailure(db, row.id, now);
  if (!run) return false;
  const sustained = run.failureCount >= options.policy.failures && now.getTime() - run.failingSince.getTime() >= options.policy.periodMs;
  if (!options.gone && !sustained) return false;
  const reason = options.gone ? 'the receiver answered 410 Gone' : `${run.failureCount} failed deliveries since ${run.failingSince.toISOString()}; last: ${options.reason}`;
  const disabled = await updateChannelSubscription(db, row.id, { status: 'disabled', disabledAt: now, disabledReason: reason.slice(0, 1000), updatedAt: now }, { status: ['pending', 'confirmed', 'paused'] });
  if (!disabled) return false;
  await queueNotice(
    db,
    { kind: 'admin.channel_disabled', subscriptionId: row.id, channel: row.channel, host: urlHost(row.url), reason: reason.slice(0, 1000), failures: run.failureCount, disabledAt: now.toISOString() },
    await adminAlertDeliveries(db, 'admin.channel_disabled', options.admins, (to) => `admin.channel_disabled:${row.id}:${to.toLowerCase()}`, options.adminTimeZone),
    now,
  );
  return true;
}

/** The subscription as its owner sees it (never the signing secret, never the confirmation token). */
export function channelSubscriptionView(s: ChannelSubscriptionWithComponents) {
  return {
    id: s.id,
    channel: s.channel,
    url: s.url,
    status: s.status,
    components: s.componentIds,
    locale: s.locale,
    timezone: s.timezone,
    incident_notices: s.incidentNotices,
    min_severity: s.minSeverity,
    confirmed_at: s.confirmedAt?.toISOString() ?? null,
    paused_at: s.pausedAt?.toISOString() ?? null,
    disabled_at: s.disabledAt?.toISOString() ?? null,
    disabled_reason: s.disabledReason,
  };
}
