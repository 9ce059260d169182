/** The admin console's access to the admin API: the token lives in this tab's sessionStorage only. */
import { DATE_OPTIONS } from '../lib/i18n.ts';
import { errorInSpanish, type ApiErrorBody } from './admin-words.ts';

const KEY = 'vigia.admin.token';

/** No token in this tab, or the API refused it (`refused`): the console asks for one again. */
export class Unauthorized extends Error {
  constructor(readonly refused: boolean) {
    super(refused ? 'El token no es válido; recargue la página para volver a entrar.' : 'Falta el token de administración.');
  }
}

/** A refusal of the admin API: `message` is the Spanish sentence the console shows, `body` what the API said. */
export class AdminApiError extends Error {
  constructor(readonly body: ApiErrorBody) {
    super(errorInSpanish(body, formatInstant));
  }
}

export async function adminFetch<T>(path: string, init: RequestInit = {}): Promise<T> {
  const token = sessionStorage.getItem(KEY);
  if (!token) throw new Unauthorized(false);
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${token}`);
  if (init.body) headers.set('content-type', 'application/json');
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers });
  } catch {
    throw new Error('No se pudo conectar con el servidor; revise la conexión e inténtelo de nuevo.');
  }
  if (response.status === 401) {
    sessionStorage.removeItem(KEY);
    throw new Unauthorized(true);
  }
  const body = (await response.json().catch(() => ({}))) as T & { error?: ApiErrorBody };
  if (!response.ok) throw new AdminApiError(body.error ?? { code: `http_${response.status}`, message: '' });
  return body;
}

/**
 * Shows the token form until a token works, then calls `start`. Once a typed token is accepted, focus moves to the
 * page's main heading, so a screen reader starts where the console does.
 */
export function withAdminToken(start: () => Promise<void>): void {
  const form = document.getElementById('token-form') as HTMLFormElement;
  const input = document.getElementById('token') as HTMLInputElement;
  const error = document.getElementById('token-error')!;
  const content = document.getElementById('admin-content')!;
  const run = async (typed: boolean) => {
    try {
      await start();
      form.hidden = true;
      content.hidden = false;
      if (typed) focusMainHeading(content);
    } catch (e) {
      if (e instanceof Unauthorized) {
        form.hidden = false;
        content.hidden = true;
        error.textContent = e.refused ? 'El token no es válido.' : '';
      } else {
        content.hidden = false;
        throw e;
      }
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(KEY, input.value.trim());
    void run(true);
  });
  void run(false);
}

function focusMainHeading(content: HTMLElement): void {
  const heading = content.querySelector('h1');
  if (!heading) return;
  heading.setAttribute('tabindex', '-1');
  heading.focus();
}

/** The public pages' date format, in the admin's own time zone (the browser's), with the zone named. */
export const fmt = new Intl.DateTimeFormat('es-CO', DATE_OPTIONS());
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
