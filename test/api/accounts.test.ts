import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { hotp, base32Decode, totpStep } from '../../worker/accounts/totp.ts';
import { FIRST_LOCK_MS } from '../../worker/accounts/lockout.ts';
import { testApp } from '../helpers/app.ts';

type T = Awaited<ReturnType<typeof testApp>>;
const PASSWORD = 'una clave bastante larga';

/** Signs in from `address`; answers the response, the cookie to send back and the CSRF token. */
async function signIn(t: T, body: Record<string, unknown>, address = '203.0.113.5') {
  const response = await t.request('/api/admin/session', { method: 'POST', json: body, token: null, headers: { 'x-forwarded-for': address } });
  const setCookie = response.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0]!;
  const json = (await response.clone().json()) as any;
  return { response, setCookie, cookie, csrf: json.csrf_token as string | undefined, json };
}

async function createAccount(t: T, email: string, role: string, password?: string) {
  const response = await t.request('/api/admin/accounts', { method: 'POST', json: { email, name: email.split('@')[0], role, ...(password ? { password } : {}) } });
  expect(response.status).toBe(201);
  return ((await response.json()) as any).account;
}

const asSession = (cookie: string, csrf?: string, more: Record<string, string> = {}) => ({ token: null, headers: { cookie, ...(csrf ? { 'x-csrf-token': csrf } : {}), ...more } });

async function outboxLink(t: T) {
  const rows = await t.database.db.all<{ notice: string; target: string }>(sql`select notice, target from outbox where kind = 'account.password_link' order by created_at desc, rowid desc`);
  const notice = JSON.parse(rows[0]!.notice);
  return { to: rows[0]!.target, url: notice.url as string, token: new URL(notice.url).searchParams.get('token')!, purpose: notice.purpose };
}

describe('admin accounts and sessions', () => {
  let t: T;
  beforeEach(async () => {
    t = await testApp();
  });
  afterEach(() => t.close());

  it('signs in with e-mail and password into an HttpOnly, SameSite=Strict cookie for the admin API; wrong passwords are refused', async () => {
    await createAccount(t, 'ana@example.com', 'editor', PASSWORD);
    const wrong = await signIn(t, { email: 'ana@example.com', password: 'no es la clave' });
    expect(wrong.response.status).toBe(401);
    expect(wrong.json).toEqual({ error: { code: 'invalid_credentials', message: expect.any(String) } });
    expect(wrong.setCookie).toBe('');
    const unknown = await signIn(t, { email: 'nadie@example.com', password: PASSWORD });
    expect(unknown.response.status).toBe(401);

    const ok = await signIn(t, { email: ' ANA@example.com ', password: PASSWORD });
    expect(ok.response.status).toBe(200);
    expect(ok.setCookie).toMatch(/^vigia_admin=[\w-]+;/);
    expect(ok.setCookie).toMatch(/HttpOnly/);
    expect(ok.setCookie).toMatch(/SameSite=Strict/);
    expect(ok.setCookie).toMatch(/Path=\/api\/admin/);
    expect(ok.setCookie).not.toMatch(/Secure/);
    expect(ok.json.account).toMatchObject({ email: 'ana@example.com', role: 'editor', active: true });

    const me = await t.request('/api/admin/me', asSession(ok.cookie));
    expect(await me.json()).toMatchObject({ actor: { kind: 'account', name: 'ana@example.com', role: 'editor' }, csrf_token: ok.csrf });
  });

  it('marks the cookie Secure when a trusted proxy says the client came over HTTPS, and only then', async () => {
    await createAccount(t, 'ana@example.com', 'viewer', PASSWORD);
    const behindTls = await t.request('/api/admin/session', { method: 'POST', token: null, json: { email: 'ana@example.com', password: PASSWORD }, headers: { 'x-forwarded-proto': 'https' } });
    expect(behindTls.headers.get('set-cookie')).toMatch(/; Secure/);
    const direct = await t.http.request('https://status.example/api/admin/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'ana@example.com', password: PASSWORD }) });
    expect(direct.headers.get('set-cookie')).toMatch(/; Secure/);
  });

  it('refuses a change made with the cookie without its CSRF token, and a request without a session', async () => {
    await createAccount(t, 'ana@example.com', 'editor', PASSWORD);
    const { cookie, csrf } = await signIn(t, { email: 'ana@example.com', password: PASSWORD });
    const incident = { title: 'Caída', severity: 2, message: 'Investigando.' };
    const without = await t.request('/api/admin/incidents', { method: 'POST', json: incident, ...asSession(cookie) });
    expect(without.status).toBe(403);
    expect(((await without.json()) as any).error.code).toBe('csrf_failed');
    const forged = await t.request('/api/admin/incidents', { method: 'POST', json: incident, ...asSession(cookie, 'x'.repeat(csrf!.length)) });
    expect(forged.status).toBe(403);
    const noSession = await t.request('/api/admin/incidents', { method: 'POST', json: incident, ...asSession('vigia_admin=made-up', csrf) });
    expect(noSession.status).toBe(401);
    const good = await t.request('/api/admin/incidents', { method: 'POST', json: incident, ...asSession(cookie, csrf) });
    expect(good.status).toBe(201);
    // Reading needs no CSRF token.
    expect((await t.request('/api/admin/incidents', asSession(cookie))).status).toBe(200);
  });

  it('locks an account out from one address after repeated failures, briefly and growing, without locking it elsewhere', async () => {
    await createAccount(t, 'ana@example.com', 'owner', PASSWORD);
    for (let i = 0; i < 5; i++) expect((await signIn(t, { email: 'ana@example.com', password: `mala ${i} clave` }, '198.51.100.7')).response.status).toBe(401);
    const locked = await signIn(t, { email: 'ana@example.com', password: PASSWORD }, '198.51.100.7');
    expect(locked.response.status).toBe(429);
    expect(locked.json.error.code).toBe('signin_locked');
    expect(Number(locked.response.headers.get('retry-after'))).toBe(FIRST_LOCK_MS / 1000);
    // The real admin, elsewhere, is not locked out.
    expect((await signIn(t, { email: 'ana@example.com', password: PASSWORD }, '203.0.113.9')).response.status).toBe(200);
    t.clock.advance(FIRST_LOCK_MS);
    for (let i = 0; i < 5; i++) await signIn(t, { email: 'ana@example.com', password: 'otra mala clave' }, '198.51.100.7');
    expect(Number((await signIn(t, { email: 'ana@example.com', password: PASSWORD }, '198.51.100.7')).response.headers.get('retry-after'))).toBe((2 * FIRST_LOCK_MS) / 1000);
    t.clock.advance(2 * FIRST_LOCK_MS);
    expect((await signIn(t, { email: 'ana@example.com', password: PASSWORD }, '198.51.100.7')).response.status).toBe(200);
  });

  it('signs out this browser, or every session of the account', async () => {
    await createAccount(t, 'ana@example.com', 'viewer', PASSWORD);
    const one = await signIn(t, { email: 'ana@example.com', password: PASSWORD });
    const two = await signIn(t, { email: 'ana@example.com', password: PASSWORD });
    const three = await signIn(t, { email: 'ana@example.com', password: PASSWORD });
    const out = await t.request('/api/admin/session', { method: 'DELETE', ...asSession(one.cookie, one.csrf) });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/vigia_admin=;.*Max-Age=0/);
    expect((await t.request('/api/admin/me', asSession(one.cookie))).status).toBe(401);
    expect((await t.request('/api/admin/me', asSession(two.cookie))).status).toBe(200);
    expect((await t.request('/api/admin/session?everywhere=true', { method: 'DELETE', ...asSession(two.cookie, two.csrf) })).status).toBe(204);
    expect((await t.request('/api/admin/me', asSession(two.cookie))).status).toBe(401);
    expect((await t.request('/api/admin/me', asSession(three.cookie))).status).toBe(401);
  });

  it('ends a session after 12 idle hours', async () => {
    await createAccount(t, 'ana@example.com', 'viewer', PASSWORD);
    const { cookie } = await signIn(t, { email: 'ana@example.com', password: PASSWORD });
    t.clock.advance(11 * 3600_000);
    expect((await t.request('/api/admin/me', asSession(cookie))).status).toBe(200);
    t.clock.advance(11 * 3600_000);
    expect((await t.request('/api/admin/me', asSession(cookie))).status).toBe(200);
    t.clock.advance(12 * 3600_000 + 1);
    expect((await t.request('/api/admin/me', asSession(cookie))).status).toBe(401);
  });

  it('resets a password by an e-mailed one-time link, through the outbox, and ends the old sessions', async () => {
    await createAccount(t, 'ana@example.com', 'editor', PASSWORD);
    const old = await signIn(t, { email: 'ana@example.com', password: PASSWORD });
    const asked = await t.request('/api/admin/password-reset', { method: 'POST', token: null, json: { email: 'ana@example.com' } });
    expect(asked.status).toBe(202);
    // An unknown address gets the same answer and no mail.
    expect((await t.request('/api/admin/password-reset', { method: 'POST', token: null, json: { email: 'nadie@example.com' } })).status).toBe(202);
    const link = await outboxLink(t);
    expect(link).toMatchObject({ to: 'ana@example.com', purpose: 'reset' });
    expect(link.url).toMatch(/\/admin\/password\/\?token=/);
    const used = await t.request('/api/admin/password', { method: 'POST', token: null, json: { token: link.token, password: 'la nueva clave larga' } });
    expect(used.status).toBe(200);
    const again = await t.request('/api/admin/password', { method: 'POST', token: null, json: { token: link.token, password: 'otra clave más larga' } });
    expect(again.status).toBe(422);
    expect(((await again.json()) as any).error.code).toBe('link_used');
    expect((await t.request('/api/admin/me', asSession(old.cookie))).status).toBe(401);
    expect((await signIn(t, { email: 'ana@example.com', password: PASSWORD })).response.status).toBe(401);
    expect((await signIn(t, { email: 'ana@example.com', password: 'la nueva clave larga' })).response.status).toBe(200);
  });

  it('invites an account created without a password; the link expires', async () => {
    const account = await createAccount(t, 'luis@example.com', 'viewer');
    expect(account.active).toBe(false);
    expect((await signIn(t, { email: 'luis@example.com', password: '' })).response.status).toBe(401);
    const link = await outboxLink(t);
    expect(link.purpose).toBe('invitation');
    t.clock.advance(8 * 24 * 3600_000);
    const late = await t.request('/api/admin/password', { method: 'POST', token: null, json: { token: link.token, password: 'mi clave de invitado' } });
    expect(((await late.json()) as any).error.code).toBe('link_expired');
  });

  it('asks for a TOTP code once two-step sign-in is on, and takes each code once', async () => {
    await createAccount(t, 'ana@example.com', 'owner', PASSWORD);
    const { cookie, csrf } = await signIn(t, { email: 'ana@example.com', password: PASSWORD });
    const started = (await (await t.request('/api/admin/me/totp', { method: 'POST', ...asSession(cookie, csrf) })).json()) as any;
    expect(started.uri).toMatch(/^otpauth:\/\/totp\//);
    const code = (at: Date) => hotp(base32Decode(started.secret), totpStep(at));
    const wrong = await t.request('/api/admin/me/totp/confirm', { method: 'POST', json: { code: '000000' === code(t.clock.now()) ? '111111' : '000000' }, ...asSession(cookie, csrf) });
    expect(wrong.status).toBe(422);
    const confirmed = await t.request('/api/admin/me/totp/confirm', { method: 'POST', json: { code: code(t.clock.now()) }, ...asSession(cookie, csrf) });
    expect(((await confirmed.json()) as any).account.totp_enabled).toBe(true);

    t.clock.advance(30_000);
    const noCode = await signIn(t, { email: 'ana@example.com', password: PASSWORD });
    expect(noCode.response.status).toBe(401);
    expect(noCode.json.error.code).toBe('totp_required');
    expect(noCode.setCookie).toBe('');
    const badCode = await signIn(t, { email: 'ana@example.com', password: PASSWORD, totp: code(new Date(t.clock.now().getTime() + 300_000)) });
    expect(badCode.json.error.code).toBe('invalid_credentials');
    const now = code(t.clock.now());
    expect((await signIn(t, { email: 'ana@example.com', password: PASSWORD, totp: now })).response.status).toBe(200);
    expect((await signIn(t, { email: 'ana@example.com', password: PASSWORD, totp: now })).response.status).toBe(401);
  });

  it('keeps ADMIN_TOKEN an owner; named API tokens are shown once, stored hashed, show their last use and stop working when revoked', async () => {
    const created = await t.request('/api/admin/tokens', { method: 'POST', json: { name: 'CI deploy', role: 'editor' } });
    expect(created.status).toBe(201);
    const { id, token } = (await created.json()) as any;
    expect(token).toMatch(/^vga_/);
    const stored = await t.database.db.all<{ token_hash: string }>(sql`select token_hash from admin_tokens`);
    expect(stored[0]!.token_hash).not.toContain(token);
    expect(stored[0]!.token_hash).toHaveLength(64);

    t.clock.advance(5_000);
    expect((await t.request('/api/admin/incidents', { method: 'POST', token, json: { title: 'Caída', severity: 3, message: 'x' } })).status).toBe(201);
    const listed = ((await (await t.request('/api/admin/tokens')).json()) as any).tokens;
    expect(listed).toEqual([expect.objectContaining({ id, name: 'CI deploy', role: 'editor', last_used_at: t.clock.now().toISOString(), revoked_at: null })]);
    expect(JSON.stringify(listed)).not.toContain(token);
    // An editor token cannot make tokens.
    expect((await t.request('/api/admin/tokens', { method: 'POST', token, json: { name: 'x', role: 'owner' } })).status).toBe(403);

    expect((await t.request(`/api/admin/tokens/${id}`, { method: 'DELETE' })).status).toBe(204);
    const after = await t.request('/api/admin/incidents', { token });
    expect(after.status).toBe(401);
    expect(((await after.json()) as any).error.code).toBe('unauthorized');
  });

  it('keeps each admin\'s language on their account: set with PATCH /me (validated, audited), read back by /me and the sign-in', async () => {
    await createAccount(t, 'ana@example.com', 'viewer', PASSWORD);
    const session = await signIn(t, { email: 'ana@example.com', password: PASSWORD });
    expect(session.json.account.language).toBeNull();
    const set = await t.request('/api/admin/me', { method: 'PATCH', json: { language: 'en' }, ...asSession(session.cookie, session.csrf) });
    expect(set.status).toBe(200);
    expect(((await set.json()) as any).account).toMatchObject({ email: 'ana@example.com', language: 'en' });
    expect(((await (await t.request('/api/admin/me', asSession(session.cookie))).json()) as any).account.language).toBe('en');
    // Another browser signing in is told the account's language.
    expect((await signIn(t, { email: 'ana@example.com', password: PASSWORD }, '198.51.100.9')).json.account.language).toBe('en');

    const bad = await t.request('/api/admin/me', { method: 'PATCH', json: { language: 'fr' }, ...asSession(session.cookie, session.csrf) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: { code: 'invalid_request', message: 'invalid body: language: must be one of es, en', details: { fields: ['language'] } } });
    const extra = await t.request('/api/admin/me', { method: 'PATCH', json: { language: 'es', role: 'owner' }, ...asSession(session.cookie, session.csrf) });
    expect(extra.status).toBe(400);
    expect(((await extra.json()) as any).error).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('role') });
    // With the cookie, a change needs the session's CSRF token like any other.
    expect((await t.request('/api/admin/me', { method: 'PATCH', json: { language: 'es' }, ...asSession(session.cookie) })).status).toBe(403);
    // An API token has no account, so no language of its own: the console's choice stays in the browser.
    const byToken = await t.request('/api/admin/me', { method: 'PATCH', json: { language: 'en' } });
    expect(byToken.status).toBe(400);
    expect(((await byToken.json()) as any).error.code).toBe('not_an_account');

    const audit = ((await (await t.request('/api/admin/audit?entity=account')).json()) as any).entries;
    expect(audit[0]).toMatchObject({ actor: { kind: 'account', name: 'ana@example.com' }, action: 'PATCH /api/admin/me', entity: 'account', changes: { language: { before: null, after: 'en' } } });
    expect(audit.filter((e: any) => e.action === 'PATCH /api/admin/me')).toHaveLength(1);
  });

  it('e-mails password links in the account\'s language; an invitation in the inviter\'s choice, else the inviter\'s language', async () => {
    const mailOf = async (email: string) => {
      const rows = await t.database.db.all<{ id: string; locale: string }>(sql`select id, locale from outbox where kind = 'account.password_link' and target = ${email} order by created_at desc, rowid desc`);
      const message = ((await (await t.request(`/api/admin/outbox/${rows[0]!.id}`)).json()) as any).message;
      const rendered = ((await (await t.request(`/api/admin/outbox/${rows[0]!.id}`)).json()) as any).rendered;
      return { locale: rows[0]!.locale, subject: rendered.subject as string, kind: message.kind as string };
    };
    // A token's invitation, no language chosen: the site's default language, and no language on the account yet.
    const luis = await createAccount(t, 'luis@example.com', 'viewer');
    expect(luis.language).toBeNull();
    await expect(mailOf('luis@example.com')).resolves.toMatchObject({ locale: 'es', subject: expect.stringMatching(/administración|cuenta/i) });

    await createAccount(t, 'ana@example.com', 'owner', PASSWORD);
    const ana = await signIn(t, { email: 'ana@example.com', password: PASSWORD });
    expect((await t.request('/api/admin/me', { method: 'PATCH', json: { language: 'en' }, ...asSession(ana.cookie, ana.csrf) })).status).toBe(200);
    const invite = (body: Record<string, unknown>) => t.request('/api/admin/accounts', { method: 'POST', json: { role: 'editor', ...body }, ...asSession(ana.cookie, ana.csrf) });
    // Ana speaks English: her invitations do, unless she chooses otherwise.
    const eva = (await (await invite({ email: 'eva@example.com', name: 'Eva' })).json()) as any;
    expect(eva.account.language).toBe('en');
    await expect(mailOf('eva@example.com')).resolves.toEqual({ locale: 'en', subject: expect.stringMatching(/Your .* admin account$/), kind: 'account.password_link' });
    const pia = (await (await invite({ email: 'pia@example.com', name: 'Pía', language: 'es' })).json()) as any;
    expect(pia.account.language).toBe('es');
    await expect(mailOf('pia@example.com')).resolves.toMatchObject({ locale: 'es' });
    const wrong = await invite({ email: 'max@example.com', name: 'Max', language: 'de' });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as any).error.details.fields).toEqual(['language']);

    // A reset goes in the account's language.
    expect((await t.request('/api/admin/password-reset', { method: 'POST', token: null, json: { email: 'ana@example.com' } })).status).toBe(202);
    await expect(mailOf('ana@example.com')).resolves.toEqual({ locale: 'en', subject: expect.stringMatching(/Reset your .* password$/), kind: 'account.password_link' });
  });

  it('keeps one owner who can sign in', async () => {
    const ana = await createAccount(t, 'ana@example.com', 'owner', PASSWORD);
    const demote = await t.request(`/api/admin/accounts/${ana.id}`, { method: 'PATCH', json: { role: 'viewer' } });
    expect(demote.status).toBe(422);
    expect(((await demote.json()) as any).error.code).toBe('last_owner');
    await createAccount(t, 'luis@example.com', 'owner', PASSWORD);
    expect((await t.request(`/api/admin/accounts/${ana.id}`, { method: 'PATCH', json: { role: 'viewer' } })).status).toBe(200);
    const accounts = ((await (await t.request('/api/admin/accounts')).json()) as any).accounts;
    expect(accounts.map((a: any) => [a.email, a.role])).toEqual([['ana@example.com', 'viewer'], ['luis@example.com', 'owner']]);
    expect(JSON.stringify(accounts)).not.toMatch(/scrypt|password_hash/);
  });
});
