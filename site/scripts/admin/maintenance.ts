/** The maintenance screen: the windows to come with their notices, and the form to schedule one. */
import { adminFetch, el, formatInstant, labelCells, withAdminToken } from '../admin-api.ts';
import { channelWord, maintenanceStatusWord } from '../admin-words.ts';
import { localToIso, wireForm } from './forms.ts';

type ChannelNotice = { recipients: number; notified: number; all_ahead: boolean; late_count: number; status: 'pending' | 'ok' | 'late' };
type Notice = (ChannelNotice & { by_channel?: Record<string, ChannelNotice> }) | null;
type Maintenance = { id: string; name: string; status: string; scheduled_for: string; scheduled_until: string; notice?: Notice; suggested_start?: string | null; source: unknown };

const $ = (id: string) => document.getElementById(id)!;

function noticeCell(m: Maintenance) {
  const n = m.notice;
  if (m.source) return el('span', { class: 'muted' }, 'Ventana del proveedor');
  if (!n) return el('span', { class: 'muted' }, 'Sin aviso');
  const flag = n.status === 'late'
    ? el('span', { class: 'flag flag-bad' }, `Aviso tardío: ${n.late_count} de ${n.recipients}`)
    : el('span', { class: `flag ${n.status === 'ok' ? 'flag-ok' : 'flag-warn'}` }, `Notificados ${n.notified} de ${n.recipients}${n.all_ahead && n.notified === n.recipients ? ', todos con ≥ 8 h de antelación' : ''}`);
  // With recipients on more than one channel, each channel's own count: which one was late.
  const channels = Object.entries(n.by_channel ?? {});
  if (channels.length < 2) return flag;
  const lines = channels.map(([channel, c]) => `${channelWord(channel)}: ${c.notified} de ${c.recipients}${c.late_count ? `, ${c.late_count} tarde` : c.all_ahead ? ', a tiempo' : ''}`);
  return el('span', {}, flag, el('br', {}), el('small', { class: 'muted' }, lines.join(' · ')));
}

async function refresh(): Promise<void> {
  const { maintenances } = await adminFetch<{ maintenances: Maintenance[] }>('/api/admin/maintenances');
  const current = maintenances.filter((m) => ['scheduled', 'in_progress', 'verifying'].includes(m.status));
  $('maintenances').querySelector('tbody')!.replaceChildren(
    ...(current.length ? current.map((m) => {
      const actions = el('td', {});
      if (m.suggested_start) {
        const button = el('button', { type: 'button', class: 'secondary' }, `Reprogramar a ${formatInstant(m.suggested_start)}`);
        const error = el('p', { class: 'error', role: 'alert' });
        button.addEventListener('click', async () => {
          error.textContent = '';
          const length = Date.parse(m.scheduled_until) - Date.parse(m.scheduled_for);
          try {
            await adminFetch(`/api/admin/maintenances/${m.id}`, { method: 'PATCH', body: JSON.stringify({ starts_at: m.suggested_start, ends_at: new Date(Date.parse(m.suggested_start!) + length).toISOString() }) });
          } catch (e) {
            error.textContent = (e as Error).message;
            return;
          }
          await refresh();
        });
        actions.append(button, error);
      }
      return el('tr', { 'data-maintenance-id': m.id, id: `maintenance-${m.id}` }, el('td', {}, m.name), el('td', {}, maintenanceStatusWord(m.status)), el('td', {}, formatInstant(m.scheduled_for)), el('td', {}, noticeCell(m)), actions);
    }) : [el('tr', {}, el('td', { colspan: '5', class: 'muted' }, 'No hay mantenimientos próximos.'))]),
  );
  labelCells($('maintenances') as HTMLTableElement);
}

wireForm('maintenance-form', refresh, (d) =>
  adminFetch('/api/admin/maintenances', { method: 'POST', body: JSON.stringify({ title: d.get('title'), message: d.get('message') ?? '', starts_at: localToIso(String(d.get('starts_at'))), ends_at: localToIso(String(d.get('ends_at'))), component_ids: d.getAll('component_ids').map(String) }) }),
);
withAdminToken(refresh);
