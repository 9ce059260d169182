import { createHash, randomBytes } from 'node:crypto';

/** How long a double opt-in link works. */
export const CONFIRM_TOKEN_TTL_MS = 48 * 3_600_000;

/** A fresh double opt-in token (256 random bits); only its hash is stored. */
export function newConfirmToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashConfirmToken(token) };
}

export function hashConfirmToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Shape check before touching the database: 32 bytes in base64url are 43 characters. */
export function looksLikeConfirmToken(token: string | undefined): token is string {
  return typeof token === 'string' && /^[A-Za-z0-9_-]{43}$/.test(token);
}

export function confirmUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/api/subscriptions/confirm?token=${encodeURIComponent(token)}`;
}
