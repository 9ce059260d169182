/**
 * The maintenance screen: every window to come with its notice and delivery figures and what can be done to it
 * (change, reschedule, start, complete, cancel), and the form to schedule one, which shows the earliest start the
 * notice rule allows and refuses an earlier one beside the field before anything is sent.
 */
import { AdminApiError, adminFetch, el, formatInstant, labelCells, withAdminToken } from '../admin-api.ts';
import { channelWord, errorField, maintenanceStatusWord } from '../admin-words.ts';
import { DATE_OPTIONS } from '../../lib/i18n.ts';
import { adminWords } from '../admin-lang.ts';
import { isoToLocal, localToIso } from './forms.ts';
import { startVerdict } from './notice-check.ts';
import { presetRule, presetWords, type Preset } from './repeat-presets.ts';

type ChannelNotice = { recipients: number; notified: number; all_ahead: boolean; late_count: number; status: 'pending' | 'ok' | 'late' };
type Notice = (ChannelNotice & { by_channel?: Record<string, ChannelNotice> }) | null;
type Maintenance = {
  id: string; name: string; status: string; scheduled_for: string; scheduled_until: string; notice?: Notice;
  suggested_start?: string | null; source: unknown; delivery: Record<string, Record<string, number>>;
};
type Audience = { audience: { total: number; by_channel: Record<string, number> }; min_notice_ms: number; earliest_allowed_start: string };
type Zone = { name: string; timezone: string };
type Series = {
  id: string; title: string; rrule: string; first_start: string; time_zone: string; duration_ms: number; announce_ahead_ms: number; stopped_at: string | null;
  occurrences: { starts_at: string; ends_at: string; announce_at: string; maintenance_id: string | null; status: string | null }[];
};

const $ = (id: string) => document.getElementById(id)!;
const form = $('maintenance-form') as HTMLFormElement;
const zones = JSON.parse(form.dataset.zones ?? '{}') as { default: Zone | null; byComponent: Record<string, Zone> };
const startInput = $('starts_at') as HTMLInputElement;
const endInput = $('ends_at') as HTMLInputElement;
const repeatSelect = $('repeat') as HTMLSelectElement;
const rruleInput = $('rrule') as HTMLInputElement;
const announceInput = $('announce-days') as HTMLInputElement;
let minNoticeMs = 8 * 3_600_000;

const hours = (ms: number) => `${Math.round((ms / 3_600_000) * 10) / 10} h`.replace('.', ',');
const checkedIds = () => Array.from(form.querySelectorAll<HTMLInputElement>('input[name=component_ids]:checked'), (i) => i.value);

/** Writes (or clears) a field's own error and marks the field for assistive technology. */
function fieldError(input: HTMLInputElement, errorId: string, text: string): void {
  $(errorId).textContent = text;
  if (text) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

function drawEarliest(): void {
  $('starts-hint').textContent = `Inicio más temprano permitido: ${formatInstant(new Date(Date.now() + minNoticeMs).toISOString())} (los suscriptores deben recibir el aviso con ${hours(minNoticeMs)} de antelación).`;
}

/** The start checked against the notice rule as of now; true when it may be sent. */
function checkStart(): boolean {
  const verdict = startVerdict(localToIso(startInput.value), Date.now(), minNoticeMs);
  fieldError(startInput, 'starts-error',
    verdict.ok ? '' : verdict.reason === 'missing' ? 'Indique el inicio.' : `Demasiado pronto: el inicio más temprano permitido es ${formatInstant(verdict.earliest)}.`);
  return verdict.ok;
}

function checkEnd(): boolean {
  const end = localToIso(endInput.value);
  const start = localToIso(startInput.value);
  const text = !end ? 'Indique el fin.' : start && Date.parse(end) <= Date.parse(start) ? 'El fin debe ser posterior al inicio.' : '';
  fieldError(endInput, 'ends-error', text);
  return !text;
}

/** The window's times in each business-hours zone of the chosen components (all of them when none is ticked). */
function drawZones(): void {
  const start = localToIso(startInput.value);
  const end = localToIso(endInput.value);
  const ids = checkedIds();
  const chosen = ids.length ? ids.map((id) => zones.byComponent[id] ?? zones.default) : [...Object.values(zones.byComponent), zones.default];
  const distinct = [...new Map(chosen.filter((z): z is Zone => !!z).map((z) => [z.timezone, z])).values()];
  if (!start || !distinct.length) {
    $('window-zones').textContent = '';
    return;
  }
  const own = Intl.DateTimeFormat().resolvedOptions().timeZone;
  $('window-zones').replaceChildren(
    `Horario en su zona (${own}): ${formatInstant(start)}${end ? ` – ${formatInstant(end)}` : ''}.`,
    ...distinct.map((z) => {
      const f = new Intl.DateTimeFormat(adminWords().dateLocale, DATE_OPTIONS(z.timezone));
      return el('span', { class: 'zone-line' }, ` Calendario «${z.name}» (${z.timezone}): ${f.format(new Date(start))}${end ? ` – ${f.format(new Date(end))}` : ''}.`);
    }),
  );
}

async function drawAudience(): Promise<void> {
  const ids = checkedIds();
  const answer = await adminFetch<Audience>(`/api/admin/maintenances/audience?component_ids=${encodeURIComponent(ids.join(','))}`);
  minNoticeMs = answer.min_notice_ms;
  drawEarliest();
  const { total, by_channel } = answer.audience;
  const channels = Object.entries(by_channel).map(([c, n]) => `${channelWord(c)}: ${n}`);
  $('audience').textContent = total
    ? `Se avisará a ${total} ${total === 1 ? 'suscriptor' : 'suscriptores'} (${channels.join(' · ')})${ids.length ? '' : ', todos, porque no eligió componentes'}.`
    : 'Nadie sigue estos componentes: no se enviará ningún aviso.';
}

/** Per channel: how many of the window's messages were sent, wait, or failed. */
function deliveryLine(m: Maintenance): string {
  const words: Record<string, string> = { sent: 'enviados', pending: 'en espera', claimed: 'en espera', sending: 'en espera', failed: 'fallidos', cancelled: 'anulados' };
  return Object.entries(m.delivery).map(([channel, states]) => {
    const merged: Record<string, number> = {};
    for (const [state, n] of Object.entries(states)) merged[words[state] ?? state] = (merged[words[state] ?? state] ?? 0) + n;
    return `${channelWord(channel)}: ${Object.entries(merged).map(([w, n]) => `${n} ${w}`).join(', ')}`;
  }).join(' · ');
}

function noticeCell(m: Maintenance): HTMLElement {
  const n = m.notice;
  if (m.source) return el('span', { class: 'muted' }, 'Ventana del proveedor');
  if (!n) return el('span', { class: 'muted' }, 'Sin aviso');
  if (n.recipients === 0) return el('span', { class: 'muted' }, 'Nadie sigue estos componentes');
  const flag = n.status === 'late'
    ? el('span', { class: 'flag flag-bad' }, `Aviso tardío: ${n.late_count} de ${n.recipients}`)
    : el('span', { class: `flag ${n.status === 'ok' ? 'flag-ok' : 'flag-warn'}` }, `Notificados ${n.notified} de ${n.recipients}${n.all_ahead && n.notified === n.recipients ? ', todos a tiempo' : ''}`);
  const delivery = deliveryLine(m);
  return el('span', {}, flag, delivery ? el('br', {}) : null, delivery ? el('small', { class: 'muted', 'data-delivery': '' }, delivery) : null);
}

/** A button that sends one action and redraws the list, or says why it was refused. */
function actionButton(label: string, run: () => Promise<unknown>, error: HTMLElement, secondary = true): HTMLButtonElement {
  const button = el('button', { type: 'button', ...(secondary ? { class: 'secondary' } : {}) }, label);
  button.addEventListener('click', async () => {
    error.textContent = '';
    try {
      await run();
    } catch (e) {
      error.textContent = (e as Error).message;
      return;
    }
    await Promise.all([refresh(), loadSeries()]);
  });
  return button;
}

const send = (m: Maintenance, path: string, body?: unknown) =>
  adminFetch(`/api/admin/maintenances/${m.id}${path}`, { method: path ? 'POST' : 'PATCH', ...(body ? { body: JSON.stringify(body) } : {}) });

/** "Cambiar": title, times and message; moving the start earlier is held to the rule, as in the new-window form. */
function changeForm(m: Maintenance, error: HTMLElement): HTMLDetailsElement {
  const started = m.status !== 'scheduled';
  const title = el('input', { name: 'title', value: m.name, maxlength: '200', required: '' });
  const start = el('input', { name: 'starts_at', type: 'datetime-local', value: isoToLocal(m.scheduled_for) });
  const end = el('input', { name: 'ends_at', type: 'datetime-local', value: isoToLocal(m.scheduled_until) });
  const message = el('textarea', { name: 'message', rows: '2' });
  if (started) start.disabled = true;
  const edit = el('form', { class: 'stack' },
    el('label', {}, 'Título', title), el('label', {}, 'Inicio', start), el('label', {}, 'Fin', end),
    el('label', {}, 'Mensaje (opcional)', message),
    el('button', { type: 'submit' }, 'Guardar cambios'),
  );
  edit.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    const changes: Record<string, string> = {};
    if (title.value.trim() !== m.name) changes.title = title.value.trim();
    if (message.value.trim()) changes.message = message.value.trim();
    const startsAt = localToIso(start.value);
    const endsAt = localToIso(end.value);
    // The fields show minutes: a field left as it was is no change, whatever the seconds.
    if (!started && startsAt && start.value !== isoToLocal(m.scheduled_for)) {
      const verdict = startVerdict(startsAt, Date.now(), minNoticeMs);
      if (!verdict.ok && verdict.reason === 'too_soon' && Date.parse(startsAt) < Date.parse(m.scheduled_for)) {
        error.textContent = `Inicio: demasiado pronto; el inicio más temprano permitido es ${formatInstant(verdict.earliest)}.`;
        start.focus();
        return;
      }
      changes.starts_at = startsAt;
    }
    if (endsAt && end.value !== isoToLocal(m.scheduled_until)) changes.ends_at = endsAt;
    if (!Object.keys(changes).length) {
      error.textContent = 'No hay cambios que guardar.';
      return;
    }
    try {
      await send(m, '', changes);
    } catch (e) {
      error.textContent = (e as Error).message;
      return;
    }
    await refresh();
  });
  return el('details', {}, el('summary', {}, `Cambiar «${m.name}»`), edit);
}

function cancelForm(m: Maintenance, error: HTMLElement): HTMLDetailsElement {
  const reason = el('input', { name: 'reason', maxlength: '2000' });
  const confirm = el('form', { class: 'stack' }, el('label', {}, 'Motivo (se envía a los suscriptores)', reason), el('button', { type: 'submit' }, 'Cancelar el mantenimiento'));
  confirm.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    try {
      await send(m, '/cancel', reason.value.trim() ? { reason: reason.value.trim() } : undefined);
    } catch (e) {
      error.textContent = (e as Error).message;
      return;
    }
    await refresh();
  });
  return el('details', {}, el('summary', {}, `Cancelar «${m.name}»`), confirm);
}

function actionsCell(m: Maintenance): HTMLElement {
  const cell = el('td', { class: 'actions-cell' });
  if (m.source) return cell;
  const error = el('p', { class: 'error', role: 'alert' });
  const box = el('div', { class: 'actions' });
  if (m.suggested_start) {
    const length = Date.parse(m.scheduled_until) - Date.parse(m.scheduled_for);
    box.append(actionButton(`Reprogramar a ${formatInstant(m.suggested_start)}`, () => send(m, '', { starts_at: m.suggested_start, ends_at: new Date(Date.parse(m.suggested_start!) + length).toISOString() }), error));
  }
  if (m.status === 'scheduled') box.append(actionButton('Iniciar ahora', () => send(m, '/start'), error));
  if (m.status === 'in_progress' || m.status === 'verifying') box.append(actionButton('Completar', () => send(m, '/complete'), error));
  box.append(changeForm(m, error));
  if (m.status === 'scheduled') box.append(cancelForm(m, error));
  cell.append(box, error);
  return cell;
}

async function refresh(): Promise<void> {
  const { maintenances } = await adminFetch<{ maintenances: Maintenance[] }>('/api/admin/maintenances');
  const current = maintenances
    .filter((m) => ['scheduled', 'in_progress', 'verifying'].includes(m.status))
    .sort((a, b) => Date.parse(a.scheduled_for) - Date.parse(b.scheduled_for));
  $('maintenances').querySelector('tbody')!.replaceChildren(
    ...(current.length ? current.map((m) =>
      el('tr', { 'data-maintenance-id': m.id, id: `maintenance-${m.id}` },
        el('td', {}, m.name),
        el('td', {}, maintenanceStatusWord(m.status)),
        el('td', {}, formatInstant(m.scheduled_for), el('br', {}), el('small', { class: 'muted' }, `hasta ${formatInstant(m.scheduled_until)}`)),
        el('td', {}, noticeCell(m)),
        actionsCell(m),
      ),
    ) : [el('tr', {}, el('td', { colspan: '5', class: 'muted' }, 'No hay mantenimientos próximos.'))]),
  );
  labelCells($('maintenances') as HTMLTableElement);
}

/** The preset options name the weekday and day of the chosen start; a preset writes its rule into the rule field. */
function drawRepeat(): void {
  for (const option of Array.from(repeatSelect.options)) {
    if (option.value && option.value !== 'custom') option.textContent = presetWords(option.value as Preset, startInput.value) ?? option.textContent;
  }
  const preset = repeatSelect.value;
  $('repeat-details').hidden = !preset;
  if (preset && preset !== 'custom') rruleInput.value = presetRule(preset as Preset, startInput.value) ?? '';
}

/** Each occurrence: announced (with its window), to be announced on a date, or too late to announce. */
function occurrenceLine(o: Series['occurrences'][number]): HTMLLIElement {
  const when = `${formatInstant(o.starts_at)}`;
  if (o.maintenance_id) return el('li', { 'data-occurrence': o.starts_at }, when, ' — ', el('span', { class: 'flag flag-ok' }, `Anunciada · ${maintenanceStatusWord(o.status ?? 'scheduled')}`));
  if (Date.parse(o.announce_at) > Date.now()) return el('li', { 'data-occurrence': o.starts_at }, when, ' — ', el('span', { class: 'muted' }, `se anunciará el ${formatInstant(o.announce_at)}`));
  return el('li', { 'data-occurrence': o.starts_at }, when, ' — ', el('span', { class: 'flag flag-warn' }, 'Se omite: ya no se puede anunciar a tiempo'));
}

async function loadSeries(): Promise<void> {
  const { series } = await adminFetch<{ series: Series[] }>('/api/admin/maintenances/series');
  const active = series.filter((s) => !s.stopped_at);
  $('series').querySelector('tbody')!.replaceChildren(
    ...(active.length ? active.map((s) => {
      const error = el('p', { class: 'error', role: 'alert' });
      const stop = actionButton('Detener la serie', () => adminFetch(`/api/admin/maintenances/series/${s.id}`, { method: 'DELETE' }), error);
      return el('tr', { 'data-series-id': s.id },
        el('td', {}, s.title),
        el('td', {}, el('code', {}, s.rrule), el('br', {}), el('small', { class: 'muted' }, `${Math.round(s.duration_ms / 60_000)} min, hora de ${s.time_zone}; anuncio ${Math.round(s.announce_ahead_ms / 86_400_000)} días antes`)),
        el('td', {}, el('ul', { class: 'occurrences' }, ...s.occurrences.map(occurrenceLine))),
        el('td', { class: 'actions-cell' }, stop, error),
      );
    }) : [el('tr', {}, el('td', { colspan: '4', class: 'muted' }, 'No hay ventanas periódicas.'))]),
  );
  labelCells($('series') as HTMLTableElement);
}

/** A recurring window: the rule, the first start as the admin's clock shows it, in the admin's zone. */
async function createSeries(title: string, message: string): Promise<void> {
  const start = localToIso(startInput.value)!;
  const end = localToIso(endInput.value)!;
  await adminFetch('/api/admin/maintenances/series', {
    method: 'POST',
    body: JSON.stringify({
      title, message, rrule: rruleInput.value.trim(), first_start: startInput.value,
      time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      duration_minutes: Math.round((Date.parse(end) - Date.parse(start)) / 60_000),
      announce_ahead_hours: Number(announceInput.value) * 24, component_ids: checkedIds(),
    }),
  });
}

function checkRepeat(): boolean {
  if (!repeatSelect.value) return true;
  const ruleOk = !!rruleInput.value.trim();
  fieldError(rruleInput, 'rrule-error', ruleOk ? '' : 'Escriba la regla, o elija una repetición de la lista.');
  const days = Number(announceInput.value);
  const announceOk = Number.isFinite(days) && days >= 1 && days * 86_400_000 >= minNoticeMs;
  fieldError(announceInput, 'announce-error', announceOk ? '' : `Al menos ${Math.max(1, Math.ceil(minNoticeMs / 86_400_000))} día(s): cada repetición se anuncia con ${hours(minNoticeMs)} de antelación como mínimo.`);
  return ruleOk && announceOk;
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const formError = form.querySelector('.form-error')!;
  formError.textContent = '';
  const startOk = checkStart();
  const endOk = checkEnd();
  const title = form.querySelector<HTMLInputElement>('[name=title]')!;
  if (!title.value.trim()) {
    formError.textContent = 'Título: es obligatorio.';
    title.focus();
    return;
  }
  const repeatOk = checkRepeat();
  if (!startOk || !endOk || !repeatOk) {
    (!startOk ? startInput : !endOk ? endInput : rruleInput.getAttribute('aria-invalid') ? rruleInput : announceInput).focus();
    return;
  }
  const message = String(new FormData(form).get('message') ?? '');
  try {
    if (repeatSelect.value) await createSeries(title.value.trim(), message);
    else await adminFetch('/api/admin/maintenances', { method: 'POST', body: JSON.stringify({ title: title.value.trim(), message, starts_at: localToIso(startInput.value), ends_at: localToIso(endInput.value), component_ids: checkedIds() }) });
  } catch (e) {
    // The server's refusal of a field goes beside it, like the form's own checks.
    const text = e instanceof Error ? e.message : String(e);
    const field = e instanceof AdminApiError ? errorField(e.body) : null;
    if (field === 'starts_at' || field === 'first_start') fieldError(startInput, 'starts-error', text);
    else if (field === 'ends_at' || field === 'duration') fieldError(endInput, 'ends-error', text);
    else if (field === 'rrule') fieldError(rruleInput, 'rrule-error', text);
    else if (field === 'announce_ahead') fieldError(announceInput, 'announce-error', text);
    else formError.textContent = text;
    return;
  }
  form.reset();
  const fields = [[startInput, 'starts-error'], [endInput, 'ends-error'], [rruleInput, 'rrule-error'], [announceInput, 'announce-error']] as const;
  for (const [input, id] of fields) fieldError(input, id, '');
  drawZones();
  drawRepeat();
  await Promise.all([refresh(), loadSeries(), drawAudience()]);
});

startInput.addEventListener('change', () => {
  checkStart();
  drawZones();
  drawRepeat();
});
repeatSelect.addEventListener('change', drawRepeat);
endInput.addEventListener('change', () => {
  checkEnd();
  drawZones();
});
form.querySelector('.component-picker')!.addEventListener('change', () => {
  drawZones();
  void drawAudience().catch(() => undefined);
});

withAdminToken(async () => {
  await Promise.all([refresh(), loadSeries(), drawAudience()]);
  // The earliest start moves with the clock.
  setInterval(drawEarliest, 30_000);
});
