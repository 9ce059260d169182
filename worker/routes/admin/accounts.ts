import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { RateLimitedError } from '../../core/errors.ts';
import { ADMIN_LANGUAGES, ADMIN_ROLES } from '../../core/vocabulary.ts';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../accounts/passwords.ts';
import {
  accountOf,
  changeAccount,
  changePassword,
  confirmTotp,
  createAccount,
  createApiToken,
  disableTotp,
  listAccounts,
  listApiTokens,
  removeAccount,
  setAccountLanguage,
  requestPasswordReset,
  revokeApiToken,
  signIn,
  signOut,
  signOutEverywhere,
  startTotp,
  usePasswordLink,
  type LinkSettings,
} from '../../accounts/service.ts';
import { auditChange } from '../../http/audit.ts';
import { clearSessionCookie, needs, principalOf, setSessionCookie } from '../../http/admin-auth.ts';
import { ApiError, readJson, validate } from '../../http/errors.ts';
import { addressSet } from '../../lib/address-set.ts';
import { clientKey } from '../../subscribers/client-ip.ts';
import { SlidingWindowLimiter } from '../../subscribers/sliding-window.ts';

const email = z.string().trim().min(3).max(254).pipe(z.email({ error: 'must be an e-mail address' }));
const password = z.string().min(MIN_PASSWORD_LENGTH, { error: `must be at least ${MIN_PASSWORD_LENGTH} characters` }).max(MAX_PASSWORD_LENGTH);
const role = z.enum(ADMIN_ROLES);
const name = z.string().trim().min(1).max(200);
const language = z.enum(ADMIN_LANGUAGES, { error: `must be one of ${ADMIN_LANGUAGES.join(', ')}` });

const signInSchema = z.strictObject({ email: z.string().max(254), password: z.string().max(MAX_PASSWORD_LENGTH), totp: z.string().max(12).optional() });
const accountSchema = z.strictObject({ email, name, role, password: password.optional(), language: language.optional() });
const meChangeSchema = z.strictObject({ language });
const accountChangeSchema = z.strictObject({ name: name.optional(), role: role.optional() });
const tokenSchema = z.strictObject({ name, role });
const resetSchema = z.strictObject({ email: z.string().max(254) });
const linkSchema = z.strictObject({ token: z.string().min(1).max(200), password });
const passwordChangeSchema = z.strictObject({ current_password: z.string().max(MAX_PASSWORD_LENGTH), password });
const codeSchema = z.strictObject({ code: z.string().max(12) });
const disableSchema = z.strictObject({ password: z.string().max(MAX_PASSWORD_LENGTH) });

/** Sign-in attempts per client address, right or wrong, before 429: well above a person's, far below a guesser's. */
const SIGN_INS_PER_WINDOW = 30;
const RESETS_PER_WINDOW = 5;
const WINDOW_MS = 10 * 60_000;

/** Sessions (`/session`), the caller (`/me`), accounts, API tokens and password links of the admin API. */
export function adminAccountRoutes(app: AppContext) {
  const routes = new Hono();
  const trusted = addressSet(app.env.TRUSTED_PROXIES);
  const signIns = new SlidingWindowLimiter(SIGN_INS_PER_WINDOW, WINDOW_MS);
  const resets = new SlidingWindowLimiter(RESETS_PER_WINDOW, WINDOW_MS);
  const links = (): LinkSettings => ({ siteUrl: app.config.site.url, locale: app.config.site.default_locale, timeZone: app.config.site.timezone });
  const limit = (limiter: SlidingWindowLimiter, c: Context) => {
    const verdict = limiter.hit(clientKey(c, trusted), app.now().getTime());
    if (!verdict.allowed) throw new RateLimitedError('rate_limited', 'too many attempts from this address; try again later', verdict.retryAfterMs);
  };

  routes.post('/session', needs('anyone'), async (c) => {
    limit(signIns, c);
    const body = validate(signInSchema, await readJson(c));
    const result = await signIn(app.db, body, clientKey(c, trusted), app.now());
    if (!result.ok) {
      if (result.reason === 'locked') {
        throw new RateLimitedError('signin_locked', 'too many failed sign-ins for this account from this address; try again later', result.retryAfterMs);
      }
      if (result.reason === 'totp_required') throw new ApiError(401, 'totp_required', 'enter the code from your authenticator app', { fields: ['totp'] });
      throw new ApiError(401, 'invalid_credentials', 'the e-mail or the password (or the code) is not right');
    }
    setSessionCookie(c, result.token, result.expiresAt, trusted);
    auditChange(c, { actor: { kind: 'account', id: result.account.id, name: result.account.email }, entity: 'session', entityId: result.account.id });
    return c.json({ account: result.account, csrf_token: result.csrfToken, expires_at: result.expiresAt.toISOString() });
  });

  /** Signs out this browser; with `?everywhere=true`, every session of the account. */
  routes.delete('/session', needs('viewer'), async (c) => {
    const principal = principalOf(c);
    if (!principal.session) throw new ApiError(400, 'no_session', 'an API token has no session to end: revoke the token instead');
    const ended = c.req.query('everywhere') === 'true' ? await signOutEverywhere(app.db, principal.id) : (await signOut(app.db, principal.session.tokenHash), 1);
    clearSessionCookie(c, trusted);
    auditChange(c, { entity: 'session', entityId: principal.id, changes: { sessions: { before: ended, after: 0 } } });
    return c.body(null, 204);
  });

  routes.get('/me', needs('viewer'), async (c) => {
    const principal = principalOf(c);
    const account = principal.kind === 'account' ? await accountOf(app.db, principal.id) : null;
    return c.json({
      actor: { kind: principal.kind, id: principal.id, name: principal.name, role: principal.role },
      account,
      csrf_token: principal.session?.csrfToken ?? null,
    });
  });

  const ownAccount = (c: Context) => {
    const principal = principalOf(c);
    if (principal.kind !== 'account' || !principal.session) throw new ApiError(400, 'not_an_account', 'an API token has no account: sign in with an account to change its language, password or two-step sign-in');
    return principal as typeof principal & { session: NonNullable<typeof principal.session> };
  };

  /** The admin's own settings: the language of their console and of the mail sent to them. */
  routes.patch('/me', needs('viewer'), async (c) => {
    const principal = ownAccount(c);
    const body = validate(meChangeSchema, await readJson(c));
    const { before, after } = await setAccountLanguage(app.db, principal.id, body.language, app.now());
    auditChange(c, { entity: 'account', entityId: principal.id, before, after });
    return c.json({ account: after });
  });

  routes.post('/me/password', needs('viewer'), async (c) => {
    const principal = ownAccount(c);
    const body = validate(passwordChangeSchema, await readJson(c));
    await changePassword(app.db, principal.id, body.current_password, body.password, principal.session.tokenHash, app.now());
    auditChange(c, { entity: 'account', entityId: principal.id, changes: { password: { before: '(hidden)', after: '(changed)' } } });
    return c.body(null, 204);
  });

  routes.post('/me/totp', needs('viewer'), async (c) => {
    const principal = ownAccount(c);
    const started = await startTotp(app.db, principal.id, app.config.site.name, app.now());
    auditChange(c, { entity: 'account', entityId: principal.id, changes: { totp_secret: { before: null, after: '(new, not yet confirmed)' } } });
    return c.json({ secret: started.secret, uri: started.uri }, 201);
  });

  routes.post('/me/totp/confirm', needs('viewer'), async (c) => {
    const principal = ownAccount(c);
    await confirmTotp(app.db, principal.id, validate(codeSchema, await readJson(c)).code, app.now());
    auditChange(c, { entity: 'account', entityId: principal.id, changes: { totp_enabled: { before: false, after: true } } });
    return c.json({ account: await accountOf(app.db, principal.id) });
  });

  routes.delete('/me/totp', needs('viewer'), async (c) => {
    const principal = ownAccount(c);
    await disableTotp(app.db, principal.id, validate(disableSchema, await readJson(c)).password, app.now());
    auditChange(c, { entity: 'account', entityId: principal.id, changes: { totp_enabled: { before: true, after: false } } });
    return c.json({ account: await accountOf(app.db, principal.id) });
  });

  routes.post('/password-reset', needs('anyone'), async (c) => {
    limit(resets, c);
    await requestPasswordReset(app.db, validate(resetSchema, await readJson(c)).email, app.now(), links());
    return c.json({ message: 'if the address has an account, a link to set a new password is on its way' }, 202);
  });

  routes.post('/password', needs('anyone'), async (c) => {
    limit(resets, c);
    const body = validate(linkSchema, await readJson(c));
    const account = await usePasswordLink(app.db, body.token, body.password, app.now());
    auditChange(c, { actor: { kind: 'account', id: account.id, name: account.email }, entity: 'account', entityId: account.id, changes: { password: { before: '(hidden)', after: '(set by link)' } } });
    return c.json({ account });
  });

  routes.get('/accounts', needs('owner'), async (c) => c.json({ accounts: await listAccounts(app.db) }));

  routes.post('/accounts', needs('owner'), async (c) => {
    const body = validate(accountSchema, await readJson(c));
    // Unless the inviter chose one, a new account speaks its inviter's language (none for a token's).
    const inviter = principalOf(c);
    const inviterLanguage = inviter.kind === 'account' ? ((await accountOf(app.db, inviter.id))?.language ?? null) : null;
    const account = await createAccount(app.db, { ...body, language: body.language ?? inviterLanguage }, app.now(), links());
    auditChange(c, {
      entity: 'account',
      entityId: account.id,
      changes: { email: { before: null, after: account.email }, name: { before: null, after: account.name }, role: { before: null, after: account.role }, ...(account.language ? { language: { before: null, after: account.language } } : {}) },
    });
    return c.json({ account, invitation_sent: !account.active }, 201);
  });

  routes.patch('/accounts/:id', needs('owner'), async (c) => {
    const { before, after } = await changeAccount(app.db, c.req.param('id'), validate(accountChangeSchema, await readJson(c)), app.now());
    auditChange(c, { entity: 'account', entityId: after.id, before, after });
    return c.json({ account: after });
  });

  routes.delete('/accounts/:id', needs('owner'), async (c) => {
    const before = await removeAccount(app.db, c.req.param('id'));
    auditChange(c, { entity: 'account', entityId: before.id, before, after: null });
    return c.body(null, 204);
  });

  routes.get('/tokens', needs('owner'), async (c) => c.json({ tokens: await listApiTokens(app.db) }));

  routes.post('/tokens', needs('owner'), async (c) => {
    const body = validate(tokenSchema, await readJson(c));
    const created = await createApiToken(app.db, body, principalOf(c).name, app.now());
    auditChange(c, { entity: 'token', entityId: created.id, before: null, after: created.view });
    return c.json({ id: created.id, token: created.token, api_token: created.view }, 201);
  });

  routes.delete('/tokens/:id', needs('owner'), async (c) => {
    const { before, after } = await revokeApiToken(app.db, c.req.param('id'), app.now());
    auditChange(c, { entity: 'token', entityId: before.id, before, after });
    return c.body(null, 204);
  });

  return routes;
}
