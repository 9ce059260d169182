/** What the console's sign-in, account, token and audit screens say about the API's refusals, in the admin's language. */
import { adminWords } from './admin-lang.ts';
import { fill, type ApiErrorBody } from './admin-words.ts';

/** Minutes to wait, from a `Retry-After` in seconds. */
const minutes = (seconds: number) => Math.max(1, Math.ceil(seconds / 60));

export function signInError(error: ApiErrorBody, retryAfterSeconds: number): string {
  const a = adminWords().account;
  switch (error.code) {
    case 'invalid_credentials':
    case 'totp_required':
      return a[error.code];
    case 'signin_locked':
      return fill(a.signin_locked, { n: minutes(retryAfterSeconds) });
    case 'rate_limited':
      return fill(a.signin_rate_limited, { n: minutes(retryAfterSeconds) });
    default:
      return accountError(error);
  }
}

export function accountError(error: ApiErrorBody): string {
  const a = adminWords().account;
  switch (error.code) {
    case 'link_used':
    case 'link_expired':
    case 'link_invalid':
    case 'account_exists':
    case 'last_owner':
    case 'wrong_password':
    case 'totp_wrong':
    case 'totp_enabled':
    case 'token_revoked':
    case 'forbidden':
    case 'csrf_failed':
      return a[error.code];
    case 'invalid_request':
      return /password/.test(error.message) ? a.short_password : /email/.test(error.message) ? a.bad_email : a.check_fields;
    default:
      return fill(a.other, { code: error.code });
  }
}

/** The audit log's entity names. */
export const entityWord = (entity: string): string => adminWords().entities[entity] ?? entity;
