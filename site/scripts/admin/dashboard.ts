/**
 * The dashboard: open incidents with their running SLA target counting down (missed ones first, in red), the
 * windows to come with their notice status, the sources that are failing, and mail waiting or failed. Read-only: each
 * line links to the screen where it is acted on.
 */
import { adminFetch, el, formatInstant, labelCells, withAdminToken } from '../admin-api.ts';
import { channelWord, incidentStatusWord, maintenanceStatusWord, sourceTypeWord } from '../admin-words.ts';
import { levelLabel, readLevelNames } from './level-names.ts';
import { byUrgency, runningTarget, spanWords, type IncidentSla } from './sla-countdown.ts';

type Incident = { id: string; name: string; status: string; severity: number; sla: IncidentSla };
type ChannelNotice = { recipients: number; notified: number; all_ahead: boolean; late_count: number; status: 'pending' | 'ok' | 'late' };
type Maintenance = { id: string; name: string; status: string; scheduled_for: string; scheduled_until: string; notice?: (ChannelNotice & { by_channel?: Record<string, ChannelNotice> }) | null; source: unknown };
type Source = { id: string; name: string; type: string; paused?: boolean; last_success_at: string | null; consecutive_failures: number; last_error: string | null };
type OutboxMessage = { id: string; channel: string; kind: string; state: string; attempts: number; last_error: string | null; created_at: string; next_attempt_at: string | null };
type Outbox = { outbox: OutboxMessage[]; counts: Record<string, number>; paused: { message: string; until: string | null } | null };

const SPAN = { day: 'd', hour: 'h', minute: 'min' };
/** How often the countdowns are redrawn, and how often the data is read again. */
const TICK_MS = 15_000;
const RELOAD_MS = 60_000;

const $ = (id: string) => document.getElementById(id)!;
const body = (id: string) => $(id).querySelector('tbody')!;
const emptyRow = (columns: number, text: string) => el('tr', {}, el('td', { colspan: String(columns), class: 'muted' }, text));

/** "Respuesta vence en 1 h 05 min" or, once missed, "Respuesta vencida hace 12 min" in red. */
function countdownText(sla: IncidentSla, now: number): { text: string; missed: boolean } {
  const running = runningTarget(sla, now);
  if (!running) return { text: 'Sin plazo', missed: false };
  const what = running.target === 'response' ? 'Respuesta' : 'Solución';
  const span = spanWords(running.leftMs, SPAN);
  return running.missed ? { text: `${what} vencida hace ${span}`, missed: true } : { text: `${what} vence en ${span}`, missed: false };
}

function drawCountdowns(): void {
  const now = Date.now();
  for (const cell of Array.from(document.querySelectorAll<HTMLElement>('[data-sla]'))) {
    const { text, missed } = countdownText(JSON.parse(cell.dataset.sla!) as IncidentSla, now);
    const flag = cell.querySelector('.flag')!;
    flag.textContent = text;
    flag.className = `flag ${missed ? 'flag-bad' : 'flag-warn'}`;
    cell.closest('tr')!.classList.toggle('missed', missed);
  }
}

async function loadIncidents(): Promise<void> {
  const { incidents } = await adminFetch<{ incidents: Incident[] }>('/api/admin/incidents?status=open');
  const names = readLevelNames($('dash-incidents'));
  const now = Date.now();
  body('dash-incidents').replaceChildren(
    ...(incidents.length
      ? byUrgency(incidents, now).map((i) =>
          el('tr', { 'data-incident-id': i.id },
            el('td', {}, el('a', { href: `/admin/incidents/#incident-${i.id}` }, i.name)),
            el('td', { class: 'nowrap' }, levelLabel(names, i.severity)),
            el('td', {}, incidentStatusWord(i.status)),
            el('td', { 'data-sla': JSON.stringify(i.sla) }, el('span', { class: 'flag' }), el('br', {}), el('small', { class: 'muted' }, formatInstant(runningTarget(i.sla, now)?.dueAt))),
          ),
        )
      : [emptyRow(4, 'No hay incidentes abiertos.')]),
  );
  drawCountdowns();
  labelCells($('dash-incidents') as HTMLTableElement);
}

function noticeText(m: Maintenance): { text: string; tone: string } {
  const n = m.notice;
  if (m.source) return { text: 'Ventana del proveedor', tone: '' };
  if (!n) return { text: 'Sin aviso', tone: '' };
  if (n.recipients === 0) return { text: 'Nadie sigue estos componentes', tone: '' };
  if (n.status === 'late') return { text: `Aviso tardío: ${n.late_count} de ${n.recipients}`, tone: 'flag-bad' };
  const channels = Object.entries(n.by_channel ?? {}).map(([c, v]) => `${channelWord(c)} ${v.notified}/${v.recipients}`);
  return { text: `Notificados ${n.notified} de ${n.recipients}${channels.length > 1 ? ` (${channels.join(', ')})` : ''}`, tone: n.status === 'ok' ? 'flag-ok' : 'flag-warn' };
}

async function loadMaintenances(): Promise<void> {
  const { maintenances } = await adminFetch<{ maintenances: Maintenance[] }>('/api/admin/maintenances');
  const upcoming = maintenances
    .filter((m) => ['scheduled', 'in_progress', 'verifying'].includes(m.status))
    .sort((a, b) => Date.parse(a.scheduled_for) - Date.parse(b.scheduled_for));
  body('dash-maintenances').replaceChildren(
    ...(upcoming.length
      ? upcoming.map((m) => {
          const notice = noticeText(m);
          return el('tr', { 'data-maintenance-id': m.id },
            el('td', {}, el('a', { href: `/admin/maintenance/#maintenance-${m.id}` }, m.name)),
            el('td', {}, maintenanceStatusWord(m.status)),
            el('td', {}, formatInstant(m.scheduled_for)),
            el('td', {}, el('span', { class: `flag ${notice.tone}` }, notice.text)),
          );
        })
      : [emptyRow(4, 'No hay mantenimientos próximos.')]),
  );
  labelCells($('dash-maintenances') as HTMLTableElement);
}

async function loadSources(): Promise<void> {
  const { sources } = await adminFetch<{ sources: Source[] }>('/api/admin/sources');
  const failing = sources.filter((s) => !s.paused && (s.consecutive_failures > 0 || s.last_error));
  body('dash-sources').replaceChildren(
    ...(failing.length
      ? failing.map((s) =>
          el('tr', { 'data-source-id': s.id },
            el('td', {}, s.name), el('td', {}, sourceTypeWord(s.type)), el('td', {}, String(s.consecutive_failures)),
            el('td', {}, formatInstant(s.last_success_at)), el('td', {}, s.last_error ?? ''),
          ),
        )
      : [emptyRow(5, `Las ${sources.length} fuentes responden con normalidad.`)]),
  );
  labelCells($('dash-sources') as HTMLTableElement);
}

const OUTBOX_STATE_WORDS: Record<string, string> = { pending: 'En espera', claimed: 'Preparándose', sending: 'Enviándose', failed: 'Fallido' };

async function loadMail(): Promise<void> {
  const [waiting, failed] = await Promise.all([
    adminFetch<Outbox>('/api/admin/outbox?state=pending&limit=1'),
    adminFetch<Outbox>('/api/admin/outbox?state=failed&limit=10'),
  ]);
  const counts = waiting.counts;
  const inFlight = (counts.pending ?? 0) + (counts.claimed ?? 0) + (counts.sending ?? 0);
  $('dash-mail-summary').replaceChildren(
    el('span', { class: `flag ${inFlight ? 'flag-warn' : 'flag-ok'}`, 'data-mail': 'waiting' }, `${inFlight} en espera`), ' ',
    el('span', { class: `flag ${counts.failed ? 'flag-bad' : 'flag-ok'}`, 'data-mail': 'failed' }, `${counts.failed ?? 0} fallidos`),
    ...(waiting.paused ? [el('p', { class: 'error' }, `Envío en pausa: ${waiting.paused.message}`)] : []),
  );
  body('dash-mail').replaceChildren(
    ...(failed.outbox.length
      ? failed.outbox.map((m) =>
          el('tr', { 'data-outbox-id': m.id },
            el('td', {}, channelWord(m.channel)), el('td', {}, m.kind), el('td', {}, OUTBOX_STATE_WORDS[m.state] ?? m.state),
            el('td', {}, String(m.attempts)), el('td', {}, m.last_error ?? ''), el('td', {}, formatInstant(m.created_at)),
          ),
        )
      : [emptyRow(6, 'Ningún mensaje ha fallado.')]),
  );
  labelCells($('dash-mail') as HTMLTableElement);
}

async function refresh(): Promise<void> {
  // The incidents first: an expired token is found on the first read, before the rest are asked for.
  await loadIncidents();
  await Promise.all([loadMaintenances(), loadSources(), loadMail()]);
}

withAdminToken(async () => {
  await refresh();
  setInterval(drawCountdowns, TICK_MS);
  setInterval(() => void refresh().catch(() => undefined), RELOAD_MS);
});
