/** The admin console's access to the admin API: the token lives in this tab's sessionStorage only. */
const KEY = 'vigia.admin.token';

export class Unauthorized extends Error {}

export async function adminFetch<T>(path: string, init: RequestInit = {}): Promise<T> {
  const token = sessionStorage.getItem(KEY);
  if (!token) throw new Unauthorized('no token');
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${token}`);
  if (init.body) headers.set('content-type', 'application/json');
  const response = await fetch(path, { ...init, headers });
  if (response.status === 401) {
    sessionStorage.removeItem(KEY);
    throw new Unauthorized('token refused');
  }
  const body = (await response.json()) as T & { error?: { code: string; message: string } };
  if (!response.ok) throw new Error(body.error?.message ?? `${response.status}`);
  return body;
}

/** Shows the token form until a token works, then calls `start`. */
export function withAdminToken(start: () => Promise<void>): void {
  const form = document.getElementById('token-form') as HTMLFormElement;
  const input = document.getElementById('token') as HTMLInputElement;
  const error = document.getElementById('token-error')!;
  const content = document.getElementById('admin-content')!;
  const run = async () => {
    try {
      await start();
      form.hidden = true;
      content.hidden = false;
    } catch (e) {
      if (e instanceof Unauthorized) {
        form.hidden = false;
        content.hidden = true;
        error.textContent = e.message === 'token refused' ? 'El token no es válido.' : '';
      } else {
        content.hidden = false;
        throw e;
      }
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(KEY, input.value.trim());
    void run();
  });
  void run();
}

export const fmt = new Intl.DateTimeFormat('es-CO', { dateStyle: 'medium', timeStyle: 'short' });
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

const SVG = 'http://www.w3.org/2000/svg';
export function svg(tag: string, attrs: Record<string, string | number> = {}, ...children: (Node | string)[]): SVGElement {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  for (const child of children) node.append(child);
  return node;
}
