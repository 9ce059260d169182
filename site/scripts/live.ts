/**
 * Live refresh of the home page, without a framework and without reloading: every 30–60 s (jittered, so a crowd of
 * open pages does not poll in step) it reads the published /api/v2/summary.json and updates in place the banner, each
 * component's state, the open incidents and the maintenance in progress or coming. It keeps "checked N s ago"
 * ticking, tells screen readers about a change in one short sentence, and when the API cannot be reached keeps
 * what is shown and says it may be stale. The page reads fine without it; this only keeps it current.
 *
 * Markup it relies on: `[data-live=banner]` (its `h1` is the headline, `.banner-detail` lines name what is
 * affected), `[data-component-id]` rows with `data-state` and a `.state` label, `[data-live=incidents]` and
 * `[data-live=maintenance]` (cards carry `data-incident-id` / `data-maintenance-id` and `data-updated-at`; an
 * empty list shows a `[data-live-empty]` or `.empty` line), `[data-live=checked]`, `[data-live=announce]` (a polite
 * live region), and the strings in `#vigia-strings`.
 */
import type { IncidentInfo as Incident, MaintenanceInfo as Maintenance, SummaryDocument as Summary } from '../../worker/core/api-types.ts';
import type { LiveStrings } from '../lib/live-strings.ts';

const $ = (name: string) => document.querySelector<HTMLElement>(`[data-live="${name}"]`);
const stringsElement = document.getElementById('vigia-strings');
const S: LiveStrings | null = stringsElement ? JSON.parse(stringsElement.textContent || 'null') : null;

function el(tag: string, attrs: Record<string, string>, ...children: (Node | string)[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

const fill = (template: string, values: Record<string, string | number>) => template.replace(/\{(\w+)\}/g, (m, k: string) => String(values[k] ?? m));

function when(iso: string, s: LiveStrings): string {
  return new Intl.DateTimeFormat(s.dateLocale, { timeZone: s.timeZone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hour12: false, timeZoneName: 'short' }).format(new Date(iso));
}

/** An incident's level as the page names it: its region's own when its calendar's region has that level. */
const levelOf = (i: Incident, s: LiveStrings) => s.regionSeverities[i.sla?.calendar ?? '']?.[i.severity] ?? s.severities[i.severity];

/** An incident's severity, in its colour, linking to its meaning on the policy page. */
function severityLink(i: Incident, s: LiveStrings): HTMLElement {
  const severity = levelOf(i, s);
  return el('a', { class: 'severity', style: `--severity-color: ${severity?.color}`, href: severity?.href! }, el('span', { class: 'visually-hidden' }, `${s.severity}:`), ` ${i.severity} · ${severity?.name}`);
}

function incidentCard(i: Incident, s: LiveStrings): HTMLElement {
  const severity = levelOf(i, s);
  const latest = i.incident_updates[0];
  return el(
    'article',
    { class: 'incident incident-live', 'data-incident-id': i.id, 'data-updated-at': i.updated_at, style: `--severity-color: ${severity?.color ?? '#888'}` },
    el('h3', {}, el('a', { href: s.incidentPath.replace('{id}', i.id) }, i.name)),
    el(
      'p',
      { class: 'meta' },
      severityLink(i, s),
      ' ',
      el('span', { class: 'status' }, s.incidentStatus[i.status] ?? i.status),
    ),
    ...(latest ? [el('p', { class: 'latest' }, latest.body)] : []),
  );
}

/** A further open incident: one line, its name linking to its page, and its severity. */
function incidentRow(i: Incident, s: LiveStrings): HTMLElement {
  return el(
    'li',
    { 'data-incident-row': i.id },
    el('a', { href: s.incidentPath.replace('{id}', i.id) }, i.name),
    ' ',
    severityLink(i, s),
  );
}

function maintenanceCard(m: Maintenance, s: LiveStrings): HTMLElement {
  return el(
    'article',
    { class: 'maintenance maintenance-live', 'data-maintenance-id': m.id, 'data-updated-at': m.updated_at },
    el('h3', {}, el('a', { href: s.maintenancePath.replace('{id}', m.id) }, m.name)),
    el('p', { class: 'meta' }, el('span', { class: 'status' }, s.maintenanceStatus[m.status] ?? m.status)),
    el('p', { class: 'muted' }, `${s.window}: ${when(m.scheduled_for, s)} – ${when(m.scheduled_until, s)}`),
  );
}

/**
 * Makes a container list exactly `items`, in order: a card whose item has not changed is kept as the page
 * rendered it (it has more detail), a changed or new one gets a compact card, a gone one leaves.
 */
function sync<T extends { id: string; updated_at: string }>(box: HTMLElement | null, key: string, items: T[], card: (item: T) => HTMLElement, empty: string) {
  if (!box) return;
  const existing = new Map<string, HTMLElement>();
  box.querySelectorAll<HTMLElement>(`[${key}]`).forEach((node) => existing.set(node.getAttribute(key)!, node));
  const wanted = items.map((item) => {
    const node = existing.get(item.id);
    return node && node.dataset.updatedAt === item.updated_at ? node : card(item);
  });
  const keep = new Set(wanted);
  existing.forEach((node) => keep.has(node) || node.remove());
  box.querySelectorAll('[data-live-empty], .empty').forEach((node) => node.remove());
  if (!wanted.length) box.append(el('p', { class: 'muted empty', 'data-live-empty': '' }, empty));
  // A list the page hid while it was empty is shown once it has something.
  else box.hidden = false;
  // Appending an element already in the box moves it: the order follows `items`.
  for (const node of wanted) box.append(node);
}

/** The banner's headline and detail lines for the overall state, by the page's own rules and words. */
function bannerWords(members: Summary['components'], overall: string, s: LiveStrings): [string, string[]] {
  const stateOf = (c: Summary['components'][number]) => c.state ?? c.status;
  const list = (states: string[]) => members.filter((c) => states.includes(stateOf(c))).map((c) => c.name);
  const names = (items: string[]) => new Intl.ListFormat(s.dateLocale, { type: 'conjunction' }).format(items);
  const broken = list(['major_outage', 'partial_outage', 'degraded_performance']);
  const unknown = list(['unknown']);
  const maintenance = list(['under_maintenance']);
  const headline =
    overall === 'unknown'
      ? unknown.length === 1
        ? s.overall.unknownOne
        : fill(s.overall.unknown, { n: unknown.length })
      : overall === 'under_maintenance'
        ? s.overall.maintenance
        : (s.overall[overall as 'major_outage'] ?? overall);
  const details: string[] = [];
  if (broken.length) details.push(fill(s.banner.affected, { names: names(broken) }));
  if (unknown.length) details.push(fill(s.banner.unchecked, { names: names(unknown) }));
  if (maintenance.length) details.push(fill(s.banner.inMaintenance, { names: names(maintenance) }));
  if (overall === 'operational') details.push(fill(s.banner.allChecked, { n: members.length }));
  return [headline, details];
}

function apply(summary: Summary, s: LiveStrings): string | null {
  const members = summary.components.filter((c) => !c.group);
  // Vigía's overall state (never "operational" while a component cannot be checked).
  const overall = summary.status.state ?? 'unknown';
  const [headlineText, details] = bannerWords(members, overall, s);

  const banner = $('banner');
  const before = banner?.dataset.state;
  const headline = banner?.querySelector('h1');
  if (banner && headline) {
    banner.dataset.state = overall;
    banner.className = banner.className.replace(/\bbanner-\S+/g, '').trim() + ` banner-${overall}`;
    headline.textContent = headlineText;
    banner.querySelectorAll('.banner-detail').forEach((line) => line.remove());
    headline.after(...details.map((line) => el('p', { class: 'banner-detail' }, line)));
  }

  for (const c of members) {
    const row = document.querySelector<HTMLElement>(`[data-component-id="${CSS.escape(c.id)}"]`);
    if (!row) continue;
    const state = c.state ?? c.status;
    row.dataset.state = state;
    const label = row.querySelector('.state');
    if (label) {
      label.textContent = s.componentState[state] ?? state;
      label.className = label.className.replace(/\bstate-\S+/g, '').trim() + ` state-${state}`;
    }
  }

  const box = $('incidents');
  const shown = new Set<string>();
  const more = $('more-incidents');
  box?.querySelectorAll<HTMLElement>('[data-incident-id]').forEach((n) => shown.add(n.dataset.incidentId!));
  more?.querySelectorAll<HTMLElement>('[data-incident-row]').forEach((n) => shown.add(n.dataset.incidentRow!));
  // The page's order: most severe first, then the newest.
  const open = [...summary.incidents].sort((a, b) => a.severity - b.severity || b.started_at.localeCompare(a.started_at));
  sync(box, 'data-incident-id', open.slice(0, s.openIncidentCards), (i) => incidentCard(i, s), s.noOpenIncidents);
  const rows = open.slice(s.openIncidentCards);
  if (more) {
    more.querySelector('ul')?.replaceChildren(...rows.map((i) => incidentRow(i, s)));
    more.hidden = rows.length === 0;
  }
  sync($('maintenance'), 'data-maintenance-id', summary.scheduled_maintenances, (m) => maintenanceCard(m, s), s.live.noMaintenance);

  // One short sentence: the newest incident, else what ended, else the new overall state.
  const added = open.find((i) => !shown.has(i.id));
  if (box && added) return fill(s.live.announceNew, { name: added.name });
  if (box && shown.size > open.filter((i) => shown.has(i.id)).length) return s.live.announceResolved;
  if (before && before !== overall) return fill(s.live.announceState, { state: headlineText });
  return null;
}

function start(s: LiveStrings) {
  const checked = document.querySelectorAll<HTMLElement>('[data-live="checked"]');
  const announce = $('announce');
  let checkedAt = Date.parse(s.builtAt) || 0;
  let stale = false;

  const tick = () => {
    if (!checkedAt) return;
    const seconds = Math.max(0, Math.round((Date.now() - checkedAt) / 1000));
    const ago = seconds < 120 ? fill(s.banner.checkedAgo, { n: seconds }) : fill(s.live.checkedMinutes, { n: Math.floor(seconds / 60) });
    checked.forEach((node) => {
      node.textContent = stale ? `${s.live.stale} (${ago})` : ago;
      node.toggleAttribute('data-stale', stale);
    });
  };
  const say = (text: string | null) => {
    if (announce && text) announce.textContent = text;
  };

  const refresh = async () => {
    try {
      const res = await fetch('/api/v2/summary.json', { cache: 'no-cache' });
      if (!res.ok) throw new Error(String(res.status));
      const message = apply((await res.json()) as Summary, s);
      checkedAt = Date.now();
      if (stale) say(s.live.announceBack);
      stale = false;
      say(message);
    } catch {
      if (!stale) say(s.live.stale);
      stale = true;
    }
    tick();
    setTimeout(refresh, 30_000 + Math.random() * 30_000);
  };

  setInterval(tick, 1000);
  void refresh();
}

if (S) start(S);
