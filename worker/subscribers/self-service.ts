import { eq } from 'drizzle-orm';
import { subscribers } from '../../db/schema/index.ts';
import { messageLocale } from '../config/schema.ts';
import type { AppContext } from '../context.ts';
import { newId } from '../lib/ids.ts';
import { queueNotice } from '../mail/outbox.ts';
import { CONFIRM_TOKEN_TTL_MS, confirmUrl, hashConfirmToken, newConfirmToken } from './confirm-token.ts';
import type { ManageInput, SubscribeInput } from './preferences.ts';
import { assertConfirmationMailAllowed } from './confirmation-cap.ts';
import { claimRequestMail } from './request-mail-policy.ts';
import {
  assertKnownComponents,
  findSubscriber,
  findSubscriberWithComponents,
  insertSubscriberUnlessKnown,
  setComponents,
  updateSubscriber,
  type SubscriberRow,
  type SubscriberWithComponents,
} from './store.ts';

export const CONFIRM_TEMPLATE = 'subscription.confirm';
export const DOUBLE_OPT_IN = 'double-opt-in';

/**
 * A subscription request from the public form. The caller answers the same whatever happens here,
 * so nothing in the response tells whether the address was known.
 *
 * - new address: a pending subscriber with the chosen preferences, and a confirmation mail;
 * - pending or unsubscribed: preferences replaced (nobody receives anything in these states), new confirmation mail;
 * - confirmed: preferences untouched (the form proves nothing about who sent it); a fresh confirmation
 *   mail whose link leads to the preferences page;
 * - suppressed (bounced or complained): nothing, no mail.
 * At most one mail per address per cooldown and a few a day (see request-mail-policy.ts), and a global cap per hour
 * (see confirmation-cap.ts): over it, a RateLimitedError and nothing written.
 * Components that are not on the page are refused (an invalid `components` field) before anything is written.
 */
export async function requestSubscription(app: AppContext, input: SubscribeInput): Promise<{ queued: boolean }> {
  const now = app.now();
  const { site } = app.config;
  const wanted = {
    locale: input.locale ?? site.default_locale,
    timezone: input.timezone ?? site.timezone,
    incidentNotices: input.incident_notices ?? false,
    minSeverity: input.min_severity ?? 2,
  };
  const componentIds = input.components ?? [];
  await assertKnownComponents(app.db, componentIds);

  return app.db.transaction(async (tx) => {
    // Before anything is written or looked up, so every address gets the same answer while the hour is full.
    await assertConfirmationMailAllowed(tx, CONFIRM_TEMPLATE, app.env.CONFIRMATION_MAILS_PER_HOUR, now);
    let row = await findSubscriber(tx, { email: input.email });
    if (!row) {
      const id = newId();
      await insertSubscriberUnlessKnown(tx, { id, email: input.email, status: 'pending', ...wanted, createdAt: now, updatedAt: now });
      row = await findSubscriber(tx, { email: input.email });
      if (!row) throw new Error('subscriber vanished right after being inserted');
      if (row.id === id) await setComponents(tx, id, componentIds);
    } else if (row.status === 'pending' || row.status === 'unsubscribed') {
      await updateSubscriber(tx, row.id, { ...wanted, updatedAt: now });
      await setComponents(tx, row.id, componentIds);
      row = { ...row, ...wanted };
    }
    if (row.status === 'suppressed') return { queued: false };

    const claimed = claimRequestMail(
      { lastAt: row.requestMailLastAt, windowStart: row.requestMailWindowStart, count: row.requestMailCount },
      now,
    );
    if (!claimed) return { queued: false };

    const { token, hash } = newConfirmToken();
    const expiresAt = new Date(now.getTime() + CONFIRM_TOKEN_TTL_MS);
    await updateSubscriber(tx, row.id, {
      confirmTokenHash: hash,
      confirmExpiresAt: expiresAt,
      confirmUsedAt: null,
      requestMailLastAt: claimed.lastAt,
      requestMailWindowStart: claimed.windowStart,
      requestMailCount: claimed.count,
      updatedAt: now,
    });
    await queueNotice(
      tx,
      { kind: CONFIRM_TEMPLATE, confirmUrl: confirmUrl(site.url, token), expiresAt: expiresAt.toISOString() },
      [{ channel: 'email', target: row.email, subscriberId: row.id, locale: messageLocale(row.locale), idempotencyKey: `${CONFIRM_TEMPLATE}:${row.id}:${hash.slice(0, 32)}` }],
      now,
    );
    return { queued: true };
  });
}

export type ConfirmOutcome =
  | { kind: 'confirmed' | 'already_confirmed'; subscriber: SubscriberRow }
  | { kind: 'expired' | 'used' | 'suppressed'; subscriber: SubscriberRow }
  | { kind: 'unknown' };

/**
 * Spends a double opt-in token. A second click is harmless: it says the subscription is already
 * confirmed (or that the link was used, if they unsubscribed since) and changes nothing.
 */
export async function confirmSubscription(app: AppContext, token: string): Promise<ConfirmOutcome> {
  const now = app.now();
  const hash = hashConfirmToken(token);
  return app.db.transaction(async (tx) => {
    const [row] = await tx.select().from(subscribers).where(eq(subscribers.confirmTokenHash, hash));
    if (!row) return { kind: 'unknown' };
    if (row.confirmUsedAt) return { kind: row.status === 'confirmed' ? 'already_confirmed' : 'used', subscriber: row };
    if (row.status === 'suppressed') return { kind: 'suppressed', subscriber: row };
    if (!row.confirmExpiresAt || row.confirmExpiresAt.getTime() <= now.getTime()) return { kind: 'expired', subscriber: row };
    if (row.status === 'confirmed') {
      await updateSubscriber(tx, row.id, { confirmUsedAt: now, updatedAt: now });
      return { kind: 'already_confirmed', subscriber: row };
    }
    const changes = { status: 'confirmed' as const, confirmedAt: now, consentSource: DOUBLE_OPT_IN, confirmUsedAt: now, unsubscribedAt: null, updatedAt: now };
    await updateSubscriber(tx, row.id, changes);
    return { kind: 'confirmed', subscriber: { ...row, ...changes } };
  });
}

export type ManageOutcome = { kind: 'saved'; subscriber: SubscriberWithComponents } | { kind: 'suppressed' } | { kind: 'unknown' };

/**
 * Changes preferences through a signed manage link. `resubscribe` brings back an unsubscribed
 * subscriber: the link came by mail to that address, and the person pressed the button. Components that are not on
 * the page are refused (an invalid `components` field) before anything is read or written.
 */
export async function updatePreferences(app: AppContext, subscriberId: string, input: ManageInput): Promise<ManageOutcome> {
  await assertKnownComponents(app.db, input.components ?? []);
  const now = app.now();
  return app.db.transaction(async (tx) => {
    const row = await findSubscriber(tx, { id: subscriberId });
    if (!row) return { kind: 'unknown' };
    if (row.status === 'suppressed') return { kind: 'suppressed' };
    const changes: Partial<SubscriberRow> = { updatedAt: now };
    if (input.locale !== undefined) changes.locale = input.locale;
    if (input.timezone !== undefined) changes.timezone = input.timezone;
    if (input.incident_notices !== undefined) changes.incidentNotices = input.incident_notices;
    if (input.min_severity !== undefined) changes.minSeverity = input.min_severity;
    if (input.resubscribe && row.status === 'unsubscribed') {
      Object.assign(changes, { status: 'confirmed', unsubscribedAt: null, confirmedAt: now, consentSource: row.consentSource ?? DOUBLE_OPT_IN });
    }
    await updateSubscriber(tx, row.id, changes);
    if (input.components !== undefined) await setComponents(tx, row.id, input.components);
    const saved = await findSubscriberWithComponents(tx, row.id);
    return saved ? { kind: 'saved', subscriber: saved } : { kind: 'unknown' };
  });
}

export type UnsubscribeOutcome = { kind: 'unsubscribed' | 'already' | 'suppressed'; subscriber: SubscriberRow } | { kind: 'unknown' };

/** Stops all notices to a subscriber. A pending confirmation link stops working too. */
export async function unsubscribe(app: AppContext, subscriberId: string): Promise<UnsubscribeOutcome> {
  const now = app.now();
  return app.db.transaction(async (tx) => {
    const row = await findSubscriber(tx, { id: subscriberId });
    if (!row) return { kind: 'unknown' };
    if (row.status === 'suppressed') return { kind: 'suppressed', subscriber: row };
    if (row.status === 'unsubscribed') return { kind: 'already', subscriber: row };
    const changes = { status: 'unsubscribed' as const, unsubscribedAt: now, confirmTokenHash: null, confirmExpiresAt: null, confirmUsedAt: null, updatedAt: now };
    await updateSubscriber(tx, row.id, changes);
    return { kind: 'unsubscribed', subscriber: { ...row, ...changes } };
  });
}
