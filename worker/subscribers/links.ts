import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { workerState } from '../../db/schema/index.ts';

/** worker_state key holding this installation's link-signing secret. */
export const SIGNING_SECRET_KEY = 'secret.link_signing';

/** What a signed subscriber link lets its holder do. */
/** `channel_manage`: pause, resume or remove a webhook or chat subscription. */
export type LinkPurpose = 'manage' | 'unsubscribe' | 'channel_manage';
const PURPOSES: readonly LinkPurpose[] = ['manage', 'unsubscribe', 'channel_manage'];

/** 128 bits of HMAC-SHA256: unguessable, and short enough for plain-text mail. */
const SIGNATURE_BYTES = 16;

const cachedSecrets = new WeakMap<object, string>();

/**
 * This installation's secret for signing subscriber links, created on first use.
 * Insert-or-ignore then read, so two processes starting together agree on one secret.
 */
export async function loadSigningSecret(db: DbOrTx): Promise<string> {
  const cached = cachedSecrets.get(db);
  if (cached) return cached;
  await db
    .insert(workerState)
    .values({ key: SIGNING_SECRET_KEY, value: randomBytes(32).toString('base64url'), updatedAt: new Date() })
    .onConflictDoNothing({ target: workerState.key });
  const [row] = await db.select({ value: workerState.value }).from(workerState).where(eq(workerState.key, SIGNING_SECRET_KEY));
  if (!row) throw new Error(`worker_state has no "${SIGNING_SECRET_KEY}" right after inserting it`);
  cachedSecrets.set(db, row.value);
  return row.value;
}

function signature(secret: string, purpose: LinkPurpose, subscriberId: string): Buffer {
  return createHmac('sha256', secret).update(`${purpose}.${subscriberId}`).digest().subarray(0, SIGNATURE_BYTES);
}

/** `<purpose>.<subscriber id>.<signature>`: needs no storage, and cannot be forged or re-aimed at another purpose. */
export function signSubscriberToken(secret: string, purpose: LinkPurpose, subscriberId: string): string {
  return `${purpose}.${subscriberId}.${signature(secret, purpose, subscriberId).toString('base64url')}`;
}

/** The subscriber a token names, or null when it is malformed, tampered with, or signed for another purpose. */
export function verifySubscriberToken(secret: string, expected: LinkPurpose, token: string | null | undefined): string | null {
  if (!token || token.length > 200) return null;
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [purpose, subscriberId, given] = parts as [string, string, string];
  if (purpose !== expected || !PURPOSES.includes(purpose) || !/^[0-9a-z]{1,64}$/.test(subscriberId)) return null;
  // Compare the text, not decoded bytes: base64 decoders ignore the spare bits of the last
  // character, so other spellings of the same bytes must not pass.
  const actual = Buffer.from(given, 'utf8');
  const wanted = Buffer.from(signature(secret, expected, subscriberId).toString('base64url'), 'utf8');
  if (actual.length !== wanted.length || !timingSafeEqual(actual, wanted)) return null;
  return subscriberId;
}

export interface SubscriberLinks {
  /** Page to change components, language, time zone and incident notices. */
  manageUrl: string;
  /** Page that asks before unsubscribing (a GET never unsubscribes: mail scanners follow links). */
  unsubscribeUrl: string;
  /** RFC 8058 target for `List-Unsubscribe`: a POST with `List-Unsubscribe=One-Click` unsubscribes. */
  oneClickUrl: string;
}

/** Signed links for every mail to a subscriber; `publicUrl` is the site's public address (may carry a path). */
export function subscriberLinks(secret: string, publicUrl: string, subscriberId: string): SubscriberLinks {
  const base = publicUrl.replace(/\/+$/, '');
  const manage = encodeURIComponent(signSubscriberToken(secret, 'manage', subscriberId));
  const unsubscribe = encodeURIComponent(signSubscriberToken(secret, 'unsubscribe', subscriberId));
  return {
    manageUrl: `${base}/api/subscriptions/manage?token=${manage}`,
    unsubscribeUrl: `${base}/api/subscriptions/unsubscribe?token=${unsubscribe}`,
    // The same address: GET shows the confirmation page, POST (one-click or the page's button) unsubscribes.
    oneClickUrl: `${base}/api/subscriptions/unsubscribe?token=${unsubscribe}`,
  };
}
