/**
 * The audit log's actions in the admin's words. The log records each change as its request (`POST
 * /api/admin/incidents/abc/updates`); the console names it as what it did ("Posted an incident update"), and shows a
 * request it does not know as it was recorded. Pure apart from reading the chosen language.
 */
import type { AdminWords } from './admin-dictionary/es.ts';
import { adminWords } from './admin-lang.ts';

export type AuditActionKey = keyof AdminWords['auditActions'];

const ID = '[^/]+';
/** Each change the admin API makes (see `worker/routes/admin/`), by method and path under `/api/admin`. */
const ACTIONS: readonly [string, RegExp, AuditActionKey][] = [
  ['POST', /^\/session$/, 'session.sign_in'],
  ['DELETE', /^\/session$/, 'session.sign_out'],
  ['PATCH', /^\/me$/, 'me.update'],
  ['POST', /^\/me\/password$/, 'me.password'],
  ['POST', /^\/me\/totp$/, 'me.totp_start'],
  ['POST', /^\/me\/totp\/confirm$/, 'me.totp_confirm'],
  ['DELETE', /^\/me\/totp$/, 'me.totp_off'],
  ['POST', /^\/password$/, 'password.link'],
  ['POST', /^\/password-reset$/, 'password.reset'],
  ['POST', /^\/accounts$/, 'account.create'],
  ['PATCH', new RegExp(`^/accounts/${ID}$`), 'account.update'],
  ['DELETE', new RegExp(`^/accounts/${ID}$`), 'account.delete'],
  ['POST', /^\/tokens$/, 'token.create'],
  ['DELETE', new RegExp(`^/tokens/${ID}$`), 'token.revoke'],
  ['POST', /^\/incidents$/, 'incident.create'],
  ['POST', new RegExp(`^/incidents/${ID}/updates$`), 'incident.update'],
  ['POST', /^\/maintenances\/series$/, 'series.create'],
  ['DELETE', new RegExp(`^/maintenances/series/${ID}$`), 'series.stop'],
  ['POST', /^\/maintenances$/, 'maintenance.create'],
  ['PATCH', new RegExp(`^/maintenances/${ID}$`), 'maintenance.update'],
  ['POST', new RegExp(`^/maintenances/${ID}/start$`), 'maintenance.start'],
  ['POST', new RegExp(`^/maintenances/${ID}/complete$`), 'maintenance.complete'],
  ['POST', new RegExp(`^/maintenances/${ID}/cancel$`), 'maintenance.cancel'],
  ['POST', /^\/subscribers\/import$/, 'subscriber.import'],
  ['DELETE', new RegExp(`^/subscribers/${ID}$`), 'subscriber.delete'],
  ['DELETE', new RegExp(`^/subscribers/channels/${ID}$`), 'channel.delete'],
  ['POST', /^\/outbox\/resume$/, 'outbox.resume'],
  ['POST', /^\/sources\/detect$/, 'source.detect'],
  ['POST', /^\/sources$/, 'source.create'],
  ['PATCH', new RegExp(`^/sources/${ID}$`), 'source.update'],
  ['PUT', new RegExp(`^/sources/${ID}/upstream-components$`), 'source.components'],
  ['POST', new RegExp(`^/sources/${ID}/pause$`), 'source.pause'],
  ['POST', new RegExp(`^/sources/${ID}/resume$`), 'source.resume'],
  ['POST', new RegExp(`^/sources/${ID}/poll$`), 'source.poll'],
  ['DELETE', new RegExp(`^/sources/${ID}$`), 'source.delete'],
];

/** `POST /api/admin/incidents/abc/updates` → `incident.update`; null for a request not in the list. */
export function auditActionKey(action: string): AuditActionKey | null {
  const request = /^([A-Z]+) \/api\/admin(\/.*?)\/?$/.exec(action);
  if (!request) return null;
  const [, method, path] = request;
  return ACTIONS.find(([m, pattern]) => m === method && pattern.test(path!))?.[2] ?? null;
}

/** The action as the admin reads it, or the request as recorded when the console has no words for it. */
export function auditActionWords(action: string, words: AdminWords = adminWords()): string {
  const key = auditActionKey(action);
  return key ? words.auditActions[key] : action;
}
