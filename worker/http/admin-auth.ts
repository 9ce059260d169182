/**
 * Who may call the admin API. Every admin route declares the role it needs next to itself (`needs('editor')`);
 * `adminAuth` finds that declaration among the routes the request matched and, before the route runs, knows the
 * caller (a session cookie or a bearer token), refuses a state-changing cookie request without its CSRF token, and
 * refuses a role below the declared one. A route that declares nothing needs an owner, so a forgotten declaration
 * fails closed.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { matchedRoutes } from 'hono/route';
import type { Principal } from '../accounts/principal.ts';
import { principalForBearer, principalForSession } from '../accounts/service.ts';
import type { AppContext } from '../context.ts';
import { roleAllows, type AdminRole } from '../core/vocabulary.ts';
import { addressSet, type AddressSet } from '../lib/address-set.ts';
import { reachedOverHttps } from '../subscribers/client-ip.ts';
import { ApiError } from './errors.ts';

export const SESSION_COOKIE = 'vigia_admin';
/** The header the console sends the session's CSRF token in (it reads the token from sign-in or `GET /me`). */
export const CSRF_HEADER = 'x-csrf-token';
/** The cookie is sent to the admin API only. */
const COOKIE_PATH = '/api/admin';

/** What a route may need: a role, or nobody at all (signing in, asking for a password link). */
export type Requirement = AdminRole | 'anyone';
type Declaration = MiddlewareHandler & { requiredRole: Requirement };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The role a route needs, declared beside it: `routes.post('/', needs('editor'), handler)`. The check itself is made
 * by `adminAuth` before any handler runs; this one repeats it, so a route mounted without `adminAuth` still refuses.
 */
export function needs(role: Requirement): Declaration {
  const handler: MiddlewareHandler = async (c, next) => {
    if (role !== 'anyone') allow(c.get('principal' as never) as Principal | null | undefined, role);
    await next();
  };
  return Object.assign(handler, { requiredRole: role });
}

/** The role a request's route declared: the declaration among the handlers it matched; owner when none. */
export function declaredRole(c: Context): Requirement {
  for (const route of matchedRoutes(c)) {
    const role = (route.handler as Partial<Declaration>).requiredRole;
    if (role) return role;
  }
  return 'owner';
}

function allow(principal: Principal | null | undefined, role: AdminRole): asserts principal is Principal {
  if (!principal) throw new ApiError(401, 'unauthorized', 'sign in, or send an API token as "Authorization: Bearer <token>"');
  if (!roleAllows(principal.role, role)) {
    throw new ApiError(403, 'forbidden', `this needs the ${role} role; ${principal.name} is ${principal.role === 'owner' ? 'an' : 'a'} ${principal.role}`);
  }
}

/** The caller the admin API knows for this request (set by `adminAuth`). */
export function principalOf(c: Context): Principal {
  const principal = c.get('principal' as never) as Principal | null | undefined;
  if (!principal) throw new ApiError(401, 'unauthorized', 'sign in, or send an API token as "Authorization: Bearer <token>"');
  return principal;
}

export function adminAuth(app: AppContext): MiddlewareHandler {
  const trusted = addressSet(app.env.TRUSTED_PROXIES);
  return async (c, next) => {
    const role = declaredRole(c);
    const principal = await identify(c, app, role);
    c.set('principal' as never, principal as never);
    if (role !== 'anyone') {
      allow(principal, role);
      if (principal.session && !SAFE_METHODS.has(c.req.method)) checkCsrf(c, principal.session.csrfToken);
    }
    c.set('trustedProxies' as never, trusted as never);
    await next();
  };
}

/** A bearer token when one is sent (a wrong one is refused outright); else the session cookie, when the route needs a role. */
async function identify(c: Context, app: AppContext, role: Requirement): Promise<Principal | null> {
  const header = c.req.header('authorization');
  if (header !== undefined) {
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (!match) throw new ApiError(401, 'unauthorized', 'send the token as "Authorization: Bearer <token>"');
    const principal = await principalForBearer(app.db, match[1]!.trim(), app.env.ADMIN_TOKEN, app.now());
    if (!principal) throw new ApiError(401, 'unauthorized', 'the admin token is not valid (or was revoked)');
    return principal;
  }
  // Signing in and password links ignore a cookie: they are reached signed out, without a CSRF token.
  if (role === 'anyone') return null;
  const cookie = getCookie(c, SESSION_COOKIE);
  return cookie ? principalForSession(app.db, cookie, app.now()) : null;
}

function checkCsrf(c: Context, expected: string) {
  const sent = c.req.header(CSRF_HEADER) ?? '';
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new ApiError(403, 'csrf_failed', `a change made with the session cookie must send its CSRF token in the ${CSRF_HEADER} header`);
  }
}

/** Sets the session cookie: HttpOnly, SameSite=Strict, for the admin API only, Secure when reached over HTTPS. */
export function setSessionCookie(c: Context, token: string, expiresAt: Date, trusted: AddressSet) {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: reachedOverHttps(c, trusted),
    path: COOKIE_PATH,
    expires: expiresAt,
  });
}

export function clearSessionCookie(c: Context, trusted: AddressSet) {
  deleteCookie(c, SESSION_COOKIE, { path: COOKIE_PATH, secure: reachedOverHttps(c, trusted), httpOnly: true, sameSite: 'Strict' });
}

export const sessionCookieOf = (c: Context) => getCookie(c, SESSION_COOKIE);
