/**
 * What a fresh snapshot changes in what Vigía has recorded from a source: pure, so every rule can be tested
 * without a database. record.ts loads the stored rows, calls `reconcileSnapshot` and hands the plan's steps to the
 * incidents and maintenances services (incidents/upstream.ts, maintenances/upstream.ts), in one transaction.
 *
 * Incidents (deduplicated by the upstream id):
 * - Each upstream incident is one Vigía incident on every component the source feeds. A repeat poll updates title,
 *   status, severity, start, resolution and component states, appends the upstream updates not seen before (and
 *   rewrites ones the provider edited); it never duplicates.
 * - Severity comes from the adapter; when it is unknown the previous one stays (4 for a new incident). A change is
 *   kept in the severity history as `upstream:<source id>` and the SLA targets are recomputed.
 * - The start is the earliest the upstream ever gave (some formats only carry "last update"). The SLA response is
 *   the first upstream update (or the start when there is none); the resolution is the upstream's own time.
 * - An open incident missing from a snapshot that would have listed it is resolved "no longer reported" with a
 *   system update. Every adapter except feeds lists every open incident; a feed lists entries of a recent window,
 *   newest first and sometimes truncated, so there it counts only when the incident's last news is inside the
 *   window and the feed reaches back at least that far. Once its last news is older than the window, no feed will
 *   ever list it again: it is resolved then too ("no news for N days"), rather than left open forever. A snapshot
 *   that dropped a bad row never resolves anything this way: the dropped row may be the incident. An incident that
 *   comes back is reopened.
 * - Incidents first seen already closed are history: recorded (if inside the published history window) without
 *   telling subscribers.
 * Maintenances: upserted by upstream id on the source's components, status as the provider says; a window the
 * provider stops publishing is completed if it had started, cancelled otherwise.
 * A source that feeds no component records nothing but its own state.
 */
import type { Locale } from '../config/schema.ts';
import type { SlaTargetsFn } from '../incidents/targets.ts';
import { incidentNoticeKindFor } from '../notices/incident-notice-kind.ts';
import { HISTORY_DAYS } from '../status/views.ts';
import {
  isClosedStatus,
  OPEN_MAINTENANCE_STATUSES,
  type ComponentState,
  type ComponentStatus,
  type IncidentStatus,
  type Severity,
  type SourceType,
  type UpstreamMaintenanceStatus,
} from '../core/vocabulary.ts';
import { COMPONENT_STATUS_BY_SEVERITY } from '../status/vocabulary.ts';
import { upstreamMessages } from './messages.ts';
import { stateForSeverity, worseState } from './severity.ts';
import type { IncidentStep, IncidentValues, MaintenanceStep, MaintenanceValues, NewEntry } from './steps.ts';
import type { UpstreamIncident, UpstreamMaintenance, UpstreamSnapshot } from './types.ts';

const DAY_MS = 86_400_000;
/** An upstream window without an end is assumed to last this long past now, renewed at every poll while it is open. */
export const OPEN_ENDED_WINDOW_MS = 3_600_000;

export interface SourceFacts {
  id: string;
  name: string;
  type: SourceType;
  slaCounts: boolean;
  /** Components fed by the source (not retired), in page order. */
  componentIds: string[];
  /** The first component's calendar: the SLA clock of the source's incidents. */
  calendarId: string | null;
  locale: Locale;
  /** How far back a feed snapshot looks, in days (its `recentDays` option). */
  recentDays: number;
}

export interface StoredEntry {
  id: string;
  upstreamId: string | null;
  author: string;
  status: IncidentStatus;
  body: string;
  createdAt: Date;
}

/** A stored incident holds the values a plan sets, plus what identifies it and its links and timeline. */
export interface StoredIncident extends IncidentValues {
  id: string;
  upstreamId: string;
  components: { componentId: string; status: ComponentStatus; position: number }[];
  entries: StoredEntry[];
}

/** A stored window holds the values a plan sets (its cancel reason is never read back), plus its identity and links. */
export interface StoredMaintenance extends Omit<MaintenanceValues, 'cancelReason'> {
  id: string;
  upstreamId: string;
  componentIds: string[];
}

export interface ReconcileInput {
  source: SourceFacts;
  snapshot: UpstreamSnapshot;
  /** The source's open incidents and every stored incident the snapshot names. */
  incidents: StoredIncident[];
  /** The source's open windows and every stored window the snapshot names. */
  maintenances: StoredMaintenance[];
  now: Date;
  targets: SlaTargetsFn;
}

export interface RecordPlan {
  /** The source's state from this snapshot: its worst component state. */
  state: ComponentState;
  incidents: IncidentStep[];
  maintenances: MaintenanceStep[];
  /** Why part of the snapshot was not applied (logged). */
  held: string[];
}

/**
 * The worst state the snapshot reports. Pages without components (feeds, a quiet incident.io page) are operational
 * unless an open incident of known severity says otherwise; the incidents themselves are recorded either way.
 */
export function snapshotState(snapshot: UpstreamSnapshot): ComponentState {
  if (snapshot.components.length > 0) {
    return snapshot.components.reduce<ComponentState>((worst, c) => worseState(worst, c.state), 'operational');
  }
  return snapshot.incidents
    .filter((i) => !isClosedStatus(i.status) && i.severity !== null)
    .reduce<ComponentState>((worst, i) => worseState(worst, stateForSeverity(i.severity)), 'operational');
}

export function reconcileSnapshot(input: ReconcileInput): RecordPlan {
  const { source, snapshot } = input;
  const plan: RecordPlan = { state: snapshotState(snapshot), incidents: [], maintenances: [], held: [] };
  if (source.componentIds.length === 0) {
    if (snapshot.incidents.length || snapshot.maintenances.length) plan.held.push('the source feeds no component: incidents and maintenances are not recorded');
    return plan;
  }
  const coverage = snapshotCoverage(input);
  if (!coverage.trusted) plan.held.push(coverage.reason);

  const storedIncidents = new Map(input.incidents.map((i) => [i.upstreamId, i]));
  const seenIncidents = new Set<string>();
  for (const upstream of snapshot.incidents) {
    if (seenIncidents.has(upstream.upstreamId)) continue;
    seenIncidents.add(upstream.upstreamId);
    const stored = storedIncidents.get(upstream.upstreamId);
    const step = stored ? updateIncident(input, stored, upstream) : createIncident(input, upstream);
    if (step) plan.incidents.push(step);
  }
  for (const stored of input.incidents) {
    if (seenIncidents.has(stored.upstreamId) || isClosedStatus(stored.status)) continue;
    if (!coverage.trusted) continue;
    const latest = latestNews(stored);
    if (coverage.wouldList(latest)) plan.incidents.push(noLongerReported(input, stored, 'missing'));
    else if (coverage.agedOut(latest)) plan.incidents.push(noLongerReported(input, stored, 'aged-out'));
  }

  const storedWindows = new Map(input.maintenances.map((m) => [m.upstreamId, m]));
  const seenWindows = new Set<string>();
  for (const upstream of snapshot.maintenances) {
    if (seenWindows.has(upstream.upstreamId)) continue;
    seenWindows.add(upstream.upstreamId);
    const stored = storedWindows.get(upstream.upstreamId);
    const step = stored ? updateWindow(input, stored, upstream) : createWindow(input, upstream);
    if (step) plan.maintenances.push(step);
  }
  for (const stored of input.maintenances) {
    if (seenWindows.has(stored.upstreamId) || !isOpenWindow(stored.status)) continue;
    if (coverage.trusted && (coverage.wouldList(stored.endsAt) || coverage.agedOut(stored.endsAt))) plan.maintenances.push(windowUnpublished(input, stored));
  }
  return plan;
}

// ── Whether an absence means something ────────────────────────────────────────────────────────────────────────

interface Coverage {
  trusted: boolean;
  reason: string;
  /** Whether a row whose last news is at `latest` would be in this snapshot if the upstream still published it. */
  wouldList: (latest: Date) => boolean;
  /** Whether a row whose last news is at `latest` is too old for any snapshot of this source to list (feeds). */
  agedOut: (latest: Date) => boolean;
}

function snapshotCoverage({ source, snapshot, now }: ReconcileInput): Coverage {
  if (snapshot.problems.some((p) => p.rowDropped)) {
    return { trusted: false, reason: 'the snapshot dropped a row, so a missing incident may only be unreadable: none is resolved as no longer reported', wouldList: () => false, agedOut: () => false };
  }
  if (source.type !== 'feed') return { trusted: true, reason: '', wouldList: () => true, agedOut: () => false };
  const windowStart = now.getTime() - source.recentDays * DAY_MS;
  const entryTimes = [
    ...snapshot.incidents.map((i) => newestTime(i).getTime()),
    ...snapshot.maintenances.map((m) => m.startsAt.getTime()),
  ];
  const oldestEntry = entryTimes.length ? Math.min(...entryTimes) : null;
  return {
    trusted: true,
    reason: '',
    // Inside the window, and the feed reaches back at least that far (a feed cut to its N newest entries may
    // simply have pushed the row out).
    wouldList: (latest) => latest.getTime() >= windowStart && (oldestEntry === null || oldestEntry <= latest.getTime()),
    agedOut: (latest) => latest.getTime() < windowStart,
  };
}

function newestTime(incident: UpstreamIncident): Date {
  const times = [incident.startedAt.getTime(), ...(incident.resolvedAt ? [incident.resolvedAt.getTime()] : []), ...incident.updates.map((u) => u.createdAt.getTime())];
  return new Date(Math.max(...times));
}

function latestNews(stored: StoredIncident): Date {
  const times = [stored.startedAt.getTime(), ...stored.entries.filter((e) => e.author === 'upstream').map((e) => e.createdAt.getTime())];
  return new Date(Math.max(...times));
}

// ── Incidents ──────────────────────────────────────────────────────────────────────────────────────────────────

const clampToNow = (date: Date, now: Date): Date => (date.getTime() > now.getTime() ? now : date);
const minDate = (a: Date, b: Date): Date => (b.getTime() < a.getTime() ? b : a);
const sameInstant = (a: Date | null | undefined, b: Date | null | undefined): boolean => (a?.getTime() ?? null) === (b?.getTime() ?? null);

/** Sets one field of a patch (a keyed assignment TypeScript can check). */
function put<T, K extends keyof T>(patch: Partial<T>, key: K, value: T[K]): void {
  patch[key] = value;
}

function asSeverity(value: number): Severity {
  return value === 1 || value === 2 || value === 3 ? value : 4;
}

function entryStatus(upstream: UpstreamIncident, index: number): IncidentStatus {
  const update = upstream.updates[index]!;
  if (update.status) return update.status;
  // Formats without per-update statuses (Google): the newest update of a closed incident is its resolution.
  return index === upstream.updates.length - 1 && isClosedStatus(upstream.status) ? upstream.status : 'investigating';
}

function upstreamEntries(upstream: UpstreamIncident, startedAt: Date, now: Date): NewEntry[] {
  return upstream.updates.map((update, index) => ({
    upstreamId: update.upstreamId,
    author: 'upstream' as const,
    status: entryStatus(upstream, index),
    body: update.body,
    // A timeline never runs backwards past its start nor ahead of the clock.
    createdAt: clampToNow(update.createdAt.getTime() < startedAt.getTime() ? startedAt : update.createdAt, now),
  }));
}

function firstTimeWith(entries: readonly { status: string; createdAt: Date }[], status: string): Date | null {
  const times = entries.filter((e) => e.status === status).map((e) => e.createdAt.getTime());
  return times.length ? new Date(Math.min(...times)) : null;
}

function earliest(entries: readonly { createdAt: Date }[]): Date | null {
  return entries.length ? new Date(Math.min(...entries.map((e) => e.createdAt.getTime()))) : null;
}

function resolutionTime(upstream: UpstreamIncident, startedAt: Date, fallback: Date | null, now: Date): Date {
  const newestUpdate = upstream.updates.length ? upstream.updates[upstream.updates.length - 1]!.createdAt : null;
  const at = upstream.resolvedAt ?? fallback ?? newestUpdate ?? now;
  return clampToNow(at.getTime() < startedAt.getTime() ? startedAt : at, now);
}

function createIncident(input: ReconcileInput, upstream: UpstreamIncident): IncidentStep | null {
  const { source, now } = input;
  const closed = isClosedStatus(upstream.status);
  const startedAt = clampToNow(upstream.startedAt, now);
  const resolvedAt = closed ? resolutionTime(upstream, startedAt, null, now) : null;
  if (closed && resolvedAt!.getTime() < now.getTime() - HISTORY_DAYS * DAY_MS) return null;
  const severity = upstream.severity ?? 4;
  const entries = upstreamEntries(upstream, startedAt, now);
  const due = input.targets(severity, source.calendarId, startedAt);
  const status = COMPONENT_STATUS_BY_SEVERITY[severity];
  return {
    action: 'create',
    upstreamId: upstream.upstreamId,
    values: {
      title: upstream.title || upstreamMessages(source.locale).incidentTitle(source.name),
      status: upstream.status,
      severity,
      startedAt,
      resolvedAt,
      monitoringAt: firstTimeWith(entries, 'monitoring') ?? (upstream.status === 'monitoring' ? now : null),
      respondedAt: earliest(entries) ?? startedAt,
      upstreamUrl: upstream.url ?? null,
      calendarId: source.calendarId,
      responseDueAt: due.responseDueAt,
      resolutionDueAt: due.resolutionDueAt,
      slaCounts: source.slaCounts,
    },
    components: source.componentIds.map((componentId, position) => ({ componentId, status, position })),
    entries,
    notice: closed ? null : 'opened',
  };
}

function updateIncident(input: ReconcileInput, stored: StoredIncident, upstream: UpstreamIncident): IncidentStep | null {
  const { source, now } = input;
  const messages = upstreamMessages(source.locale);
  const why: string[] = [];
  const wasClosed = isClosedStatus(stored.status);
  const closed = isClosedStatus(upstream.status);
  const startedAt = minDate(stored.startedAt, clampToNow(upstream.startedAt, now));
  const severity = upstream.severity ?? asSeverity(stored.severity);

  // Timeline: new upstream updates appended, edited ones rewritten.
  const byUpstreamId = new Map(stored.entries.filter((e) => e.upstreamId !== null).map((e) => [e.upstreamId!, e]));
  const incoming = upstreamEntries(upstream, startedAt, now);
  const entries: NewEntry[] = [];
  const editedEntries: { id: string; status: IncidentStatus; body: string }[] = [];
  for (const entry of incoming) {
    const known = byUpstreamId.get(entry.upstreamId!);
    if (!known) entries.push(entry);
    else if (known.body !== entry.body || known.status !== entry.status) editedEntries.push({ id: known.id, status: entry.status, body: entry.body });
  }
  if (entries.length) why.push(`${entries.length} new update(s)`);
  if (editedEntries.length) why.push(`${editedEntries.length} update(s) edited upstream`);
  if (wasClosed && !closed && entries.length === 0) {
    entries.push({ upstreamId: null, author: 'system', status: upstream.status, body: messages.incidentReportedAgain, createdAt: now });
  }

  const allEntries = [...stored.entries, ...entries];
  const calendarId = stored.calendarId;
  const values: Omit<IncidentValues, 'responseDueAt' | 'resolutionDueAt'> = {
    title: upstream.title || stored.title,
    status: upstream.status,
    severity,
    startedAt,
    resolvedAt: closed ? resolutionTime(upstream, startedAt, wasClosed ? stored.resolvedAt : null, now) : null,
    monitoringAt: stored.monitoringAt ?? firstTimeWith(allEntries, 'monitoring') ?? (upstream.status === 'monitoring' ? now : null),
    respondedAt: earliest(allEntries.filter((e) => e.author === 'upstream')) ?? stored.respondedAt ?? startedAt,
    upstreamUrl: upstream.url ?? stored.upstreamUrl,
    calendarId,
  };
  const patch: Partial<IncidentValues> = {};
  if (values.title !== stored.title) patch.title = values.title;
  if (values.status !== stored.status) {
    patch.status = values.status;
    why.push(`status ${stored.status} → ${values.status}`);
  }
  if (values.severity !== stored.severity) patch.severity = values.severity;
  for (const key of ['startedAt', 'resolvedAt', 'monitoringAt', 'respondedAt'] as const) {
    if (!sameInstant(values[key], stored[key])) put(patch, key, values[key]);
  }
  if (values.upstreamUrl !== stored.upstreamUrl) patch.upstreamUrl = values.upstreamUrl;
  if (patch.severity !== undefined || patch.startedAt !== undefined) {
    const due = input.targets(severity, calendarId, startedAt);
    if (!sameInstant(due.responseDueAt, stored.responseDueAt)) patch.responseDueAt = due.responseDueAt;
    if (!sameInstant(due.resolutionDueAt, stored.resolutionDueAt)) patch.resolutionDueAt = due.resolutionDueAt;
  }
  const severityChange =
    patch.severity !== undefined
      ? { from: stored.severity, to: severity, reason: upstream.impactRaw ? `upstream impact "${upstream.impactRaw}"` : 'upstream component states' }
      : null;
  if (severityChange) why.push(`severity ${severityChange.from} → ${severityChange.to}`);

  const status = COMPONENT_STATUS_BY_SEVERITY[severity];
  const setComponents = stored.components.filter((c) => c.status !== status).map((c) => ({ componentId: c.componentId, status, position: c.position }));
  const linked = new Set(stored.components.map((c) => c.componentId));
  let position = stored.components.reduce((max, c) => Math.max(max, c.position + 1), 0);
  const addComponents = source.componentIds.filter((id) => !linked.has(id)).map((componentId) => ({ componentId, status, position: position++ }));
  if (addComponents.length) why.push(`${addComponents.length} component(s) added`);

  const changed = Object.keys(patch).length > 0 || entries.length > 0 || editedEntries.length > 0 || setComponents.length > 0 || addComponents.length > 0;
  if (!changed) return null;
  // Subscribers hear about news (an update, a status change, a new severity), not about rewording.
  const news = entries.length > 0 || wasClosed !== closed || severityChange !== null;
  return {
    action: 'update',
    incidentId: stored.id,
    upstreamId: stored.upstreamId,
    patch,
    severityChange,
    setComponents,
    addComponents,
    entries,
    editedEntries,
    notice: news ? incidentNoticeKindFor(wasClosed, closed) : null,
    why,
  };
}

/** Resolves an open incident the source no longer lists (`missing`), or whose last news left the feed's window. */
function noLongerReported(input: ReconcileInput, stored: StoredIncident, why: 'missing' | 'aged-out'): IncidentStep {
  const { now, source } = input;
  const resolvedAt = stored.startedAt.getTime() > now.getTime() ? stored.startedAt : now;
  const messages = upstreamMessages(source.locale);
  return {
    action: 'update',
    incidentId: stored.id,
    upstreamId: stored.upstreamId,
    patch: { status: 'resolved', resolvedAt },
    severityChange: null,
    setComponents: [],
    addComponents: [],
    entries: [
      {
        upstreamId: null,
        author: 'system',
        status: 'resolved',
        body: why === 'missing' ? messages.incidentNoLongerReported : messages.incidentNoNews(source.recentDays),
        createdAt: resolvedAt,
      },
    ],
    editedEntries: [],
    notice: 'resolved',
    why: [why === 'missing' ? 'no longer reported by the provider' : `no news from the provider for more than ${source.recentDays} days (the feed's window)`],
  };
}

// ── Maintenances ───────────────────────────────────────────────────────────────────────────────────────────────

const isOpenWindow = (status: string): boolean => (OPEN_MAINTENANCE_STATUSES as readonly string[]).includes(status);
const hasStarted = (status: UpstreamMaintenanceStatus): boolean => status !== 'scheduled';

function windowValues(input: ReconcileInput, upstream: UpstreamMaintenance, stored: StoredMaintenance | undefined): MaintenanceValues {
  const { now } = input;
  const startsAt = upstream.startsAt;
  let endsAt: Date;
  if (upstream.endsAt) endsAt = upstream.endsAt;
  else if (upstream.status === 'completed') endsAt = stored && stored.endsAt.getTime() <= now.getTime() ? stored.endsAt : now;
  else endsAt = new Date(Math.max(startsAt.getTime(), now.getTime()) + OPEN_ENDED_WINDOW_MS);
  if (endsAt.getTime() <= startsAt.getTime()) endsAt = new Date(startsAt.getTime() + OPEN_ENDED_WINDOW_MS);

  const startedAt = hasStarted(upstream.status) ? (stored?.startedAt ?? minDate(startsAt, now)) : null;
  const completedAt = upstream.status === 'completed' ? (stored?.completedAt ?? minDate(endsAt, now)) : null;
  const moved = stored !== undefined && (!sameInstant(stored.startsAt, startsAt) || (upstream.endsAt !== null && !sameInstant(stored.endsAt, upstream.endsAt)));
  return {
    title: upstream.title || stored?.title || upstreamMessages(input.source.locale).maintenanceStatus.scheduled,
    message: upstream.body ?? stored?.message ?? '',
    status: upstream.status,
    startsAt,
    endsAt,
    startedAt,
    completedAt,
    cancelledAt: null,
    cancelReason: null,
    upstreamUrl: upstream.url ?? stored?.upstreamUrl ?? null,
    // The iCalendar SEQUENCE moves when the provider moves the window (not when an open end is re-estimated).
    version: stored ? stored.version + (moved ? 1 : 0) : 0,
  };
}

function createWindow(input: ReconcileInput, upstream: UpstreamMaintenance): MaintenanceStep | null {
  const values = windowValues(input, upstream, undefined);
  if (values.status === 'completed' && values.endsAt.getTime() < input.now.getTime() - HISTORY_DAYS * DAY_MS) return null;
  const messages = upstreamMessages(input.source.locale);
  return {
    action: 'create',
    upstreamId: upstream.upstreamId,
    values,
    componentIds: input.source.componentIds,
    entry: { status: upstream.status, body: upstream.body || messages.maintenanceStatus[upstream.status], createdAt: input.now },
  };
}

function updateWindow(input: ReconcileInput, stored: StoredMaintenance, upstream: UpstreamMaintenance): MaintenanceStep | null {
  const values = windowValues(input, upstream, stored);
  const patch: Partial<MaintenanceValues> = {};
  const why: string[] = [];
  for (const key of ['title', 'message', 'status', 'upstreamUrl'] as const) {
    if (values[key] !== stored[key]) put(patch, key, values[key]);
  }
  for (const key of ['startsAt', 'endsAt', 'startedAt', 'completedAt', 'cancelledAt'] as const) {
    if (!sameInstant(values[key], stored[key])) put(patch, key, values[key]);
  }
  if (values.version !== stored.version) {
    patch.version = values.version;
    why.push('moved by the provider');
  }
  if (stored.status === 'cancelled') patch.cancelReason = null;
  if (patch.status) why.push(`status ${stored.status} → ${values.status}`);
  const addComponentIds = input.source.componentIds.filter((id) => !stored.componentIds.includes(id));
  if (Object.keys(patch).length === 0 && addComponentIds.length === 0) return null;
  return {
    action: 'update',
    maintenanceId: stored.id,
    upstreamId: stored.upstreamId,
    patch,
    addComponentIds,
    entry: patch.status ? { status: upstream.status, body: upstreamMessages(input.source.locale).maintenanceStatus[upstream.status], createdAt: input.now } : null,
    why,
  };
}

function windowUnpublished(input: ReconcileInput, stored: StoredMaintenance): MaintenanceStep {
  const { now } = input;
  const messages = upstreamMessages(input.source.locale);
  const started = stored.status !== 'scheduled' || now.getTime() >= stored.startsAt.getTime();
  if (started) {
    return {
      action: 'update',
      maintenanceId: stored.id,
      upstreamId: stored.upstreamId,
      patch: { status: 'completed', completedAt: minDate(stored.endsAt, now), startedAt: stored.startedAt ?? minDate(stored.startsAt, now) },
      addComponentIds: [],
      entry: { status: 'completed', body: messages.maintenanceEndedUnpublished, createdAt: now },
      why: ['no longer published by the provider (had started)'],
    };
  }
  return {
    action: 'update',
    maintenanceId: stored.id,
    upstreamId: stored.upstreamId,
    patch: { status: 'cancelled', cancelledAt: now, cancelReason: messages.maintenanceNoLongerPublished },
    addComponentIds: [],
    entry: { status: 'cancelled', body: messages.maintenanceNoLongerPublished, createdAt: now },
    why: ['no longer published by the provider (before its start)'],
  };
}
