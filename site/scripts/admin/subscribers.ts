/**
 * The subscribers screen: search by address, filter by channel, component and status (bounces and complaints are the
 * suppressed), remove a person (their data and queued mail erased) or a webhook or chat subscription, export the
 * e-mail subscribers, and import a CSV after seeing its rows and the ones that cannot be read; the server's verdict on
 * each row follows. E-mail subscribers and channel subscriptions come from two lists of the API (an address or a URL,
 * states of their own) and are shown in one table, e-mail first.
 */
import { adminFetch, el, formatInstant, labelCells, withAdminToken } from '../admin-api.ts';
import { channelWord } from '../admin-words.ts';
import { confirmInAdminLanguage } from '../admin-translate.ts';
import { previewCsv, type CsvPreview } from './csv-preview.ts';

type Subscriber = { id: string; email: string; status: string; components: string[]; locale: string; timezone: string; suppressed_at: string | null; suppressed_reason: string | null; unsubscribed_at: string | null };
type ChannelSubscription = {
  id: string; channel: string; url: string; state: string; team: boolean; components: string[]; locale: string; timezone: string;
  failure_count: number; failing_since: string | null; disabled_at: string | null; disabled_reason: string | null;
};

const $ = (id: string) => document.getElementById(id)!;
const STATUS_WORDS: Record<string, string> = { confirmed: 'Confirmado', pending: 'Sin confirmar', unsubscribed: 'Dado de baja', suppressed: 'Bloqueado' };
const CHANNEL_STATE_WORDS: Record<string, string> = { confirmed: 'Activo', pending: 'Sin confirmar', paused: 'En pausa' };
/** The states each list knows: a state of the other list alone leaves this one out. */
const EMAIL_STATES = ['confirmed', 'pending', 'unsubscribed', 'suppressed'];
const CHANNEL_STATES = ['confirmed', 'pending', 'paused', 'disabled', 'failing'];
const componentNames = Object.fromEntries(Array.from(($('subscriber-component') as HTMLSelectElement).options).filter((o) => o.value).map((o) => [o.value, o.textContent ?? o.value]));
const value = (id: string) => ($(id) as HTMLInputElement | HTMLSelectElement).value.trim();

function filters(): URLSearchParams {
  const query = new URLSearchParams();
  for (const [name, id] of [['q', 'subscriber-q'], ['component', 'subscriber-component'], ['status', 'subscriber-status']] as const) {
    if (value(id)) query.set(name, value(id));
  }
  return query;
}

/** Which lists the filter asks for: by the chosen channel, and the chosen state when only one list has it. */
function wanted(): { email: boolean; channels: string | null } {
  const channel = value('subscriber-channel');
  const status = value('subscriber-status');
  return {
    email: (channel === '' || channel === 'email') && (status === '' || EMAIL_STATES.includes(status)),
    channels: channel !== 'email' && (status === '' || CHANNEL_STATES.includes(status)) ? channel : null,
  };
}

function statusCell(s: Subscriber): HTMLElement {
  if (s.status === 'suppressed') return el('span', {}, el('span', { class: 'flag flag-bad' }, 'Bloqueado'), el('br', {}), el('small', { class: 'muted' }, `${s.suppressed_reason ?? 'rebote o queja'} · ${formatInstant(s.suppressed_at)}`));
  return el('span', {}, STATUS_WORDS[s.status] ?? s.status);
}

function channelStateCell(s: ChannelSubscription): HTMLElement {
  if (s.state === 'failing') return el('span', {}, el('span', { class: 'flag flag-warn' }, 'Con entregas fallidas'), el('br', {}), el('small', { class: 'muted' }, `${s.failure_count} entregas fallidas desde ${formatInstant(s.failing_since)}`));
  if (s.state === 'disabled') return el('span', {}, el('span', { class: 'flag flag-bad' }, 'Desactivado'), el('br', {}), el('small', { class: 'muted' }, `${s.disabled_reason ?? ''} · ${formatInstant(s.disabled_at)}`));
  return el('span', {}, CHANNEL_STATE_WORDS[s.state] ?? s.state);
}

const componentsCell = (ids: string[]) => el('td', {}, ids.length ? ids.map((c) => componentNames[c] ?? c).join(', ') : 'Todos');

/** A remove button that asks first, then redraws the list or says why the server refused. */
function removeAction(label: string, question: string, path: string): HTMLElement {
  const error = el('p', { class: 'error', role: 'alert' });
  const remove = el('button', { type: 'button', class: 'secondary', 'aria-label': label }, 'Eliminar');
  remove.addEventListener('click', async () => {
    if (!confirmInAdminLanguage(question)) return;
    try {
      await adminFetch(path, { method: 'DELETE' });
    } catch (e) {
      error.textContent = (e as Error).message;
      return;
    }
    await refresh();
  });
  return el('td', { class: 'actions-cell' }, remove, error);
}

function emailRow(s: Subscriber): HTMLElement {
  return el('tr', { 'data-subscriber-id': s.id },
    el('td', {}, s.email), el('td', {}, channelWord('email')), el('td', {}, statusCell(s)),
    componentsCell(s.components),
    el('td', {}, `${s.locale} · ${s.timezone}`),
    removeAction(`Eliminar a ${s.email} y sus datos`, `¿Eliminar a ${s.email}? Se borran sus datos y el correo pendiente.`, `/api/admin/subscribers/${encodeURIComponent(s.id)}`),
  );
}

function channelRow(s: ChannelSubscription): HTMLElement {
  // The URL arrives redacted; a team channel is changed in the config file, so it has no remove button.
  const name = `${channelWord(s.channel)} ${s.url}`;
  return el('tr', { 'data-channel-subscription-id': s.id },
    el('td', {}, el('code', { class: 'url' }, s.url)), el('td', {}, channelWord(s.channel)), el('td', {}, channelStateCell(s)),
    componentsCell(s.components),
    el('td', {}, `${s.locale} · ${s.timezone}`),
    s.team
      ? el('td', { class: 'actions-cell muted' }, 'Canal del equipo (archivo de configuración)')
      : removeAction(`Eliminar la suscripción ${name}`, `¿Eliminar la suscripción ${name}? Se borra con los avisos pendientes.`, `/api/admin/subscribers/channels/${encodeURIComponent(s.id)}`),
  );
}

async function refresh(): Promise<void> {
  const query = filters();
  const lists = wanted();
  const exportLink = $('subscriber-export') as HTMLAnchorElement;
  exportLink.href = `/api/admin/subscribers/export${query.size ? `?${query}` : ''}`;
  exportLink.hidden = !lists.email;
  query.set('limit', '200');
  const channelQuery = new URLSearchParams(query);
  if (lists.channels) channelQuery.set('channel', lists.channels);
  const [email, channels] = await Promise.all([
    lists.email ? adminFetch<{ subscribers: Subscriber[]; total: number }>(`/api/admin/subscribers?${query}`) : { subscribers: [], total: 0 },
    lists.channels !== null ? adminFetch<{ subscriptions: ChannelSubscription[]; total: number }>(`/api/admin/subscribers/channels?${channelQuery}`) : { subscriptions: [], total: 0 },
  ]);
  const total = email.total + channels.total;
  const shown = email.subscribers.length + channels.subscriptions.length;
  $('subscriber-total').textContent = `${total} ${total === 1 ? 'suscriptor' : 'suscriptores'}${total > shown ? `; se muestran los primeros ${shown}` : ''}.`;
  $('subscribers').querySelector('tbody')!.replaceChildren(
    ...(shown ? [...email.subscribers.map(emailRow), ...channels.subscriptions.map(channelRow)] : [el('tr', {}, el('td', { colspan: '6', class: 'muted' }, 'Ningún suscriptor coincide.'))]),
  );
  labelCells($('subscribers') as HTMLTableElement);
}

let preview: CsvPreview | null = null;

function drawPreview(): void {
  const box = $('import-preview');
  if (!preview) return void box.replaceChildren();
  const shown = preview.rows.slice(0, 10);
  box.replaceChildren(
    el('p', {}, `${preview.rows.length} ${preview.rows.length === 1 ? 'fila lista' : 'filas listas'} para importar${preview.errors.length ? `; ${preview.errors.length} no se pueden leer` : ''}.`),
    ...(preview.errors.length ? [el('ul', { class: 'error-list' }, ...preview.errors.map((e) => el('li', {}, `Fila ${e.row}: ${e.message}`)))] : []),
    ...(shown.length ? [el('div', { class: 'table-scroll', role: 'region', 'aria-label': 'Primeras filas del archivo', tabindex: '0' },
      el('table', { class: 'data' },
        el('thead', {}, el('tr', {}, el('th', {}, 'Fila'), el('th', {}, 'Dirección'), el('th', {}, 'Componentes'), el('th', {}, 'Idioma'), el('th', {}, 'Zona'))),
        el('tbody', {}, ...shown.map((r) => el('tr', {}, el('td', {}, String(r.row)), el('td', {}, r.email), el('td', {}, r.components.join(', ') || 'Todos'), el('td', {}, r.locale ?? '—'), el('td', {}, r.timezone ?? '—')))),
      ))] : []),
  );
  ($('import-send') as HTMLButtonElement).disabled = preview.rows.length === 0;
}

$('import-file').addEventListener('change', async () => {
  const file = ($('import-file') as HTMLInputElement).files?.[0];
  $('import-result').replaceChildren();
  preview = file ? previewCsv(await file.text()) : null;
  drawPreview();
});

$('import-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!preview?.rows.length) return;
  const form = $('import-form');
  const error = form.querySelector('.error')!;
  error.textContent = '';
  const rows = preview.rows;
  let result: { created: number; updated: number; unchanged: number; errors: { row: number; message: string }[] };
  try {
    result = await adminFetch('/api/admin/subscribers/import', {
      method: 'POST',
      body: JSON.stringify({
        consent_source: ($('import-consent') as HTMLInputElement).value.trim() || undefined,
        subscribers: rows.map((r) => ({ email: r.email, ...(r.components.length ? { components: r.components } : {}), ...(r.locale ? { locale: r.locale } : {}), ...(r.timezone ? { timezone: r.timezone } : {}) })),
      }),
    });
  } catch (e) {
    error.textContent = (e as Error).message;
    return;
  }
  // The server numbers the rows it was sent; the admin knows them by their line in the file.
  const refused = result.errors.map((e) => `Fila ${rows[e.row - 1]?.row ?? e.row}: ${e.message}`);
  $('import-result').replaceChildren(
    el('p', { 'data-import': 'done' }, `Importación terminada: ${result.created} nuevos, ${result.updated} actualizados, ${result.unchanged} sin cambios, ${result.errors.length} rechazados.`),
    ...(refused.length ? [el('ul', { class: 'error-list' }, ...refused.map((line) => el('li', {}, line)))] : []),
  );
  preview = null;
  (form as HTMLFormElement).reset();
  drawPreview();
  await refresh();
});

$('subscriber-filter').addEventListener('submit', (event) => {
  event.preventDefault();
  void refresh();
});
withAdminToken(refresh);
