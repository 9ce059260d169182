/**
 * The subscribers screen: search by address, filter by component and status (bounces and complaints are the
 * suppressed), remove a person (their data and queued mail erased), export, and import a CSV after seeing its rows
 * and the ones that cannot be read; the server's verdict on each row follows.
 */
import { adminFetch, el, formatInstant, labelCells, withAdminToken } from '../admin-api.ts';
import { confirmInAdminLanguage } from '../admin-translate.ts';
import { previewCsv, type CsvPreview } from './csv-preview.ts';

type Subscriber = { id: string; email: string; status: string; components: string[]; locale: string; timezone: string; suppressed_at: string | null; suppressed_reason: string | null; unsubscribed_at: string | null };

const $ = (id: string) => document.getElementById(id)!;
const STATUS_WORDS: Record<string, string> = { confirmed: 'Confirmado', pending: 'Sin confirmar', unsubscribed: 'Dado de baja', suppressed: 'Bloqueado' };
const componentNames = Object.fromEntries(Array.from(($('subscriber-component') as HTMLSelectElement).options).filter((o) => o.value).map((o) => [o.value, o.textContent ?? o.value]));

function filters(): URLSearchParams {
  const query = new URLSearchParams();
  for (const [name, id] of [['q', 'subscriber-q'], ['component', 'subscriber-component'], ['status', 'subscriber-status']] as const) {
    const value = ($(id) as HTMLInputElement | HTMLSelectElement).value.trim();
    if (value) query.set(name, value);
  }
  return query;
}

function statusCell(s: Subscriber): HTMLElement {
  if (s.status === 'suppressed') return el('span', {}, el('span', { class: 'flag flag-bad' }, 'Bloqueado'), el('br', {}), el('small', { class: 'muted' }, `${s.suppressed_reason ?? 'rebote o queja'} · ${formatInstant(s.suppressed_at)}`));
  return el('span', {}, STATUS_WORDS[s.status] ?? s.status);
}

async function refresh(): Promise<void> {
  const query = filters();
  ($('subscriber-export') as HTMLAnchorElement).href = `/api/admin/subscribers/export${query.size ? `?${query}` : ''}`;
  query.set('limit', '200');
  const { subscribers, total } = await adminFetch<{ subscribers: Subscriber[]; total: number }>(`/api/admin/subscribers?${query}`);
  $('subscriber-total').textContent = `${total} ${total === 1 ? 'suscriptor' : 'suscriptores'}${total > subscribers.length ? `; se muestran los primeros ${subscribers.length}` : ''}.`;
  $('subscribers').querySelector('tbody')!.replaceChildren(
    ...(subscribers.length ? subscribers.map((s) => {
      const error = el('p', { class: 'error', role: 'alert' });
      const remove = el('button', { type: 'button', class: 'secondary' }, 'Eliminar');
      remove.setAttribute('aria-label', `Eliminar a ${s.email} y sus datos`);
      remove.addEventListener('click', async () => {
        if (!confirmInAdminLanguage(`¿Eliminar a ${s.email}? Se borran sus datos y el correo pendiente.`)) return;
        try {
          await adminFetch(`/api/admin/subscribers/${encodeURIComponent(s.id)}`, { method: 'DELETE' });
        } catch (e) {
          error.textContent = (e as Error).message;
          return;
        }
        await refresh();
      });
      return el('tr', { 'data-subscriber-id': s.id },
        el('td', {}, s.email), el('td', {}, statusCell(s)),
        el('td', {}, s.components.length ? s.components.map((c) => componentNames[c] ?? c).join(', ') : 'Todos'),
        el('td', {}, `${s.locale} · ${s.timezone}`),
        el('td', { class: 'actions-cell' }, remove, error),
      );
    }) : [el('tr', {}, el('td', { colspan: '5', class: 'muted' }, 'Ningún suscriptor coincide.'))]),
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
