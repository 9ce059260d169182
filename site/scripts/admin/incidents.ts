/**
 * The incidents screen: open incidents with their SLA targets and what can be done to each (post an update whose
 * status starts at the current one, escalate or lower with a reason, resolve); declaring one, from a template when
 * one fits; resolved incidents by month, each with its postmortem.
 */
import { adminFetch, el, formatDuration, formatInstant, labelCells, withAdminToken } from '../admin-api.ts';
import { adminLang } from '../admin-lang.ts';
import { incidentStatusWord } from '../admin-words.ts';
import { levelLabel, readLevelNames } from './level-names.ts';
import { localToIso, wireForm } from './forms.ts';

type Incident = {
  id: string; name: string; status: string; severity: number; started_at?: string; created_at: string; resolved_at: string | null;
  sla: { response_due_at: string | null; resolution_due_at: string | null; responded_at: string | null };
  sla_alerts: { target: string; due_at: string; breached: boolean }[];
  incident_updates?: { status: string; body: string; display_at: string; posted_by?: string | null }[];
};

const $ = (id: string) => document.getElementById(id)!;
const severityNames = readLevelNames($('incidents'));
const severityLabel = (level: number) => levelLabel(severityNames, level);
// With a priority × impact policy: the choices for changing either on an open incident.
type Choice = { id: string; name: string; en?: string };
const matrix = JSON.parse($('incidents').dataset.matrix ?? 'null') as { priorities: Choice[]; impacts: Choice[] } | null;
/** The level a form asks for: priority and impact with a matrix, else the severity; fields left empty are not sent. */
const levelFields = (data: FormData) =>
  Object.fromEntries(
    (['severity', 'priority', 'impact'] as const)
      .filter((key) => data.get(key))
      .map((key) => [key, key === 'severity' ? Number(data.get(key)) : String(data.get(key))]),
  );
// The statuses an update may set, in the order an incident goes through them.
const UPDATE_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'];

/** A small form of the row: sends `body()` as an update and redraws the screen, or says why it was refused. */
function updateForm(i: Incident, className: string, fields: HTMLElement[], submitLabel: string, body: (d: FormData) => Record<string, unknown>): HTMLFormElement {
  const error = el('p', { class: 'error', role: 'alert' });
  const form = el('form', { class: className }, ...fields, el('button', { type: 'submit' }, submitLabel), error);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    try {
      await adminFetch(`/api/admin/incidents/${i.id}/updates`, { method: 'POST', body: JSON.stringify(body(new FormData(form))) });
    } catch (e) {
      error.textContent = (e as Error).message;
      return;
    }
    await refresh();
  });
  return form;
}

function statusSelect(i: Incident): HTMLSelectElement {
  // The status stays what it is unless the admin changes it.
  const statuses = UPDATE_STATUSES.includes(i.status) ? UPDATE_STATUSES : [i.status, ...UPDATE_STATUSES];
  return el('select', { name: 'status', 'aria-label': `Nuevo estado de «${i.name}»` }, ...statuses.map((s) => {
    const option = el('option', { value: s }, incidentStatusWord(s));
    option.selected = s === i.status;
    return option;
  }));
}

function actions(i: Incident): HTMLElement {
  const update = updateForm(i, 'row update-form', [
    statusSelect(i),
    el('input', { name: 'message', required: '', placeholder: 'Mensaje', 'aria-label': `Mensaje de la actualización de «${i.name}»` }),
  ], 'Publicar', (d) => ({ status: d.get('status'), message: d.get('message') }));

  const levels = Object.keys(severityNames).map(Number).filter((level) => level !== i.severity);
  const cellSelect = (name: 'priority' | 'impact', label: string, choices: Choice[]) =>
    el('label', {}, label, el('select', { name }, el('option', { value: '' }, 'Sin cambio'), ...choices.map((c) => el('option', { value: c.id }, (adminLang() === 'en' ? c.en : null) ?? c.name))));
  const levelChoice = matrix
    ? [cellSelect('priority', 'Nueva prioridad', matrix.priorities), cellSelect('impact', 'Nuevo impacto', matrix.impacts)]
    : [el('label', {}, 'Nueva severidad', el('select', { name: 'severity' }, ...levels.map((l) => el('option', { value: String(l) }, `${severityLabel(l)}${l < i.severity ? ' (escalar)' : ' (bajar)'}`))))];
  const severity = updateForm(i, 'stack', [
    ...levelChoice,
    el('label', {}, 'Motivo (se publica con la actualización)', el('input', { name: 'reason', required: '', maxlength: '2000' })),
  ], matrix ? 'Cambiar prioridad o impacto' : 'Cambiar la severidad', (d) => ({ status: i.status, ...levelFields(d), severity_reason: d.get('reason'), message: d.get('reason') }));

  const resolve = updateForm(i, 'stack', [
    el('label', {}, 'Mensaje de cierre', el('textarea', { name: 'message', required: '', rows: '2' }, 'El servicio funciona con normalidad.')),
  ], 'Resolver', (d) => ({ status: 'resolved', message: d.get('message') }));

  return el('div', { class: 'actions' },
    update,
    el('details', {}, el('summary', {}, `Escalar o bajar «${i.name}»`), severity),
    el('details', {}, el('summary', {}, `Resolver «${i.name}»`), resolve),
    history(i),
  );
}

/** Every update of the incident with who posted it (an account's e-mail or an API token's name), newest first as the API gives them. */
function history(i: Incident): HTMLElement {
  const updates = i.incident_updates ?? [];
  return el('details', { class: 'history' }, el('summary', {}, `Historial de «${i.name}»`),
    el('ol', { class: 'updates' }, ...updates.map((u) =>
      el('li', {},
        el('strong', {}, incidentStatusWord(u.status)), ' · ', formatInstant(u.display_at), ' · ',
        el('span', { class: 'posted-by' }, u.posted_by ? `por ${u.posted_by}` : 'automática o del proveedor'),
        el('br', {}), u.body,
      ),
    )),
  );
}

async function loadOpen(): Promise<void> {
  const { incidents } = await adminFetch<{ incidents: Incident[] }>('/api/admin/incidents?status=open');
  $('incidents').querySelector('tbody')!.replaceChildren(
    ...(incidents.length ? incidents.map((i) =>
      el('tr', { 'data-incident-id': i.id, id: `incident-${i.id}` },
        el('td', {}, el('a', { href: `/incidents/${i.id}/` }, i.name)),
        el('td', {}, severityLabel(i.severity)),
        el('td', {}, incidentStatusWord(i.status)),
        el('td', {}, formatInstant(i.sla.response_due_at), i.sla.responded_at ? el('span', { class: 'muted' }, ' (respondido)') : null),
        el('td', {}, formatInstant(i.sla.resolution_due_at)),
        el('td', {}, ...i.sla_alerts.map((a) => el('span', { class: `flag ${a.breached ? 'flag-bad' : 'flag-warn'}` }, `${a.target === 'response' ? 'Respuesta' : 'Solución'} ${a.breached ? 'vencida' : 'por vencer'}`))),
        el('td', { class: 'actions-cell' }, actions(i)),
      ),
    ) : [el('tr', {}, el('td', { colspan: '7', class: 'muted' }, 'No hay incidentes abiertos.'))]),
  );
  labelCells($('incidents') as HTMLTableElement);
}

/** `YYYY-MM` of an instant in the admin's zone. */
const localMonth = (iso: string) => {
  const d = new Date(iso);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
};

async function loadResolved(): Promise<void> {
  const month = ($('resolved-month') as HTMLInputElement).value;
  const text = ($('resolved-text') as HTMLInputElement).value.trim().toLocaleLowerCase('es');
  const { incidents } = await adminFetch<{ incidents: Incident[] }>('/api/admin/incidents?status=resolved');
  const found = incidents
    .filter((i) => i.resolved_at && (!month || localMonth(i.resolved_at) === month || localMonth(i.started_at ?? i.created_at) === month))
    .filter((i) => !text || `${i.name} ${(i.incident_updates ?? []).map((u) => u.body).join(' ')}`.toLocaleLowerCase('es').includes(text))
    .sort((a, b) => Date.parse(b.resolved_at!) - Date.parse(a.resolved_at!));
  $('resolved').querySelector('tbody')!.replaceChildren(
    ...(found.length ? found.map((i) => {
      const written = (i.incident_updates ?? []).find((u) => u.status === 'postmortem');
      const postmortem = written
        ? el('span', {}, el('span', { class: 'flag flag-ok' }, 'Publicado'), ' ', written.body.length > 120 ? `${written.body.slice(0, 120)}…` : written.body)
        : el('details', {}, el('summary', {}, `Escribir el postmortem de «${i.name}»`),
            updateForm(i, 'stack', [el('label', {}, 'Postmortem: qué pasó, por qué y qué cambia', el('textarea', { name: 'message', required: '', rows: '5' }))], 'Publicar el postmortem', (d) => ({ status: 'postmortem', message: d.get('message') })));
      const start = i.started_at ?? i.created_at;
      return el('tr', { 'data-incident-id': i.id },
        el('td', {}, el('a', { href: `/incidents/${i.id}/` }, i.name)),
        el('td', {}, severityLabel(i.severity)),
        el('td', {}, formatInstant(start)),
        el('td', {}, formatInstant(i.resolved_at), el('br', {}), el('small', { class: 'muted' }, `duró ${formatDuration(Date.parse(i.resolved_at!) - Date.parse(start))}`)),
        el('td', { class: 'actions-cell' }, postmortem),
      );
    }) : [el('tr', {}, el('td', { colspan: '5', class: 'muted' }, 'Ningún incidente resuelto coincide.'))]),
  );
  labelCells($('resolved') as HTMLTableElement);
}

async function refresh(): Promise<void> {
  await loadOpen();
  await loadResolved();
}

/** A template as the admin API gives it: the config's, else the shipped ones. */
type IncidentTemplate = {
  id: string; severity: number | null; priority: string | null; impact: string | null; components: string[];
  title: Record<string, string> & { es: string; en: string }; message: Record<string, string> & { es: string; en: string };
};

/**
 * The templates are read from the admin API, not built into the page: they are the provider's drafts, kept out of
 * the public documents the site is built from. A template fills the form in the console's language (title, message,
 * level, components); the admin reads and edits it before declaring.
 */
async function wireTemplates(): Promise<void> {
  const form = $('incident-form') as HTMLFormElement;
  const select = $('template') as HTMLSelectElement;
  let templates: IncidentTemplate[];
  try {
    ({ templates } = await adminFetch<{ templates: IncidentTemplate[] }>('/api/admin/incident-templates'));
  } catch (e) {
    form.querySelector('.error')!.textContent = (e as Error).message;
    return;
  }
  select.append(...templates.map((t) => el('option', { value: t.id }, t.title[adminLang()] ?? t.title.es)));
  select.dataset.loaded = String(templates.length);
  select.addEventListener('change', () => {
    const chosen = templates.find((t) => t.id === select.value);
    if (!chosen) return;
    (form.elements.namedItem('title') as HTMLInputElement).value = chosen.title[adminLang()] ?? chosen.title.es;
    (form.elements.namedItem('message') as HTMLTextAreaElement).value = chosen.message[adminLang()] ?? chosen.message.es;
    // The policy's way of naming a level: a severity, or with a matrix the cell's priority and impact.
    for (const [name, value] of [['severity', chosen.severity], ['priority', chosen.priority], ['impact', chosen.impact]] as const) {
      const field = form.elements.namedItem(name) as HTMLSelectElement | null;
      if (field && value !== null) field.value = String(value);
    }
    // A template that names its components ticks exactly those; one that names none leaves the choice as it is.
    if (chosen.components.length) {
      for (const box of Array.from(form.querySelectorAll<HTMLInputElement>('input[type=checkbox][name=components]'))) box.checked = chosen.components.includes(box.value);
    }
  });
}

/** The e-mail the incident being written would send, from the server's own templates; nothing is queued. */
function wirePreview(): void {
  const form = $('incident-form') as HTMLFormElement;
  const box = $('mail-preview');
  $('preview-button').addEventListener('click', async () => {
    const error = form.querySelector('.error')!;
    error.textContent = '';
    const d = new FormData(form);
    let preview: { subject: string; html: string };
    try {
      ({ preview } = await adminFetch<{ preview: { subject: string; html: string } }>('/api/admin/previews/incident', {
        method: 'POST',
        body: JSON.stringify({ title: d.get('title'), ...levelFields(d), message: d.get('message') ?? '', components: d.getAll('components').map(String), locale: 'es' }),
      }));
    } catch (e) {
      error.textContent = (e as Error).message;
      return;
    }
    $('preview-subject').textContent = preview.subject;
    // A sandboxed frame: the mail's markup is shown, never run, and cannot reach the console.
    const frame = el('iframe', { title: 'Vista previa del correo', sandbox: '', class: 'mail-frame' });
    frame.srcdoc = preview.html;
    box.querySelector('iframe')?.remove();
    box.append(frame);
    box.hidden = false;
  });
}

wirePreview();
wireForm('incident-form', refresh, (d) =>
  adminFetch('/api/admin/incidents', { method: 'POST', body: JSON.stringify({ title: d.get('title'), ...levelFields(d), message: d.get('message'), components: d.getAll('components').map(String), started_at: localToIso(String(d.get('started_at') ?? '')) }) }),
);
$('resolved-filter').addEventListener('submit', (event) => {
  event.preventDefault();
  void loadResolved();
});
withAdminToken(async () => {
  await wireTemplates();
  await refresh();
});
