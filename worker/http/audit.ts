/**
 * The audit log's one entry point: a middleware on the admin API that records every change that succeeded — who
 * (the account or token), what (the request and the thing it changed), when, from which address, and the fields
 * before and after. It reads the thing before and after the route through `worker/audit/snapshots.ts`; a route
 * that knows better (accounts, tokens, sign-in) says so with `auditChange`.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { Principal } from '../accounts/principal.ts';
import { fieldChanges, type FieldChanges } from '../audit/diff.ts';
import { SNAPSHOTS } from '../audit/snapshots.ts';
import { recordAudit } from '../audit/store.ts';
import type { AppContext } from '../context.ts';
import { addressSet } from '../lib/address-set.ts';
import { clientAddressOf } from '../subscribers/client-ip.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const NOTE = 'auditNote';
/**
 * POSTs that change nothing (an e-mail preview renders what would be sent; detecting a provider's format reads its
 * page): not changes, so not in the log.
 */
const READS_WITH_A_BODY = /^\/api\/admin\/(previews\/|sources\/detect$)/;

export interface AuditNote {
  /** Who, when the request had no principal before the route ran (signing in, a password link). */
  actor?: Pick<Principal, 'kind' | 'id' | 'name'>;
  entity?: string;
  entityId?: string;
  changes?: FieldChanges;
  before?: unknown;
  after?: unknown;
}

/** What a route tells the audit log about its change, when the generic reading cannot know it. */
export function auditChange(c: Context, note: AuditNote) {
  c.set(NOTE as never, note as never);
}

/** `/api/admin/incidents/abc/updates` → `incidents`, `abc`. */
function targetOf(path: string): { collection: string; id: string | null } | null {
  const parts = path.replace(/^\/api\/admin\/?/, '').split('/').filter(Boolean);
  if (!parts.length) return null;
  // A recurring window is a collection of its own under the maintenances' path, and so is a webhook or chat
  // subscription under the subscribers'.
  if (parts[0] === 'maintenances' && parts[1] === 'series') return { collection: 'maintenance_series', id: parts[2] ? decodeURIComponent(parts[2]) : null };
  if (parts[0] === 'subscribers' && parts[1] === 'channels') return { collection: 'channel_subscriptions', id: parts[2] ? decodeURIComponent(parts[2]) : null };
  // `/me/…` and `/session` name no id in the path (the route says whose); nor do a collection's own actions.
  const named = parts[1] && !['me', 'session'].includes(parts[0]!) && !['import', 'detect', 'resume'].includes(parts[1]);
  const id = named ? decodeURIComponent(parts[1]!) : null;
  return { collection: parts[0]!, id };
}

/** The id of what a create answered with: `{ incident: { id } }`. */
async function createdId(response: Response): Promise<string | null> {
  if (!(response.headers.get('content-type') ?? '').includes('application/json')) return null;
  try {
    const body = (await response.clone().json()) as Record<string, unknown>;
    for (const value of Object.values(body)) {
      if (value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string') return (value as { id: string }).id;
    }
  } catch {
    // An answer that is not JSON names nothing.
  }
  return null;
}

export function auditTrail(app: AppContext): MiddlewareHandler {
  const trusted = addressSet(app.env.TRUSTED_PROXIES);
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method) || READS_WITH_A_BODY.test(c.req.path)) return next();
    const target = targetOf(c.req.path);
    const reader = target ? SNAPSHOTS[target.collection]?.read : undefined;
    const before = reader && target?.id ? await reader(app.db, target.id) : null;
    await next();
    if (c.res.status >= 400) return;
    const note = (c.get(NOTE as never) as AuditNote | undefined) ?? {};
    const principal = (c.get('principal' as never) as Principal | null | undefined) ?? null;
    const actor = note.actor ?? principal;
    if (!actor) return;
    try {
      const entityId = note.entityId ?? target?.id ?? (await createdId(c.res));
      let changes = note.changes ?? null;
      if (!changes && (note.before !== undefined || note.after !== undefined)) changes = fieldChanges(note.before ?? null, note.after ?? null);
      if (!changes && reader && entityId) changes = fieldChanges(before, c.req.method === 'DELETE' ? null : await reader(app.db, entityId));
      await recordAudit(app.db, {
        at: app.now(),
        actor: { kind: actor.kind, id: actor.id, name: actor.name },
        action: `${c.req.method} ${c.req.path}`.slice(0, 300),
        entity: note.entity ?? (target ? (SNAPSHOTS[target.collection]?.entity ?? target.collection) : 'admin'),
        entityId,
        address: clientAddressOf(c, trusted),
        status: c.res.status,
        changes,
      });
    } catch (error) {
      // The change is made; a log that cannot be written is an error to look at, not a reason to answer 500.
      app.logger.error({ err: error, path: c.req.path }, 'audit entry not written');
    }
  };
}
