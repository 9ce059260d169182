import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';
import { ADMIN_LANGUAGES, ADMIN_ROLES } from '../../worker/core/vocabulary.ts';
import { instant } from './_columns.ts';

/** A person who runs the page: signs in to the console with e-mail and password (and a TOTP code when enabled). */
export const adminAccounts = sqliteTable('admin_accounts', {
  id: text('id').primaryKey(),
  /** Normalised (trimmed, lower-case) address. */
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  /** `ADMIN_ROLES`: owner | editor | viewer. */
  role: text('role', { enum: ADMIN_ROLES }).notNull(),
  /** `scrypt$N$r$p$salt$hash`; null until an invited account sets its password. */
  passwordHash: text('password_hash'),
  /** `ADMIN_LANGUAGES`: the console's language and the mail's; null until chosen (the site's default language then). */
  language: text('language', { enum: ADMIN_LANGUAGES }),
  /** Base32 TOTP secret; `totp_enabled` once a code made with it was checked. */
  totpSecret: text('totp_secret'),
  totpEnabled: integer('totp_enabled', { mode: 'boolean' }).notNull().default(false),
  /** The last 30-second step whose code was accepted, so a code works once. */
  totpLastStep: integer('totp_last_step'),
  createdAt: instant('created_at').notNull(),
  updatedAt: instant('updated_at').notNull(),
});

/** A signed-in browser: the cookie holds the token, the row its sha256 and the CSRF token bound to it. */
export const adminSessions = sqliteTable(
  'admin_sessions',
  {
    /** sha256 (hex) of the cookie's token. */
    tokenHash: text('token_hash').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => adminAccounts.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    address: text('address'),
    createdAt: instant('created_at').notNull(),
    lastSeenAt: instant('last_seen_at').notNull(),
    expiresAt: instant('expires_at').notNull(),
  },
  (t) => [index('admin_sessions_account_idx').on(t.accountId)],
);

/** A named API token for scripts and CI: shown once, kept as its sha256. */
export const adminTokens = sqliteTable('admin_tokens', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  role: text('role', { enum: ADMIN_ROLES }).notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  /** Who created it, as the audit log names actors. */
  createdBy: text('created_by').notNull(),
  createdAt: instant('created_at').notNull(),
  lastUsedAt: instant('last_used_at'),
  revokedAt: instant('revoked_at'),
});

/** One-time links e-mailed to set a password: a reset, or an invitation to a new account. */
export const adminPasswordLinks = sqliteTable('admin_password_links', {
  /** sha256 (hex) of the token in the link. */
  tokenHash: text('token_hash').primaryKey(),
  accountId: text('account_id')
    .notNull()
    .references(() => adminAccounts.id, { onDelete: 'cascade' }),
  purpose: text('purpose', { enum: ['reset', 'invitation'] }).notNull(),
  createdAt: instant('created_at').notNull(),
  expiresAt: instant('expires_at').notNull(),
  usedAt: instant('used_at'),
});

/** Failed sign-ins per key (an account and address pair, or an address alone), for the growing lock-out. */
export const adminSignInFailures = sqliteTable('admin_sign_in_failures', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull(),
  /** Lock-outs so far in this run of failures: each doubles the next one's length. */
  lockouts: integer('lockouts').notNull().default(0),
  lockedUntil: instant('locked_until'),
  lastFailureAt: instant('last_failure_at').notNull(),
});
