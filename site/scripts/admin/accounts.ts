/**
 * The accounts screen (owners): every account with its role (changed in place), two-step sign-in, language and state;
 * removing one; creating one with a password, or inviting it by e-mail in the language chosen (else the owner's).
 */
import { adminFetch, el, labelCells, ROLE_WORDS, withAdminSession, type AdminRole } from '../admin-api.ts';
import { accountError } from '../admin-account-words.ts';
import type { AdminLang } from '../admin-lang.ts';
import { confirmInAdminLanguage } from '../admin-translate.ts';
import type { ApiErrorBody } from '../admin-words.ts';
import { wireForm } from './forms.ts';

type Account = { id: string; email: string; name: string; role: AdminRole; language: AdminLang | null; totp_enabled: boolean; active: boolean };

/** Each language by its own name, as the header's switch names it. */
const LANGUAGE_NAMES: Record<AdminLang, string> = { es: 'Español', en: 'English' };

const $ = (id: string) => document.getElementById(id)!;
/** The API's refusal in the accounts' own words (an address taken, the last owner…). */
const problem = (e: unknown) => ((e as { body?: ApiErrorBody }).body ? accountError((e as { body: ApiErrorBody }).body) : (e as Error).message);
/** A form's work, its refusal said in those words (`wireForm` shows the error's message). */
async function inAccountWords<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (e) {
    throw new Error(problem(e));
  }
}

function roleChoice(account: Account): HTMLSelectElement {
  const options = (['viewer', 'editor', 'owner'] as const).map((r) => el('option', { value: r, ...(r === account.role ? { selected: '' } : {}) }, ROLE_WORDS[r]));
  const role = el('select', { 'aria-label': `Rol de ${account.name}` }, ...options);
  role.addEventListener('change', async () => {
    $('accounts-error').textContent = '';
    try {
      await adminFetch(`/api/admin/accounts/${account.id}`, { method: 'PATCH', body: JSON.stringify({ role: role.value }) });
    } catch (e) {
      $('accounts-error').textContent = problem(e);
      role.value = account.role;
    }
  });
  return role;
}

function removeButton(account: Account): HTMLButtonElement {
  const remove = el('button', { type: 'button', class: 'secondary' }, 'Eliminar');
  remove.addEventListener('click', async () => {
    if (!confirmInAdminLanguage(`¿Eliminar la cuenta de ${account.email}?`)) return;
    $('accounts-error').textContent = '';
    try {
      await adminFetch(`/api/admin/accounts/${account.id}`, { method: 'DELETE' });
      await load();
    } catch (e) {
      $('accounts-error').textContent = problem(e);
    }
  });
  return remove;
}

async function load(): Promise<void> {
  const { accounts } = await adminFetch<{ accounts: Account[] }>('/api/admin/accounts');
  const table = $('accounts') as HTMLTableElement;
  table.tBodies[0]!.replaceChildren(
    ...accounts.map((a) =>
      el(
        'tr',
        { 'data-account': a.email },
        el('td', {}, a.name),
        el('td', {}, a.email),
        el('td', {}, roleChoice(a)),
        el('td', {}, a.totp_enabled ? 'Activa' : 'No'),
        el('td', {}, a.language ? el('span', { lang: a.language }, LANGUAGE_NAMES[a.language]) : '—'),
        // `Activa` is also two-step sign-in's "On": an account's own English is given here.
        a.active ? el('td', { 'data-en': 'Active' }, 'Activa') : el('td', {}, 'Invitación enviada'),
        el('td', {}, removeButton(a)),
      ),
    ),
  );
  labelCells(table);
}

wireForm('account-form', load, (d) => {
  const password = String(d.get('password') ?? '');
  const language = String(d.get('language') ?? '');
  const body = { name: d.get('name'), email: d.get('email'), role: d.get('role'), ...(password ? { password } : {}), ...(language ? { language } : {}) };
  return inAccountWords(adminFetch('/api/admin/accounts', { method: 'POST', body: JSON.stringify(body) }));
});

withAdminSession(load);
