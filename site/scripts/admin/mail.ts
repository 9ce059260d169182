/**
 * The mail screen: the outbox by state and channel, each message with the reason it waits or failed, and any message
 * opened as its reader gets it (the e-mail rendered in a sandboxed frame).
 */
import { adminFetch, el, formatInstant, labelCells, withAdminToken } from '../admin-api.ts';
import { channelWord } from '../admin-words.ts';

type Message = { id: string; channel: string; kind: string; target: string; state: string; attempts: number; last_error: string | null; created_at: string; sent_at: string | null; next_attempt_at: string | null };
type Outbox = { outbox: Message[]; counts: Record<string, number>; paused: { message: string; until: string | null } | null };
type Opened = { message: Message & { locale: string }; rendered: { subject: string; html: string; text: string } | null; render_error: string | null };

const $ = (id: string) => document.getElementById(id)!;
const STATE_WORDS: Record<string, string> = { pending: 'En espera', claimed: 'Preparándose', sending: 'Enviándose', sent: 'Enviado', failed: 'Fallido', cancelled: 'Anulado' };
const KIND_WORDS: Record<string, string> = {
  'maintenance.announcement': 'Anuncio de mantenimiento', 'maintenance.reminder': 'Recordatorio de mantenimiento',
  'maintenance.rescheduled': 'Mantenimiento reprogramado', 'maintenance.cancelled': 'Mantenimiento cancelado',
  'maintenance.started': 'Mantenimiento iniciado', 'maintenance.completed': 'Mantenimiento terminado',
  'incident.opened': 'Incidente abierto', 'incident.updated': 'Incidente actualizado', 'incident.resolved': 'Incidente resuelto',
  'subscription.confirm': 'Confirmación de suscripción',
};
const kindWord = (kind: string) => KIND_WORDS[kind] ?? kind;
const TONE: Record<string, string> = { failed: 'flag-bad', sent: 'flag-ok', cancelled: '' };

/** Why a message waits or failed, in the admin's words where the state says it; the provider's own words after. */
function reason(m: Message): string {
  if (m.state === 'pending' && m.attempts > 0) return `Reintento ${m.attempts} el ${formatInstant(m.next_attempt_at)}${m.last_error ? `: ${m.last_error}` : ''}`;
  if (m.state === 'pending') return `Se envía a partir del ${formatInstant(m.next_attempt_at)}`;
  if (m.state === 'sent') return `Aceptado el ${formatInstant(m.sent_at)}`;
  return m.last_error ?? '';
}

async function open(id: string): Promise<void> {
  const { message, rendered, render_error } = await adminFetch<Opened>(`/api/admin/outbox/${encodeURIComponent(id)}`);
  const facts: [string, string][] = [
    ['Aviso', kindWord(message.kind)], ['Canal', channelWord(message.channel)], ['Destino', message.target],
    ['Estado', STATE_WORDS[message.state] ?? message.state], ['Idioma', message.locale], ['Creado', formatInstant(message.created_at)],
  ];
  if (rendered) facts.push(['Asunto', rendered.subject]);
  $('message-facts').replaceChildren(...facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
  const body = $('message-body');
  if (rendered) {
    // The mail's markup is shown in a sandbox: never run, and unable to reach the console.
    const frame = el('iframe', { title: `Mensaje ${rendered.subject}`, sandbox: '', class: 'mail-frame' });
    frame.srcdoc = rendered.html;
    body.replaceChildren(frame, el('details', {}, el('summary', {}, 'Versión de texto'), el('pre', { class: 'mail-text' }, rendered.text)));
  } else {
    body.replaceChildren(el('p', { class: 'muted' }, render_error ? `No se pudo dibujar este mensaje: ${render_error}` : 'Este canal no envía correo.'));
  }
  $('message').hidden = false;
  const heading = $('message-title');
  heading.setAttribute('tabindex', '-1');
  heading.focus();
}

async function refresh(): Promise<void> {
  const query = new URLSearchParams({ limit: '200' });
  const state = ($('mail-state') as HTMLSelectElement).value;
  const channel = ($('mail-channel') as HTMLSelectElement).value;
  if (state) query.set('state', state);
  if (channel) query.set('channel', channel);
  const { outbox, counts, paused } = await adminFetch<Outbox>(`/api/admin/outbox?${query}`);
  $('mail-counts').replaceChildren(
    ...Object.entries(counts).flatMap(([s, n]) => [el('span', { class: `flag ${n && s === 'failed' ? 'flag-bad' : ''}`, 'data-count': s }, `${STATE_WORDS[s] ?? s}: ${n}`), ' ']),
  );
  $('mail-pause').hidden = !paused;
  $('mail-pause-text').textContent = paused ? `El envío está en pausa: ${paused.message}${paused.until ? ` (hasta ${formatInstant(paused.until)})` : ''}` : '';
  $('outbox').querySelector('tbody')!.replaceChildren(
    ...(outbox.length ? outbox.map((m) => {
      const view = el('button', { type: 'button', class: 'secondary' }, 'Ver');
      view.setAttribute('aria-label', `Ver el mensaje a ${m.target}: ${kindWord(m.kind)}`);
      view.addEventListener('click', () => void open(m.id));
      return el('tr', { 'data-outbox-id': m.id },
        el('td', {}, formatInstant(m.created_at)), el('td', {}, channelWord(m.channel)), el('td', {}, kindWord(m.kind)),
        el('td', {}, m.target), el('td', {}, el('span', { class: `flag ${TONE[m.state] ?? 'flag-warn'}` }, STATE_WORDS[m.state] ?? m.state)),
        el('td', {}, reason(m)), el('td', {}, view),
      );
    }) : [el('tr', {}, el('td', { colspan: '7', class: 'muted' }, 'Ningún mensaje coincide.'))]),
  );
  labelCells($('outbox') as HTMLTableElement);
}

$('mail-filter').addEventListener('submit', (event) => {
  event.preventDefault();
  void refresh();
});
$('mail-resume').addEventListener('click', async () => {
  await adminFetch('/api/admin/outbox/resume', { method: 'POST' });
  await refresh();
});
withAdminToken(refresh);
