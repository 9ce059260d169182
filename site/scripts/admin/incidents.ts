/** The incidents screen: open incidents with their SLA targets, an update form each, and the form to declare one. */
import { adminFetch, el, formatInstant, labelCells, withAdminToken } from '../admin-api.ts';
import { incidentStatusWord } from '../admin-words.ts';
import { localToIso, wireForm } from './forms.ts';

type Incident = { id: string; name: string; status: string; severity: number; sla: { response_due_at: string | null; resolution_due_at: string | null; responded_at: string | null }; sla_alerts: { target: string; due_at: string; breached: boolean }[] };

const $ = (id: string) => document.getElementById(id)!;
const severityNames = JSON.parse($('incidents').dataset.severityNames ?? '{}') as Record<string, string>;
const severityLabel = (level: number) => (severityNames[level] ? `${level} · ${severityNames[level]}` : String(level));
// The statuses an update may set, in the order an incident goes through them.
const UPDATE_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'];

function updateForm(i: Incident): HTMLFormElement {
  // The status stays what it is unless the admin changes it.
  const statuses = UPDATE_STATUSES.includes(i.status) ? UPDATE_STATUSES : [i.status, ...UPDATE_STATUSES];
  const error = el('p', { class: 'error', role: 'alert' });
  const form = el('form', { class: 'row update-form' },
    el('select', { name: 'status', 'aria-label': `Nuevo estado de «${i.name}»` }, ...statuses.map((s) => {
      const option = el('option', { value: s }, incidentStatusWord(s));
      option.selected = s === i.status;
      return option;
    })),
    el('select', { name: 'severity', 'aria-label': `Severidad de «${i.name}»` }, el('option', { value: '' }, 'Sin cambio'), ...Object.keys(severityNames).map((s) => el('option', { value: s }, severityLabel(Number(s))))),
    el('input', { name: 'message', required: '', placeholder: 'Mensaje', 'aria-label': `Mensaje de la actualización de «${i.name}»` }),
    el('button', { type: 'submit' }, 'Publicar'),
    error,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    const data = new FormData(form);
    try {
      await adminFetch(`/api/admin/incidents/${i.id}/updates`, { method: 'POST', body: JSON.stringify({ status: data.get('status'), message: data.get('message'), ...(data.get('severity') ? { severity: Number(data.get('severity')) } : {}) }) });
    } catch (e) {
      error.textContent = (e as Error).message;
      return;
    }
    await refresh();
  });
  return form;
}

async function refresh(): Promise<void> {
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
        el('td', {}, updateForm(i)),
      ),
    ) : [el('tr', {}, el('td', { colspan: '7', class: 'muted' }, 'No hay incidentes abiertos.'))]),
  );
  labelCells($('incidents') as HTMLTableElement);
}

wireForm('incident-form', refresh, (d) =>
  adminFetch('/api/admin/incidents', { method: 'POST', body: JSON.stringify({ title: d.get('title'), severity: Number(d.get('severity')), message: d.get('message'), components: d.getAll('components').map(String), started_at: localToIso(String(d.get('started_at') ?? '')) }) }),
);
withAdminToken(refresh);
