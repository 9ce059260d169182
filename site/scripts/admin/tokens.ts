/**
 * The API tokens screen (owners): every token with its role, maker, last use and state; revoking one; creating one,
 * whose secret is shown this once.
 */
import { adminFetch, el, formatInstant, labelCells, ROLE_WORDS, withAdminSession, type AdminRole } from '../admin-api.ts';
import { accountError } from '../admin-account-words.ts';
import { confirmInAdminLanguage } from '../admin-translate.ts';
import type { ApiErrorBody } from '../admin-words.ts';
import { wireForm } from './forms.ts';

type Token = { id: string; name: string; role: AdminRole; created_by: string; created_at: string; last_used_at: string | null; revoked_at: string | null };

const $ = (id: string) => document.getElementById(id)!;
const problem = (e: unknown) => ((e as { body?: ApiErrorBody }).body ? accountError((e as { body: ApiErrorBody }).body) : (e as Error).message);

function revokeButton(token: Token): HTMLButtonElement {
  const revoke = el('button', { type: 'button', class: 'secondary' }, 'Revocar');
  revoke.addEventListener('click', async () => {
    if (!confirmInAdminLanguage(`¿Revocar el token «${token.name}»? Los scripts que lo usan dejarán de funcionar.`)) return;
    $('tokens-error').textContent = '';
    try {
      await adminFetch(`/api/admin/tokens/${token.id}`, { method: 'DELETE' });
      await load();
    } catch (e) {
      $('tokens-error').textContent = problem(e);
    }
  });
  return revoke;
}

async function load(): Promise<void> {
  const { tokens } = await adminFetch<{ tokens: Token[] }>('/api/admin/tokens');
  const table = $('tokens') as HTMLTableElement;
  table.tBodies[0]!.replaceChildren(
    ...tokens.map((t) =>
      el(
        'tr',
        { 'data-token': t.name },
        el('td', {}, t.name),
        el('td', {}, ROLE_WORDS[t.role]),
        el('td', {}, t.created_by),
        el('td', {}, formatInstant(t.created_at)),
        el('td', {}, t.last_used_at ? formatInstant(t.last_used_at) : 'Nunca'),
        el('td', {}, t.revoked_at ? `Revocado ${formatInstant(t.revoked_at)}` : 'Activo'),
        el('td', {}, t.revoked_at ? '' : revokeButton(t)),
      ),
    ),
  );
  labelCells(table);
}

wireForm('token-form', load, async (d) => {
  try {
    const created = await adminFetch<{ token: string }>('/api/admin/tokens', { method: 'POST', body: JSON.stringify({ name: d.get('name'), role: d.get('role') }) });
    $('new-token-value').textContent = created.token;
    $('new-token').hidden = false;
  } catch (e) {
    throw new Error(problem(e));
  }
});

withAdminSession(load);
