/**
 * Atlassian Statuspage, public API v2.
 *
 * - `summary.json` is required and authoritative for components, the page indicator, unresolved incidents and
 *   active/upcoming maintenances. A summary that is not an object with `components`, `status`, `incidents` or
 *   `page` fails the parse (UpstreamFormatError) so the poller keeps its last good snapshot.
 * - `incidents.json` (the 50 most recent, resolved ones included) and `scheduled-maintenances.json` are optional.
 *   When one of them is malformed it is ignored and reported in `problems`; the summary alone still gives a correct
 *   current state.
 * - Rows with `group: true` are groups: their names become the `group` of their children. Component names repeat
 *   across groups on some pages, so everything is keyed on `id`.
 * - The same incident can appear in both summary.json and incidents.json: the copy with the later `updated_at` wins
 *   (summary.json on a tie).
 * - Rows in incidents.json whose status is a maintenance word (scheduled, in_progress, …) are maintenances.
 */
import { z } from 'zod';
import { UpstreamFormatError } from '../errors.ts';
import { ParseNotes } from '../notes.ts';
import { safeHttpUrl, toPlainLine, toPlainText } from '../sanitize.ts';
import {
  componentStateForWord,
  incidentSeverity,
  incidentStatusForWord,
  maintenanceStatusForWord,
  pageIndicatorForWord,
  severityForWord,
} from '../severity.ts';
import { parseTimestamp } from '../time.ts';
import type { ComponentState, IncidentStatus, UpstreamMaintenanceStatus } from '../../core/vocabulary.ts';
import type {
  PageStatus,
  ParseContext,
  UpstreamComponent,
  UpstreamIncident,
  UpstreamIncidentUpdate,
  UpstreamMaintenance,
  UpstreamSnapshot,
} from '../types.ts';
import { type EndpointSpec, underBase } from '../endpoint.ts';
import { inferMaintenanceStatus } from './maintenance-status.ts';
import { anything, idSchema, idsOf, isPlainObject, listAt, looseString, readJsonBody, requireObjectWith, validRows } from './shared.ts';

export interface StatuspageBodies {
  /** `/api/v2/summary.json` (required). */
  summary: unknown;
  /** `/api/v2/incidents.json` (optional). */
  incidents?: unknown;
  /** `/api/v2/scheduled-maintenances.json` (optional). */
  maintenances?: unknown;
}

export function statuspageEndpoints(sourceUrl: string): EndpointSpec<keyof StatuspageBodies>[] {
  return [
    { key: 'summary', url: underBase(sourceUrl, 'api/v2/summary.json'), required: true, expect: 'json' },
    { key: 'incidents', url: underBase(sourceUrl, 'api/v2/incidents.json'), required: false, expect: 'json', secondary: true },
    {
      key: 'maintenances',
      url: underBase(sourceUrl, 'api/v2/scheduled-maintenances.json'),
      required: false,
      expect: 'json',
      // summary.json already lists the upcoming and active windows; this adds completed ones.
      secondary: true,
    },
  ];
}

const componentRow = z.object({
  id: idSchema,
  name: z.string(),
  status: looseString,
  group: z.unknown().optional().transform((value) => value === true),
  group_id: z.unknown().optional().transform((value) => (typeof value === 'string' || typeof value === 'number' ? String(value) : undefined)),
  components: anything,
});

const updateRow = z.object({
  id: idSchema,
  status: looseString,
  body: looseString,
  created_at: anything,
  display_at: anything,
});

const incidentRow = z.object({
  id: idSchema,
  name: z.string(),
  status: z.string(),
  impact: looseString,
  created_at: anything,
  started_at: anything,
  updated_at: anything,
  resolved_at: anything,
  scheduled_for: anything,
  scheduled_until: anything,
  shortlink: looseString,
  components: anything,
  incident_updates: anything,
});
type IncidentRow = z.infer<typeof incidentRow>;

const pageSchema = z.object({ url: looseString }).catch({ url: undefined });
const statusSchema = z.object({ indicator: z.string(), description: looseString });

interface RowFrom {
  row: IncidentRow;
  where: string;
}

function parseUpdates(raw: unknown, where: string, notes: ParseNotes): UpstreamIncidentUpdate[] {
  if (!Array.isArray(raw)) return [];
  const updates: UpstreamIncidentUpdate[] = [];
  for (const { row, where: rowWhere } of validRows(raw, updateRow, `${where} incident_updates`, notes)) {
    const createdAt = parseTimestamp(row.display_at) ?? parseTimestamp(row.created_at);
    if (!createdAt) {
      notes.dropped(rowWhere, 'no readable created_at');
      continue;
    }
    // Update statuses are incident or maintenance words; only incident words are kept as a status.
    const status = incidentStatusForWord(row.status);
    if (status === null && row.status !== undefined && maintenanceStatusForWord(row.status) === null) {
      notes.unknownWord(row.status);
    }
    updates.push({ upstreamId: row.id, status, body: toPlainText(row.body), createdAt });
  }
  // Statuspage lists updates newest first; the snapshot wants them oldest first.
  return updates.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

function componentStatesOf(raw: unknown, notes: ParseNotes): ComponentState[] {
  if (!Array.isArray(raw)) return [];
  const states: ComponentState[] = [];
  for (const item of raw) {
    if (!isPlainObject(item) || typeof item.status !== 'string') continue;
    const state = componentStateForWord(item.status);
    if (state === null) notes.unknownWord(item.status);
    else states.push(state);
  }
  return states;
}

function incidentUrl(pageUrl: string | undefined, id: string, shortlink: string | undefined): string | undefined {
  if (pageUrl) {
    const base = pageUrl.endsWith('/') ? pageUrl : `${pageUrl}/`;
    const url = safeHttpUrl(`incidents/${encodeURIComponent(id)}`, base);
    if (url) return url;
  }
  return safeHttpUrl(shortlink);
}

function toIncident(
  { row, where }: RowFrom,
  status: IncidentStatus,
  pageUrl: string | undefined,
  notes: ParseNotes,
): UpstreamIncident | null {
  const startedAt = parseTimestamp(row.started_at) ?? parseTimestamp(row.created_at);
  if (!startedAt) {
    notes.dropped(where, 'no readable started_at or created_at');
    return null;
  }
  const updates = parseUpdates(row.incident_updates, where, notes);
  const url = incidentUrl(pageUrl, row.id, row.shortlink);
  const resolved = status === 'resolved' || status === 'postmortem';
  let resolvedAt = parseTimestamp(row.resolved_at);
  if (resolved && !resolvedAt) {
    resolvedAt = updates.at(-1)?.createdAt ?? parseTimestamp(row.updated_at);
    if (!resolvedAt) notes.replaced(where, 'resolved without a readable resolved_at');
  }
  const impactSeverity = severityForWord(row.impact);
  if (impactSeverity === null && row.impact !== undefined) notes.unknownWord(row.impact);
  return {
    upstreamId: row.id,
    title: toPlainLine(row.name),
    status,
    impactRaw: row.impact ?? null,
    severity: incidentSeverity({
      impactSeverity,
      componentStates: componentStatesOf(row.components, notes),
      resolved,
    }),
    startedAt,
    resolvedAt: resolved ? resolvedAt : null,
    ...(url ? { url } : {}),
    componentUpstreamIds: idsOf(row.components),
    updates,
  };
}

function toMaintenance(
  { row, where }: RowFrom,
  status: UpstreamMaintenanceStatus | null,
  pageUrl: string | undefined,
  ctx: ParseContext,
  notes: ParseNotes,
): UpstreamMaintenance | null {
  const startsAt =
    parseTimestamp(row.scheduled_for) ?? parseTimestamp(row.started_at) ?? parseTimestamp(row.created_at);
  if (!startsAt) {
    notes.dropped(where, 'no readable scheduled_for');
    return null;
  }
  const endsAt = parseTimestamp(row.scheduled_until);
  const updates = parseUpdates(row.incident_updates, where, notes);
  // The first update is the announcement, which is what a maintenance notice should carry.
  const body = updates[0]?.body;
  const url = incidentUrl(pageUrl, row.id, row.shortlink);
  return {
    upstreamId: row.id,
    title: toPlainLine(row.name),
    status: status ?? inferMaintenanceStatus(startsAt, endsAt, ctx.now),
    startsAt,
    endsAt,
    ...(url ? { url } : {}),
    ...(body ? { body } : {}),
    componentUpstreamIds: idsOf(row.components),
  };
}

function parseComponents(rows: unknown[], notes: ParseNotes): UpstreamComponent[] {
  const valid = validRows(rows, componentRow, 'summary.json components', notes);
  const groupNames = new Map<string, string>();
  const groupOfChild = new Map<string, string>();
  for (const { row } of valid) {
    if (!row.group) continue;
    groupNames.set(row.id, toPlainLine(row.name));
    for (const childId of Array.isArray(row.components) ? row.components : []) {
      if (typeof childId === 'string') groupOfChild.set(childId, row.id);
    }
  }
  const components: UpstreamComponent[] = [];
  const seen = new Set<string>();
  for (const { row, where } of valid) {
    if (row.group) continue;
    if (seen.has(row.id)) {
      notes.dropped(where, `duplicate component id ${row.id}`);
      continue;
    }
    seen.add(row.id);
    let state = componentStateForWord(row.status);
    if (state === null) {
      if (row.status !== undefined) notes.unknownWord(row.status);
      else notes.replaced(where, 'no status');
      state = 'unknown';
    }
    const groupId = row.group_id ?? groupOfChild.get(row.id);
    const group = groupId === undefined ? undefined : groupNames.get(groupId);
    components.push({ upstreamId: row.id, name: toPlainLine(row.name), ...(group ? { group } : {}), state });
  }
  return components;
}

function parsePageStatus(raw: unknown, notes: ParseNotes): PageStatus | undefined {
  const parsed = statusSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const indicator = pageIndicatorForWord(parsed.data.indicator);
  if (indicator === null) notes.unknownWord(parsed.data.indicator);
  const description = toPlainLine(parsed.data.description);
  return { indicator: indicator ?? 'unknown', description: description === '' ? null : description };
}

/** Rows from an optional secondary file, or [] (with a problem noted) when that file is unusable. */
function secondaryRows(input: unknown, key: string, where: string, notes: ParseNotes): unknown[] {
  if (input === undefined) return [];
  try {
    const body = requireObjectWith(readJsonBody(input, where), [key], where);
    return listAt(body, key, where);
  } catch (error) {
    if (!(error instanceof UpstreamFormatError)) throw error;
    notes.replaced(where, `${error.message}; ignored, summary.json alone is used`);
    return [];
  }
}

function updatedAtMillis(row: IncidentRow): number {
  return parseTimestamp(row.updated_at)?.getTime() ?? Number.NEGATIVE_INFINITY;
}

/** Same id from several files: the freshest copy wins, earlier sources win ties. */
function freshestById(rows: RowFrom[]): RowFrom[] {
  const byId = new Map<string, RowFrom>();
  for (const candidate of rows) {
    const current = byId.get(candidate.row.id);
    if (!current || updatedAtMillis(candidate.row) > updatedAtMillis(current.row)) byId.set(candidate.row.id, candidate);
  }
  return [...byId.values()];
}

export function parseStatuspage(bodies: StatuspageBodies, ctx: ParseContext): UpstreamSnapshot {
  const notes = new ParseNotes();
  const summary = requireObjectWith(
    readJsonBody(bodies.summary, 'summary.json'),
    ['components', 'status', 'incidents', 'page'],
    'summary.json',
  );
  const componentRows = listAt(summary, 'components', 'summary.json');
  const summaryIncidents = listAt(summary, 'incidents', 'summary.json');
  const summaryMaintenances = listAt(summary, 'scheduled_maintenances', 'summary.json');
  const pageUrl = safeHttpUrl(pageSchema.parse(summary.page ?? {}).url) ?? safeHttpUrl(ctx.sourceUrl);

  const incidentRows = [
    ...validRows(summaryIncidents, incidentRow, 'summary.json incidents', notes),
    ...validRows(secondaryRows(bodies.incidents, 'incidents', 'incidents.json', notes), incidentRow, 'incidents.json incidents', notes),
  ];
  const maintenanceRows = [
    ...validRows(summaryMaintenances, incidentRow, 'summary.json scheduled_maintenances', notes),
    ...validRows(
      secondaryRows(bodies.maintenances, 'scheduled_maintenances', 'scheduled-maintenances.json', notes),
      incidentRow,
      'scheduled-maintenances.json scheduled_maintenances',
      notes,
    ),
  ];

  const incidents: UpstreamIncident[] = [];
  const maintenances: UpstreamMaintenance[] = [];
  const maintenanceCandidates: RowFrom[] = [...maintenanceRows];
  for (const candidate of freshestById(incidentRows)) {
    const incidentStatus = incidentStatusForWord(candidate.row.status);
    if (incidentStatus === null) {
      // incidents.json also lists maintenances.
      if (maintenanceStatusForWord(candidate.row.status) !== null || candidate.row.impact?.toLowerCase() === 'maintenance') {
        maintenanceCandidates.push(candidate);
        continue;
      }
      notes.unknownWord(candidate.row.status);
      // Unknown status: open unless the upstream says when it was resolved.
      const fallback: IncidentStatus = parseTimestamp(candidate.row.resolved_at) ? 'resolved' : 'investigating';
      notes.replaced(candidate.where, `unknown status; read as ${fallback}`);
      const incident = toIncident(candidate, fallback, pageUrl, notes);
      if (incident) incidents.push(incident);
      continue;
    }
    const incident = toIncident(candidate, incidentStatus, pageUrl, notes);
    if (incident) incidents.push(incident);
  }
  for (const candidate of freshestById(maintenanceCandidates)) {
    const status = maintenanceStatusForWord(candidate.row.status);
    if (status === null) notes.unknownWord(candidate.row.status);
    const maintenance = toMaintenance(candidate, status, pageUrl, ctx, notes);
    if (maintenance) maintenances.push(maintenance);
  }

  const components = parseComponents(componentRows, notes);
  const pageStatus = parsePageStatus(summary.status, notes);
  return {
    components,
    incidents,
    maintenances,
    ...(pageStatus ? { pageStatus } : {}),
    unknownWords: notes.unknownWords,
    problems: notes.problems,
  };
}
