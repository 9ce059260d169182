/**
 * Admin accounts: creating them (with a password, or an e-mailed invitation), signing in with the lock-out,
 * sessions, password links, the TOTP second factor, and API tokens. Routes call these; `store.ts` writes.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Database, DbOrTx } from '../../db/client.ts';
import { ConflictError, notFound, RuleBrokenError } from '../core/errors.ts';
import { isLocale, type AdminLanguage, type AdminRole, type Locale } from '../core/vocabulary.ts';
import { newId } from '../lib/ids.ts';
import { iso } from '../lib/iso.ts';
import { queueNotice } from '../mail/outbox.ts';
import { ADDRESS_FAILURES_BEFORE_LOCK, afterFailure, lockedFor } from './lockout.ts';
import { decoyHash, hashPassword, verifyPassword } from './passwords.ts';
import { BOOTSTRAP_TOKEN_ID, BOOTSTRAP_TOKEN_NAME, type Principal } from './principal.ts';
import { newSecret, secretHash } from './secrets.ts';
import * as store from './store.ts';
import { matchTotp, newTotpSecret, totpUri } from './totp.ts';

/** A session lasts this long after its last request… */
export const SESSION_IDLE_MS = 12 * 3600_000;
/** …and never longer than this after signing in. */
export const SESSION_MAX_MS = 7 * 24 * 3600_000;
/** How often a session's last-seen time (and a token's last use) is written at most. */
const TOUCH_EVERY_MS = 60_000;
export const RESET_LINK_MS = 3600_000;
export const INVITATION_LINK_MS = 7 * 24 * 3600_000;
export const API_TOKEN_PREFIX = 'vga_';

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

/** An account as the admin API shows it (never its hashes or secret). */
export function accountView(row: store.AccountRow) {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    /** The console's language and the mail's, as the admin chose it; null until chosen. */
    language: row.language,
    totp_enabled: row.totpEnabled,
    /** False for an invitation not yet accepted. */
    active: row.passwordHash !== null,
    created_at: iso(row.createdAt),
  };
}
export type AccountView = ReturnType<typeof accountView>;

/** Where the e-mailed links go: the console's password page on the site's address. */
export interface LinkSettings {
  siteUrl: string;
  /** The site's default language: the mail's when the account has chosen none. */
  locale: string;
  timeZone: string;
}

/** The language of mail to an account: its own choice, else the site's default. */
const mailLocale = (language: AdminLanguage | null, links: LinkSettings): Locale => language ?? (isLocale(links.locale) ? links.locale : 'es');
const passwordPageUrl = (settings: LinkSettings, token: string) => `${settings.siteUrl.replace(/\/+$/, '')}/admin/password/?token=${encodeURIComponent(token)}`;

// ── Accounts ────────────────────────────────────────────────────────────────────────────────────────────────────

export interface NewAccount {
  email: string;
  name: string;
  role: AdminRole;
  password?: string;
  /** Its console's language (and its invitation's): the creator's choice, else the creator's own language. */
  language?: AdminLanguage | null;
}

/** Creates an account: with a password it works at once; without one an invitation link is e-mailed, in its language. */
export async function createAccount(db: Database, input: NewAccount, now: Date, links: LinkSettings) {
  const email = normaliseEmail(input.email);
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return db.transaction(async (tx) => {
    if (await store.accountByEmail(tx, email)) throw new ConflictError('account_exists', `an account for ${email} already exists`);
    const id = newId();
    const language = input.language ?? null;
    await store.insertAccount(tx, { id, email, name: input.name, role: input.role, language, passwordHash, createdAt: now, updatedAt: now });
    if (!passwordHash) await sendPasswordLink(tx, { id, email, name: input.name, language }, 'invitation', now, links);
    return accountView((await store.accountById(tx, id))!);
  });
}

export async function listAccounts(db: DbOrTx) {
  return (await store.listAccountRows(db)).map(accountView);
}

/** The display names of the accounts given by id (accounts removed since are left out). */
export const accountNames = (db: DbOrTx, ids: readonly string[]) => store.accountNamesById(db, ids);

/** Changes an account's name or role; the last owner cannot stop being one. */
export async function changeAccount(db: Database, id: string, change: { name?: string; role?: AdminRole }, now: Date) {
  return db.transaction(async (tx) => {
    const before = await store.accountById(tx, id);
    if (!before) throw notFound(`account "${id}"`);
    if (change.role && change.role !== 'owner' && before.role === 'owner') await keepAnOwner(tx, id);
    await store.updateAccountRow(tx, id, change, now);
    return { before: accountView(before), after: accountView((await store.accountById(tx, id))!) };
  });
}

export async function removeAccount(db: Database, id: string) {
  return db.transaction(async (tx) => {
    const before = await store.accountById(tx, id);
    if (!before) throw notFound(`account "${id}"`);
    if (before.role === 'owner') await keepAnOwner(tx, id);
    await store.deleteAccountRow(tx, id);
    return accountView(before);
  });
}

/** An admin's own choice of language for the console and the mail sent to them. */
export async function setAccountLanguage(db: Database, id: string, language: AdminLanguage, now: Date) {
  return db.transaction(async (tx) => {
    const before = await store.accountById(tx, id);
    if (!before) throw notFound(`account "${id}"`);
    await store.updateAccountRow(tx, id, { language }, now);
    return { before: accountView(before), after: accountView((await store.accountById(tx, id))!) };
  });
}

async function keepAnOwner(tx: DbOrTx, leaving: string) {
  const owners = (await store.listAccountRows(tx)).filter((a) => a.role === 'owner' && a.passwordHash !== null && a.id !== leaving);
  if (!owners.length) throw new RuleBrokenError('last_owner', 'this is the last owner who can sign in: make another account owner first');
}

// ── Signing in ──────────────────────────────────────────────────────────────────────────────────────────────────

export type SignInResult =
  | { ok: true; token: string; csrfToken: string; expiresAt: Date; account: AccountView }
  | { ok: false; reason: 'invalid' | 'totp_required' }
  | { ok: false; reason: 'locked'; retryAfterMs: number };

const accountKey = (email: string, address: string) => `account:${email}|${address}`;
const addressKey = (address: string) => `address:${address}`;

/**
 * Checks e-mail, password and (when enabled) the TOTP code. Failures are counted per account and address, and per
 * address; a locked key is refused whatever the password, until its lock ends.
 */
export async function signIn(db: Database, input: { email: string; password: string; totp?: string }, address: string, now: Date): Promise<SignInResult> {
  const email = normaliseEmail(input.email);
  const keys = [accountKey(email, address), addressKey(address)];
  const wait = Math.max(...(await Promise.all(keys.map(async (k) => lockedFor(await store.failureState(db, k), now)))));
  if (wait > 0) return { ok: false, reason: 'locked', retryAfterMs: wait };

  const account = await store.accountByEmail(db, email);
  const passwordOk = await verifyPassword(input.password, account?.passwordHash ?? (await decoyHash()));
  if (!account || !account.passwordHash || !passwordOk) return failed(db, keys, now);

  let totpStep: number | null = null;
  if (account.totpEnabled && account.totpSecret) {
    if (!input.totp) return { ok: false, reason: 'totp_required' };
    totpStep = matchTotp(account.totpSecret, input.totp, now);
    // A code is spent once used: one read over a shoulder cannot be replayed within its 90 seconds.
    if (totpStep === null || (account.totpLastStep !== null && totpStep <= account.totpLastStep)) return failed(db, keys, now);
  }

  return db.transaction(async (tx) => {
    await store.clearFailures(tx, keys[0]!);
    if (totpStep !== null) await store.updateAccountRow(tx, account.id, { totpLastStep: totpStep }, now);
    await store.deleteExpiredSessions(tx, now);
    const token = newSecret();
    const csrfToken = newSecret();
    const expiresAt = new Date(now.getTime() + SESSION_IDLE_MS);
    await store.insertSession(tx, { tokenHash: secretHash(token), accountId: account.id, csrfToken, address, createdAt: now, lastSeenAt: now, expiresAt });
    return { ok: true as const, token, csrfToken, expiresAt, account: accountView(account) };
  });
}

async function failed(db: Database, keys: string[], now: Date): Promise<SignInResult> {
  await db.transaction(async (tx) => {
    for (const key of keys) {
      const threshold = key.startsWith('address:') ? ADDRESS_FAILURES_BEFORE_LOCK : undefined;
      await store.saveFailureState(tx, key, afterFailure(await store.failureState(tx, key), now, threshold));
    }
  });
  return { ok: false, reason: 'invalid' };
}

/** The account behind a session cookie, or null when it is unknown or has expired; a live session is extended. */
export async function principalForSession(db: DbOrTx, token: string, now: Date): Promise<Principal | null> {
  const tokenHash = secretHash(token);
  const found = await store.sessionWithAccount(db, tokenHash, now);
  if (!found) return null;
  const { session, account } = found;
  const cap = session.createdAt.getTime() + SESSION_MAX_MS;
  if (now.getTime() >= cap) {
    await store.deleteSession(db, tokenHash);
    return null;
  }
  if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
    await store.touchSession(db, tokenHash, now, new Date(Math.min(now.getTime() + SESSION_IDLE_MS, cap)));
  }
  return { kind: 'account', id: account.id, name: account.email, role: account.role, session: { csrfToken: session.csrfToken, tokenHash } };
}

export const signOut = (db: DbOrTx, tokenHash: string) => store.deleteSession(db, tokenHash);
export const signOutEverywhere = (db: DbOrTx, accountId: string) => store.deleteSessionsOf(db, accountId);

export async function accountOf(db: DbOrTx, id: string) {
  const row = await store.accountById(db, id);
  return row ? accountView(row) : null;
}

// ── Password links ──────────────────────────────────────────────────────────────────────────────────────────────

type LinkRecipient = Pick<store.AccountRow, 'id' | 'email' | 'name' | 'language'>;

/** A one-time link to set the password, e-mailed in the account's language. */
async function sendPasswordLink(tx: DbOrTx, account: LinkRecipient, purpose: 'reset' | 'invitation', now: Date, links: LinkSettings) {
  const { id: accountId, email, name } = account;
  await store.spendLinksOf(tx, accountId, now);
  const token = newSecret();
  const expiresAt = new Date(now.getTime() + (purpose === 'reset' ? RESET_LINK_MS : INVITATION_LINK_MS));
  await store.insertPasswordLink(tx, { tokenHash: secretHash(token), accountId, purpose, createdAt: now, expiresAt });
  await queueNotice(
    tx,
    { kind: 'account.password_link', purpose, name, url: passwordPageUrl(links, token), expiresAt: expiresAt.toISOString() },
    [{ channel: 'email', target: email, locale: mailLocale(account.language, links), timeZone: links.timeZone, idempotencyKey: `account.password_link:${secretHash(token)}` }],
    now,
  );
}

/** E-mails a reset link when the address has an account; says nothing either way, so addresses cannot be probed. */
export async function requestPasswordReset(db: Database, email: string, now: Date, links: LinkSettings) {
  await db.transaction(async (tx) => {
    const account = await store.accountByEmail(tx, normaliseEmail(email));
    if (account) await sendPasswordLink(tx, account, 'reset', now, links);
  });
}

/** Sets the password an e-mailed link allows (once, before it expires) and ends the account's sessions. */
export async function usePasswordLink(db: Database, token: string, password: string, now: Date) {
  const tokenHash = secretHash(token);
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const link = await store.passwordLinkByHash(tx, tokenHash);
    if (!link) throw new RuleBrokenError('link_invalid', 'this link is not valid: ask for a new one');
    if (link.usedAt) throw new RuleBrokenError('link_used', 'this link was used already: ask for a new one');
    if (link.expiresAt.getTime() <= now.getTime()) throw new RuleBrokenError('link_expired', 'this link has expired: ask for a new one');
    if (!(await store.spendPasswordLink(tx, tokenHash, now))) throw new RuleBrokenError('link_used', 'this link was used already: ask for a new one');
    await store.updateAccountRow(tx, link.accountId, { passwordHash }, now);
    await store.deleteSessionsOf(tx, link.accountId);
    return accountView((await store.accountById(tx, link.accountId))!);
  });
}

/** A signed-in admin's new password, given the current one; other sessions end. */
export async function changePassword(db: Database, accountId: string, current: string, next: string, keepSession: string, now: Date) {
  const account = await store.accountById(db, accountId);
  if (!account?.passwordHash || !(await verifyPassword(current, account.passwordHash))) {
    throw new RuleBrokenError('wrong_password', 'the current password is not right');
  }
  const passwordHash = await hashPassword(next);
  await db.transaction(async (tx) => {
    await store.updateAccountRow(tx, accountId, { passwordHash }, now);
    // The session that asked stays: it just proved the password.
    await store.deleteOtherSessionsOf(tx, accountId, keepSession);
  });
}

// ── TOTP ────────────────────────────────────────────────────────────────────────────────────────────────────────

/** A new secret for the account's authenticator; it takes effect once a code made with it is confirmed. */
export async function startTotp(db: DbOrTx, accountId: string, issuer: string, now: Date) {
  const account = await store.accountById(db, accountId);
  if (!account) throw notFound(`account "${accountId}"`);
  if (account.totpEnabled) throw new ConflictError('totp_enabled', 'two-step sign-in is already on: turn it off first to use another authenticator');
  const secret = newTotpSecret();
  await store.updateAccountRow(db, accountId, { totpSecret: secret, totpLastStep: null }, now);
  return { secret, uri: totpUri(secret, account.email, issuer) };
}

export async function confirmTotp(db: DbOrTx, accountId: string, code: string, now: Date) {
  const account = await store.accountById(db, accountId);
  if (!account?.totpSecret) throw new RuleBrokenError('totp_not_started', 'start two-step sign-in first');
  const step = matchTotp(account.totpSecret, code, now);
  if (step === null) throw new RuleBrokenError('totp_wrong', 'the code does not match: check the phone’s clock and try the next code');
  await store.updateAccountRow(db, accountId, { totpEnabled: true, totpLastStep: step }, now);
}

export async function disableTotp(db: DbOrTx, accountId: string, password: string, now: Date) {
  const account = await store.accountById(db, accountId);
  if (!account?.passwordHash || !(await verifyPassword(password, account.passwordHash))) {
    throw new RuleBrokenError('wrong_password', 'the password is not right');
  }
  await store.updateAccountRow(db, accountId, { totpEnabled: false, totpSecret: null, totpLastStep: null }, now);
}

// ── API tokens ──────────────────────────────────────────────────────────────────────────────────────────────────

export function tokenView(row: store.TokenRow) {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    created_by: row.createdBy,
    created_at: iso(row.createdAt),
    last_used_at: iso(row.lastUsedAt),
    revoked_at: iso(row.revokedAt),
  };
}

/** A named token: the secret is returned here once and only its hash is kept. */
export async function createApiToken(db: DbOrTx, input: { name: string; role: AdminRole }, createdBy: string, now: Date) {
  const id = newId();
  const token = newSecret(API_TOKEN_PREFIX);
  await store.insertToken(db, { id, name: input.name, role: input.role, tokenHash: secretHash(token), createdBy, createdAt: now });
  return { id, token, view: tokenView((await store.tokenById(db, id))!) };
}

export async function listApiTokens(db: DbOrTx) {
  return (await store.listTokenRows(db)).map(tokenView);
}

export async function revokeApiToken(db: DbOrTx, id: string, now: Date) {
  const before = await store.tokenById(db, id);
  if (!before) throw notFound(`token "${id}"`);
  if (before.revokedAt) throw new ConflictError('token_revoked', 'this token was revoked already');
  await store.revokeTokenRow(db, id, now);
  return { before: tokenView(before), after: tokenView((await store.tokenById(db, id))!) };
}

const sha256 = (value: string) => createHash('sha256').update(value).digest();

/**
 * Who a bearer token is: `ADMIN_TOKEN` (always an owner), or a named token not revoked; null when it is neither.
 * `ADMIN_TOKEN` is compared in constant time; a named token is found by its hash.
 */
export async function principalForBearer(db: DbOrTx, bearer: string, adminToken: string | undefined, now: Date): Promise<Principal | null> {
  if (adminToken && timingSafeEqual(sha256(bearer), sha256(adminToken))) {
    return { kind: 'token', id: BOOTSTRAP_TOKEN_ID, name: BOOTSTRAP_TOKEN_NAME, role: 'owner' };
  }
  if (!bearer.startsWith(API_TOKEN_PREFIX)) return null;
  const row = await store.activeTokenByHash(db, secretHash(bearer));
  if (!row) return null;
  await store.markTokenUsed(db, row.id, now, TOUCH_EVERY_MS);
  return { kind: 'token', id: row.id, name: row.name, role: row.role };
}

/**
 * A first owner for a trial run (no `ADMIN_TOKEN` configured, no account yet): made with a generated password the
 * start-up prints, so the console can be signed in to at once. Null when an account exists.
 */
export async function ensureTrialOwner(db: Database, email: string, now: Date): Promise<{ email: string; password: string } | null> {
  if (await hasAccounts(db)) return null;
  const password = newSecret().slice(0, 20);
  await createAccount(db, { email, name: 'Admin', role: 'owner', password }, now, { siteUrl: '', locale: 'es', timeZone: 'UTC' });
  return { email, password };
}

export const hasAccounts = async (db: DbOrTx) => (await store.countAccounts(db)) > 0;
