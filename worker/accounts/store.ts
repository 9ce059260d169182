/**
 * The accounts' tables, written here alone: accounts, sessions, API tokens, password links and sign-in failures.
 * `service.ts` decides; these functions read and write rows.
 */
import { and, desc, eq, gt, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { adminAccounts, adminPasswordLinks, adminSessions, adminSignInFailures, adminTokens } from '../../db/schema/index.ts';
import type { AdminRole } from '../core/vocabulary.ts';
import type { FailureState } from './lockout.ts';

export type AccountRow = typeof adminAccounts.$inferSelect;
export type TokenRow = typeof adminTokens.$inferSelect;
export type SessionRow = typeof adminSessions.$inferSelect;

export const accountById = async (db: DbOrTx, id: string) => (await db.select().from(adminAccounts).where(eq(adminAccounts.id, id)))[0] ?? null;
export const accountByEmail = async (db: DbOrTx, email: string) => (await db.select().from(adminAccounts).where(eq(adminAccounts.email, email)))[0] ?? null;
export const listAccountRows = (db: DbOrTx) => db.select().from(adminAccounts).orderBy(adminAccounts.email);
/** Each account's display name by its id, for the ids given (the audit log names actors by e-mail). */
export async function accountNamesById(db: DbOrTx, ids: readonly string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db.select({ id: adminAccounts.id, name: adminAccounts.name }).from(adminAccounts).where(inArray(adminAccounts.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r.name]));
}
export const countAccounts = async (db: DbOrTx) => (await db.select({ n: sql<number>`count(*)` }).from(adminAccounts))[0]!.n;

export async function insertAccount(db: DbOrTx, row: typeof adminAccounts.$inferInsert) {
  await db.insert(adminAccounts).values(row);
}

export async function updateAccountRow(db: DbOrTx, id: string, set: Partial<Pick<AccountRow, 'name' | 'role' | 'language' | 'passwordHash' | 'totpSecret' | 'totpEnabled' | 'totpLastStep'>>, now: Date) {
  await db.update(adminAccounts).set({ ...set, updatedAt: now }).where(eq(adminAccounts.id, id));
}

export async function deleteAccountRow(db: DbOrTx, id: string) {
  await db.delete(adminAccounts).where(eq(adminAccounts.id, id));
}

// ── Sessions ────────────────────────────────────────────────────────────────────────────────────────────────────

export async function insertSession(db: DbOrTx, row: typeof adminSessions.$inferInsert) {
  await db.insert(adminSessions).values(row);
}

export async function sessionWithAccount(db: DbOrTx, tokenHash: string, now: Date) {
  const rows = await db
    .select({ session: adminSessions, account: adminAccounts })
    .from(adminSessions)
    .innerJoin(adminAccounts, eq(adminAccounts.id, adminSessions.accountId))
    .where(and(eq(adminSessions.tokenHash, tokenHash), gt(adminSessions.expiresAt, now)));
  return rows[0] ?? null;
}

export async function touchSession(db: DbOrTx, tokenHash: string, now: Date, expiresAt: Date) {
  await db.update(adminSessions).set({ lastSeenAt: now, expiresAt }).where(eq(adminSessions.tokenHash, tokenHash));
}

export async function deleteSession(db: DbOrTx, tokenHash: string) {
  await db.delete(adminSessions).where(eq(adminSessions.tokenHash, tokenHash));
}

/** Every session of an account (sign-out everywhere, a new password); returns how many. */
export async function deleteSessionsOf(db: DbOrTx, accountId: string): Promise<number> {
  return (await db.delete(adminSessions).where(eq(adminSessions.accountId, accountId))).rowsAffected;
}

/** Every session of an account but one (a password changed from that one). */
export async function deleteOtherSessionsOf(db: DbOrTx, accountId: string, keep: string) {
  await db.delete(adminSessions).where(and(eq(adminSessions.accountId, accountId), ne(adminSessions.tokenHash, keep)));
}

export async function deleteExpiredSessions(db: DbOrTx, now: Date) {
  await db.delete(adminSessions).where(lt(adminSessions.expiresAt, now));
}

// ── API tokens ──────────────────────────────────────────────────────────────────────────────────────────────────

export async function insertToken(db: DbOrTx, row: typeof adminTokens.$inferInsert) {
  await db.insert(adminTokens).values(row);
}

export const listTokenRows = (db: DbOrTx) => db.select().from(adminTokens).orderBy(desc(adminTokens.createdAt));
export const tokenById = async (db: DbOrTx, id: string) => (await db.select().from(adminTokens).where(eq(adminTokens.id, id)))[0] ?? null;

export const activeTokenByHash = async (db: DbOrTx, tokenHash: string) =>
  (await db.select().from(adminTokens).where(and(eq(adminTokens.tokenHash, tokenHash), isNull(adminTokens.revokedAt))))[0] ?? null;

/** Marks a token used, at most once per `every` ms, so a busy script does not write on each request. */
export async function markTokenUsed(db: DbOrTx, id: string, now: Date, everyMs: number) {
  await db
    .update(adminTokens)
    .set({ lastUsedAt: now })
    .where(and(eq(adminTokens.id, id), or(isNull(adminTokens.lastUsedAt), lt(adminTokens.lastUsedAt, new Date(now.getTime() - everyMs)))));
}

export async function revokeTokenRow(db: DbOrTx, id: string, now: Date) {
  return (await db.update(adminTokens).set({ revokedAt: now }).where(and(eq(adminTokens.id, id), isNull(adminTokens.revokedAt)))).rowsAffected;
}

// ── Password links ──────────────────────────────────────────────────────────────────────────────────────────────

export async function insertPasswordLink(db: DbOrTx, row: typeof adminPasswordLinks.$inferInsert) {
  await db.insert(adminPasswordLinks).values(row);
}

export const passwordLinkByHash = async (db: DbOrTx, tokenHash: string) =>
  (await db.select().from(adminPasswordLinks).where(eq(adminPasswordLinks.tokenHash, tokenHash)))[0] ?? null;

/** Spends a link; false when it was spent already (two clicks racing). */
export async function spendPasswordLink(db: DbOrTx, tokenHash: string, now: Date): Promise<boolean> {
  const result = await db.update(adminPasswordLinks).set({ usedAt: now }).where(and(eq(adminPasswordLinks.tokenHash, tokenHash), isNull(adminPasswordLinks.usedAt)));
  return result.rowsAffected === 1;
}

/** A new link makes the account's older unspent ones useless. */
export async function spendLinksOf(db: DbOrTx, accountId: string, now: Date) {
  await db.update(adminPasswordLinks).set({ usedAt: now }).where(and(eq(adminPasswordLinks.accountId, accountId), isNull(adminPasswordLinks.usedAt)));
}

// ── Sign-in failures ────────────────────────────────────────────────────────────────────────────────────────────

export async function failureState(db: DbOrTx, key: string): Promise<FailureState | null> {
  const row = (await db.select().from(adminSignInFailures).where(eq(adminSignInFailures.key, key)))[0];
  return row ? { failures: row.failures, lockouts: row.lockouts, lockedUntil: row.lockedUntil, lastFailureAt: row.lastFailureAt } : null;
}

export async function saveFailureState(db: DbOrTx, key: string, state: FailureState) {
  await db
    .insert(adminSignInFailures)
    .values({ key, ...state })
    .onConflictDoUpdate({ target: adminSignInFailures.key, set: { failures: state.failures, lockouts: state.lockouts, lockedUntil: state.lockedUntil, lastFailureAt: state.lastFailureAt } });
}

export async function clearFailures(db: DbOrTx, key: string) {
  await db.delete(adminSignInFailures).where(eq(adminSignInFailures.key, key));
}

export type { AdminRole };
