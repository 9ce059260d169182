/**
 * The sources screen: every provider's page we follow, with its state and last error, paused, resumed or polled now
 * from its row; and adding one by the address of its status page, the format proposed by the detector. The
 * components the provider's page names are chosen from its own list (when adding it, and afterwards for each source),
 * and the last raw payload read from it is shown as text, never as markup.
 */
import { adminFetch, el, formatInstant, labelCells, withAdminToken } from '../admin-api.ts';
import { componentStateWord, sourceTypeWord } from '../admin-words.ts';
import { adminWords } from '../admin-lang.ts';
import { groupedByPage, prettyPayload, type PageComponent } from './upstream-components.ts';

type Source = { id: string; name: string; type: string; url: string; state: string; paused: boolean; origin: string; last_success_at: string | null; last_error: string | null; last_error_at: string | null; consecutive_failures: number; next_poll_at: string | null };
type Listed = { setting: string | null; components: PageComponent[]; error: string | null };
type Followed = { setting: string | null; error: string | null; source_id: string; follows_all: boolean; read_at: string | null; components: (PageComponent & { followed: boolean })[] };
type Payload = {
  bodies: { endpoint: string; stored_at: string; bytes: number; format: string; content_type: string | null; body: string }[];
  last_error: string | null;
  last_error_at: string | null;
  failed_at: 'fetch' | 'body' | 'internal' | null;
};

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

/**
 * The provider's components as checkboxes, grouped as its page groups them; `checked` are ticked. A page without
 * groups is one plain list.
 */
function upstreamPicker(components: PageComponent[], checked: (c: PageComponent) => boolean, legend: string, disabled: boolean): HTMLFieldSetElement {
  const groups = groupedByPage(components);
  const labelled = groups.some((g) => g.name !== null);
  const box = (c: PageComponent) => {
    const input = el('input', { type: 'checkbox', name: 'follow', value: c.id });
    input.checked = checked(c);
    input.disabled = disabled;
    return el('label', {}, input, ` ${c.name}`);
  };
  return el('fieldset', { class: 'component-picker' }, el('legend', {}, legend),
    ...groups.map((g) => (labelled
      ? el('div', { class: 'component-group', role: 'group', 'aria-label': g.name ?? 'Otros componentes' }, el('span', { class: 'muted', 'aria-hidden': 'true' }, g.name ?? 'Otros componentes'), ...g.items.map(box))
      : el('div', { class: 'component-group' }, ...g.items.map(box)))),
  );
}

const checkedIn = (root: HTMLElement) => Array.from(root.querySelectorAll<HTMLInputElement>('input[name=follow]:checked'), (i) => i.value);

/** The source whose components and last payload are shown below the table. */
let shown: Source | null = null;

function detailButton(s: Source): HTMLButtonElement {
  // Reading only: a viewer may open it too (`data-read`).
  const button = el('button', { type: 'button', class: 'secondary', 'data-read': '' }, `Componentes y última respuesta de «${s.name}»`);
  button.addEventListener('click', async () => {
    shown = s;
    await showDetail(true);
  });
  return button;
}

async function showDetail(focus: boolean): Promise<void> {
  if (!shown) return;
  const s = shown;
  const section = $('source-detail');
  section.hidden = false;
  $('source-detail-title').textContent = `«${s.name}»: componentes del proveedor`;
  const form = $('follow-form') as HTMLFormElement;
  form.querySelector('.form-error')!.textContent = '';
  $('follow-saved').textContent = '';
  if (focus) $('source-detail-title').focus();
  await Promise.all([showFollowed(s), payloadDetails().open ? showPayload(s) : Promise.resolve()]);
}

async function showFollowed(s: Source): Promise<void> {
  const list = $('follow-list');
  const save = $('follow-save') as HTMLButtonElement;
  const view = await adminFetch<Followed>(`/api/admin/sources/${encodeURIComponent(s.id)}/upstream-components`);
  const editable = s.origin === 'admin' && view.setting !== null && view.components.length > 0;
  save.hidden = !editable;
  const notes: HTMLElement[] = [];
  if (view.setting === null) notes.push(el('p', { class: 'muted' }, 'Este formato no nombra componentes: se sigue toda la página.'));
  else if (view.error) notes.push(el('p', { class: 'error' }, `No se pudo leer la lista de componentes: ${view.error}`));
  else if (view.components.length === 0) {
    notes.push(el('p', { class: 'muted' }, view.read_at ? 'La página del proveedor no nombra componentes.' : 'Aún no se ha leído la página del proveedor: consúltela ahora para ver sus componentes.'));
  } else {
    notes.push(el('p', { class: 'muted' }, view.follows_all ? 'Se sigue toda la página. Desmarque los componentes que no le conciernen.' : 'Solo los componentes marcados cambian el estado de esta fuente.'));
    if (s.origin !== 'admin') notes.push(el('p', { class: 'muted' }, 'Esta fuente viene del archivo de configuración: sus componentes se eligen allí.'));
    if (view.read_at) notes.push(el('p', { class: 'muted' }, `Lista leída de la página el ${formatInstant(view.read_at)}.`));
  }
  list.replaceChildren(
    ...notes,
    ...(view.components.length ? [upstreamPicker(view.components, (c) => view.components.find((x) => x.id === c.id)?.followed ?? false, 'Componentes de la página del proveedor que se siguen', !editable)] : []),
  );
}

$('follow-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!shown) return;
  const s = shown;
  const form = $('follow-form') as HTMLFormElement;
  const error = form.querySelector('.form-error')!;
  error.textContent = '';
  $('follow-saved').textContent = '';
  const boxes = form.querySelectorAll('input[name=follow]');
  const ids = checkedIn(form);
  if (ids.length === 0) {
    error.textContent = 'Marque al menos un componente (o todos, para seguir toda la página).';
    return;
  }
  try {
    await adminFetch(`/api/admin/sources/${encodeURIComponent(s.id)}/upstream-components`, { method: 'PUT', body: JSON.stringify({ follow: ids.length === boxes.length ? 'all' : ids }) });
  } catch (e) {
    error.textContent = (e as Error).message;
    return;
  }
  await showFollowed(s);
  $('follow-saved').textContent = 'Guardado. La próxima consulta lee la página completa de nuevo.';
});

const BYTES = () => new Intl.NumberFormat(adminWords().dateLocale);

/** Where the last poll failed, said so the admin knows whether the body below is what broke. */
const FAILED_AT: Record<string, string> = {
  body: 'La última consulta recibió una respuesta que no se pudo leer:',
  fetch: 'La última consulta no obtuvo respuesta:',
  internal: 'La última consulta falló:',
};

async function showPayload(s: Source): Promise<void> {
  const box = $('payload');
  box.replaceChildren(el('p', { class: 'muted' }, 'Cargando…'));
  const payload = await adminFetch<Payload>(`/api/admin/sources/${encodeURIComponent(s.id)}/payload`);
  const parts: HTMLElement[] = [];
  if (payload.last_error) {
    parts.push(el('p', { class: 'error' }, el('span', {}, FAILED_AT[payload.failed_at ?? 'fetch'] ?? FAILED_AT.fetch!), ' ', el('span', {}, payload.last_error), ` (${formatInstant(payload.last_error_at)})`));
    if (payload.bodies.length) parts.push(el('p', { class: 'muted' }, 'Abajo, la última respuesta buena que se guardó.'));
  }
  if (!payload.bodies.length) parts.push(el('p', { class: 'muted' }, 'Aún no se ha guardado ninguna respuesta de este proveedor.'));
  for (const b of payload.bodies) {
    // Text only: whatever the provider sent is never parsed as markup here.
    const pre = el('pre', { class: 'payload', tabindex: '0', role: 'region', 'aria-label': `Respuesta «${b.endpoint}»` });
    pre.textContent = prettyPayload(b.body, b.format);
    parts.push(
      el('h3', {}, b.endpoint),
      el('p', { class: 'muted' }, `${BYTES().format(b.bytes)} bytes · ${b.content_type ?? '—'} · `, el('span', {}, `guardada el ${formatInstant(b.stored_at)}`)),
      pre,
    );
  }
  box.replaceChildren(...parts);
}

/** The folded payload, drawn once a source is shown (a folded block in a hidden section would be one nobody can open). */
function payloadDetails(): HTMLDetailsElement {
  const existing = document.getElementById('payload-details');
  if (existing) return existing as HTMLDetailsElement;
  const details = el('details', { id: 'payload-details' }, el('summary', {}, 'Última respuesta del proveedor'), el('div', { id: 'payload' }));
  details.addEventListener('toggle', () => {
    if (details.open && shown) void showPayload(shown).catch((e: Error) => $('payload').replaceChildren(el('p', { class: 'error' }, e.message)));
  });
  $('payload-slot').append(details);
  return details;
}

async function refresh(): Promise<void> {
  const { sources } = await adminFetch<{ sources: Source[] }>('/api/admin/sources');
  if (shown) shown = sources.find((s) => s.id === shown!.id) ?? null;
  if (!shown) $('source-detail').hidden = true;
  $('sources').querySelector('tbody')!.replaceChildren(
    ...(sources.length ? sources.map((s) => {
      const error = el('p', { class: 'error', role: 'alert' });
      const post = (path: string) => () => adminFetch(`/api/admin/sources/${encodeURIComponent(s.id)}/${path}`, { method: 'POST' });
      const buttons = el('div', { class: 'actions' },
        s.paused ? action(`Reanudar «${s.name}»`, post('resume'), error) : action(`Pausar «${s.name}»`, post('pause'), error),
        action(`Consultar «${s.name}» ahora`, post('poll'), error),
        detailButton(s),
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

/** What detection found to choose from, for the type it proposed. */
let choice: { type: string; setting: string } | null = null;

function showChoice(type: string, listed: Listed | null): void {
  const box = $('upstream-choice');
  choice = listed?.setting ? { type, setting: listed.setting } : null;
  if (!listed || !listed.setting || (!listed.components.length && !listed.error)) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  box.hidden = false;
  box.replaceChildren(
    listed.error
      ? el('p', { class: 'error' }, `No se pudo leer la lista de componentes: ${listed.error}`)
      : el('p', { class: 'muted' }, 'Marque los componentes del proveedor que le conciernen; sin ninguno marcado se sigue toda la página.'),
    ...(listed.components.length ? [upstreamPicker(listed.components, () => false, 'Componentes de la página del proveedor que se siguen', false)] : []),
  );
}

// A different address makes the list found for the last one meaningless.
$('source-url').addEventListener('input', () => showChoice('', null));

$('detect-button').addEventListener('click', async () => {
  const url = ($('source-url') as HTMLInputElement).value.trim();
  const result = $('detect-result');
  result.className = 'muted';
  result.textContent = 'Consultando la página…';
  try {
    const answer = await adminFetch<{ detected: { type: string; url: string }; upstream_components: Listed }>('/api/admin/sources/detect', { method: 'POST', body: JSON.stringify({ url }) });
    const { detected } = answer;
    ($('source-type') as HTMLSelectElement).value = detected.type;
    result.className = '';
    result.textContent = `Formato propuesto: ${sourceTypeWord(detected.type)} (${detected.url}).`;
    showChoice(detected.type, answer.upstream_components);
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
  const follow = d.getAll('follow').map(String);
  // The choice is the detected type's setting; another type chosen by hand names its components otherwise.
  const settings = choice && follow.length && d.get('type') === choice.type ? { [choice.setting]: follow } : {};
  const body = { id: ($('source-id') as HTMLInputElement).value.trim(), name: ($('source-name') as HTMLInputElement).value.trim(), type: d.get('type'), url: String(d.get('url') ?? '').trim(), settings, component_ids: d.getAll('component_ids').map(String) };
  try {
    await adminFetch('/api/admin/sources', { method: 'POST', body: JSON.stringify(body) });
  } catch (e) {
    error.textContent = (e as Error).message;
    return;
  }
  form.reset();
  $('detect-result').textContent = '';
  showChoice('', null);
  await refresh();
});

withAdminToken(refresh);
