import type { AdminRole } from '../core/vocabulary.ts';

/** Who is making an admin request: a signed-in account (by its session cookie) or an API token. */
export interface Principal {
  kind: 'account' | 'token';
  id: string;
  /** As the audit log names the actor: the account's e-mail, or the token's name. */
  name: string;
  role: AdminRole;
  /** For a session: the CSRF token bound to it, and the session's key (its token's hash). */
  session?: { csrfToken: string; tokenHash: string };
}

/** The owner token `ADMIN_TOKEN` is, as an actor. */
export const BOOTSTRAP_TOKEN_ID = 'admin-token';
export const BOOTSTRAP_TOKEN_NAME = 'ADMIN_TOKEN';
