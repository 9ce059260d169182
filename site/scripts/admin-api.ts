/**
 * The admin console's access to the admin API: the browser's session cookie (HttpOnly, set by signing in) and, on
 * every change, the session's CSRF token in a header. The token is read from `GET /api/admin/me` and kept in this
 * tab's sessionStorage; API tokens are for scripts, which send them as `Authorization: Bearer …` themselves.
 */
import { DATE_OPTIONS } from '../lib/i18n.ts';
import { errorInAdminLanguage, type ApiErrorBody } from './admin-words.ts';
import { adminLang, adminWords, chooseAdminLang, type AdminLang } from './admin-lang.ts';

const CSRF_KEY = 'vigia.admin.csrf';
const SAFE = new Set(['GET', 'HEAD']);
export const SIGN_IN_PATH = '/admin/sign-in/';

/** No session (or it ended): the console sends the admin to the sign-in page. */
export class Unauthorized extends Error {
  constructor() {
    super(adminWords().errors.session_ended);
  }
}

/** A refusal of the admin API: `message` is the sentence the console shows (in the admin's language), `body` what the API said. */
export class AdminApiError extends Error {
  constructor(readonly body: ApiErrorBody) {
    super(errorInAdminLanguage(body, formatInstant));
  }
}

export async function adminFetch<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  if (init.body) headers.set('content-type', 'application/json');
  if (!SAFE.has((init.method ?? 'GET').toUpperCase())) headers.set('x-csrf-token', sessionStorage.getItem(CSRF_KEY) ?? '');
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers, credentials: 'same-origin' });
  } catch {
    throw new Error(adminWords().errors.unreachable);
  }
  if (response.status === 401 && !path.startsWith('/api/admin/session')) throw new Unauthorized();
  if (response.status === 204) return undefined as T;
  const body = (await response.json().catch(() => ({}))) as T & { error?: ApiErrorBody };
  if (!response.ok) throw new AdminApiError(body.error ?? { code: `http_${response.status}`, message: '' });
  return body;
}

export type AdminRole = 'owner' | 'editor' | 'viewer';
export interface Me {
  actor: { kind: 'account' | 'token'; id: string; name: string; role: AdminRole };
  account: { id: string; email: string; name: string; role: AdminRole; language: AdminLang | null; totp_enabled: boolean } | null;
  csrf_token: string | null;
}

/** Who is signed in (and the session's CSRF token, kept for the changes this tab makes). */
export async function currentAdmin(): Promise<Me> {
  const me = await adminFetch<Me>('/api/admin/me');
  if (me.csrf_token) sessionStorage.setItem(CSRF_KEY, me.csrf_token);
  return me;
}

const JUST_SIGNED_IN = 'vigia.admin.signed-in';
/** A language picked on a signed-out page (the sign-in page), in this tab: the account takes it on signing in. */
const CHOSEN_SIGNED_OUT = 'vigia.admin.lang-chosen';

/**
 * Keeps a new session's CSRF token and marks that the next console page opens right after signing in. The language:
 * one just picked on the sign-in page is saved on the account; otherwise the account's is taken, so the first
 * console page is painted in it.
 */
export async function rememberSignIn(csrfToken: string, language: AdminLang | null | undefined): Promise<void> {
  sessionStorage.setItem(CSRF_KEY, csrfToken);
  sessionStorage.setItem(JUST_SIGNED_IN, '1');
  const picked = sessionStorage.getItem(CHOSEN_SIGNED_OUT);
  sessionStorage.removeItem(CHOSEN_SIGNED_OUT);
  if (picked === 'es' || picked === 'en') {
    if (picked !== language) await saveLanguage(picked);
  } else if (language) chooseAdminLang(language);
}

async function saveLanguage(lang: AdminLang): Promise<void> {
  try {
    await adminFetch('/api/admin/me', { method: 'PATCH', body: JSON.stringify({ language: lang }) });
  } catch {
    // The session ended (the sign-in page follows) or the change was refused: the browser keeps the choice.
  }
}

/**
 * The header's language switch: the choice is remembered in this browser and, when an account is signed in, saved
 * on the account, so its other browsers and the mail sent to it follow.
 */
export async function switchAdminLang(lang: AdminLang, signedIn: boolean): Promise<void> {
  chooseAdminLang(lang);
  if (signedIn) await saveLanguage(lang);
  else sessionStorage.setItem(CHOSEN_SIGNED_OUT, lang);
}

/** The roles in the admin's language. */
export const ROLE_WORDS: Record<AdminRole, string> = adminWords().roles;

const toSignIn = () => location.assign(`${SIGN_IN_PATH}?next=${encodeURIComponent(location.pathname + location.search)}`);

/**
 * Runs a console page for the signed-in admin: asks who is signed in (sending anyone else to the sign-in page), shows
 * their name and role, marks the page with the role (a viewer's console hides every change: admin.css), then calls
 * `start`. A session that ends later sends the admin to sign in again.
 */
export function withAdminToken(start: (me: Me) => Promise<void>): void {
  const content = document.getElementById('admin-content')!;
  const run = async () => {
    let me: Me;
    try {
      me = await currentAdmin();
    } catch (e) {
      if (e instanceof Unauthorized) return toSignIn();
      throw e;
    }
    // The account's language, chosen on another browser since this one last saw it: the page is drawn again in it.
    const language = me.account?.language;
    if (language && language !== adminLang()) {
      chooseAdminLang(language);
      // Only once it is remembered, or the page would load again and again.
      if (adminLang() === language) {
        location.reload();
        return;
      }
    }
    document.body.dataset.role = me.actor.role;
    const who = document.getElementById('whoami');
    if (who) {
      document.getElementById('whoami-name')!.textContent = `${me.account?.name ?? me.actor.name} · ${ROLE_WORDS[me.actor.role]}`;
      who.hidden = false;
    }
    content.hidden = false;
    try {
      await start(me);
    } catch (e) {
      if (e instanceof Unauthorized) return toSignIn();
      throw e;
    }
    // Just signed in: a screen reader starts where the console does.
    if (sessionStorage.getItem(JUST_SIGNED_IN)) {
      sessionStorage.removeItem(JUST_SIGNED_IN);
      focusMainHeading(content);
    }
  };
  void run();
}
export const withAdminSession = withAdminToken;

/** Ends this browser's session (or every session of the account) and goes to the sign-in page. */
export async function signOut(everywhere = false): Promise<void> {
  try {
    await adminFetch(`/api/admin/session${everywhere ? '?everywhere=true' : ''}`, { method: 'DELETE' });
  } finally {
    sessionStorage.removeItem(CSRF_KEY);
    location.assign(SIGN_IN_PATH);
  }
}

export function focusMainHeading(content: HTMLElement): void {
  const heading = content.querySelector('h1');
  if (!heading) return;
  heading.setAttribute('tabindex', '-1');
  heading.focus();
}

/** The public pages' date format in the admin's language, in their own time zone (the browser's), with the zone named. */
export const fmt = new Intl.DateTimeFormat(adminWords().dateLocale, DATE_OPTIONS());
export const formatInstant = (iso: string | null | undefined) => (iso ? fmt.format(new Date(iso)) : '—');

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  const minutes = Math.round(ms / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h ? `${h} h ${String(m).padStart(2, '0')} min` : `${m} min`;
}

/** Builds an element tree without innerHTML, so nothing from the API is ever parsed as markup. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string | null | undefined | false)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const child of children) if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}

/**
 * Gives each body cell of a table its column's header as `data-label`, so a narrow screen can show the rows as
 * cards with each value under its name (see `table.reflow` in admin.css). Call it after the rows are drawn.
 */
export function labelCells(table: HTMLTableElement): void {
  const headers = Array.from(table.tHead!.rows[0]!.cells, (th) => th.textContent?.trim() ?? '');
  for (const row of Array.from(table.tBodies[0]!.rows)) {
    Array.from(row.cells).forEach((cell, i) => {
      if (cell.colSpan === 1 && headers[i]) cell.dataset.label = headers[i];
    });
  }
}

const SVG = 'http://www.w3.org/2000/svg';
export function svg(tag: string, attrs: Record<string, string | number> = {}, ...children: (Node | string)[]): SVGElement {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  for (const child of children) node.append(child);
  return node;
}
