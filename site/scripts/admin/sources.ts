/**
 * The sources screen: every provider's page we follow, with its state and last error, paused, resumed or polled now
 * from its row; and adding one by the address of its status page, the format proposed by the detector.
 */
import { adminFetch, el, formatInstant, labelCells, withAdminToken } from '../admin-api.ts';
import { componentStateWord, sourceTypeWord } from '../admin-words.ts';

type Source = { id: string; name: string; type: string; url: string; state: string; paused: boolean; origin: string; last_success_at: string | null; last_error: string | null; last_error_at: string | null; consecutive_failures: number; next_poll_at: string | null };

const $ = (id: string) => document.getElementById(id)!;
const form = $('source-form') as HTMLFormElement;

function action(label: string, run: () => Promise<unknown>, error: HTMLElement): HTMLButtonElement {
  const button = el('button', { type: 'button', class: 'secondary' }, label);
  button.addEventListener('click', async () => {
    error.textContent = '';
    button.disabled = true;
    try {
      await run();
      await refresh();
    } catch (e) {
      error.textContent = (e as Error).message;
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

async function refresh(): Promise<void> {
  const { sources } = await adminFetch<{ sources: Source[] }>('/api/admin/sources');
  $('sources').querySelector('tbody')!.replaceChildren(
    ...(sources.length ? sources.map((s) => {
      const error = el('p', { class: 'error', role: 'alert' });
      const post = (path: string) => () => adminFetch(`/api/admin/sources/${encodeURIComponent(s.id)}/${path}`, { method: 'POST' });
      const buttons = el('div', { class: 'actions' },
        s.paused ? action(`Reanudar «${s.name}»`, post('resume'), error) : action(`Pausar «${s.name}»`, post('pause'), error),
        action(`Consultar «${s.name}» ahora`, post('poll'), error),
      );
      return el('tr', { 'data-source-id': s.id },
        el('td', {}, s.name, el('br', {}), el('small', { class: 'muted' }, s.url)),
        el('td', {}, sourceTypeWord(s.type)),
        el('td', {}, el('span', { class: `state state-${s.paused ? 'unknown' : s.state}` }, s.paused ? 'En pausa' : componentStateWord(s.state)),
          s.consecutive_failures ? el('small', { class: 'muted' }, ` · ${s.consecutive_failures} fallos seguidos`) : null),
        el('td', {}, formatInstant(s.last_success_at)),
        el('td', {}, s.last_error ? `${s.last_error} (${formatInstant(s.last_error_at)})` : ''),
        el('td', { class: 'actions-cell' }, buttons, error),
      );
    }) : [el('tr', {}, el('td', { colspan: '6', class: 'muted' }, 'No se vigila ningún proveedor.'))]),
  );
  labelCells($('sources') as HTMLTableElement);
}

/** A name and an id proposed from the address (`status.proveedor.com` → «proveedor»), kept if the admin typed one. */
function propose(url: string): void {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return;
  }
  const word = host.split('.').filter((p) => !['www', 'status', 'com', 'io', 'net', 'org', 'co', 'cloud'].includes(p))[0] ?? host;
  const name = $('source-name') as HTMLInputElement;
  const id = $('source-id') as HTMLInputElement;
  if (!name.value) name.value = word.charAt(0).toUpperCase() + word.slice(1);
  if (!id.value) id.value = word.toLowerCase().replace(/[^a-z0-9_-]/g, '-').slice(0, 64);
}

$('detect-button').addEventListener('click', async () => {
  const url = ($('source-url') as HTMLInputElement).value.trim();
  const result = $('detect-result');
  result.className = 'muted';
  result.textContent = 'Consultando la página…';
  try {
    const { detected } = await adminFetch<{ detected: { type: string; url: string } }>('/api/admin/sources/detect', { method: 'POST', body: JSON.stringify({ url }) });
    ($('source-type') as HTMLSelectElement).value = detected.type;
    result.className = '';
    result.textContent = `Formato propuesto: ${sourceTypeWord(detected.type)} (${detected.url}).`;
    propose(url);
  } catch (e) {
    result.className = 'error';
    result.textContent = (e as Error).message;
  }
});

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const error = form.querySelector('.form-error')!;
  error.textContent = '';
  const d = new FormData(form);
  propose(String(d.get('url') ?? ''));
  const body = { id: ($('source-id') as HTMLInputElement).value.trim(), name: ($('source-name') as HTMLInputElement).value.trim(), type: d.get('type'), url: String(d.get('url') ?? '').trim(), component_ids: d.getAll('component_ids').map(String) };
  try {
    await adminFetch('/api/admin/sources', { method: 'POST', body: JSON.stringify(body) });
  } catch (e) {
    error.textContent = (e as Error).message;
    return;
  }
  form.reset();
  $('detect-result').textContent = '';
  await refresh();
});

withAdminToken(refresh);
