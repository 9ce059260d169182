/**
 * Instatus pages: `/summary.json` (required) and `/v2/components.json` (optional).
 *
 * - `activeIncidents` / `activeMaintenances` may be null or missing: read as empty.
 * - `started` / `start` are ISO strings or JavaScript `Date.toString()` strings; both are read (time.ts).
 *   An incident whose start cannot be read is kept with the poll time as start (an ongoing incident must not vanish
 *   because of a date format); a maintenance without a readable start is dropped (its window is the point).
 * - `duration` is minutes, as a number or a string; the end is start + duration when readable.
 * - Rows may lack `id`: the id is then the last segment of `url`, else `name@started`.
 * - components.json may be `{ components: [...] }` or a bare array; a row with `children` is a group.
 *   When it is unusable it is ignored and reported; the summary still gives incidents and maintenances.
 */
import { z } from 'zod';
import { UpstreamFormatError } from '../errors.ts';
import { type EndpointSpec, underBase } from '../endpoint.ts';
import { ParseNotes } from '../notes.ts';
import { safeHttpUrl, toPlainLine } from '../sanitize.ts';
import {
  componentStateForWord,
  incidentStatusForWord,
  maintenanceStatusForWord,
  pageIndicatorForWord,
  severityForWord,
} from '../severity.ts';
import { parseMinutes, parseTimestamp } from '../time.ts';
import type { PageStatus, ParseContext, UpstreamComponent, UpstreamIncident, UpstreamMaintenance, UpstreamSnapshot } from '../types.ts';
import { inferMaintenanceStatus } from './maintenance-status.ts';
import { anything, idSchema, isPlainObject, listAt, looseString, readJsonBody, requireObjectWith, validRows } from './shared.ts';

export interface InstatusBodies {
  /** `/summary.json` (required). */
  summary: unknown;
  /** `/v2/components.json` (optional). */
  components?: unknown;
}

export function instatusEndpoints(sourceUrl: string): EndpointSpec<keyof InstatusBodies>[] {
  return [
    { key: 'summary', url: underBase(sourceUrl, 'summary.json'), required: true, expect: 'json' },
    { key: 'components', url: underBase(sourceUrl, 'v2/components.json'), required: false, expect: 'json' },
  ];
}

const optionalId = z.unknown().optional().transform((value) => {
  const parsed = idSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
});

const incidentRow = z.object({
  id: optionalId,
  name: z.string(),
  started: anything,
  status: z.string(),
  impact: looseString,
  url: looseString,
});

const maintenanceRow = z.object({
  id: optionalId,
  name: z.string(),
  start: anything,
  status: looseString,
  duration: anything,
  url: looseString,
});

const componentRow = z.object({
  id: idSchema,
  name: z.string(),
  status: looseString,
  group: anything,
  children: anything,
});

const pageRow = z.object({ status: z.string(), url: looseString });

function idFrom(id: string | undefined, url: string | undefined, fallback: string): string {
  if (id) return id;
  if (url) {
    const segment = new URL(url).pathname.split('/').filter(Boolean).at(-1);
    if (segment) return segment;
  }
  return fallback;
}

function groupName(group: unknown): string | undefined {
  if (!isPlainObject(group) || typeof group.name !== 'string') return undefined;
  return toPlainLine(group.name) || undefined;
}

function parseComponents(input: unknown, notes: ParseNotes): UpstreamComponent[] {
  if (input === undefined) return [];
  const where = 'v2/components.json';
  let rows: unknown[];
  try {
    const body = readJsonBody(input, where);
    rows = Array.isArray(body) ? body : listAt(requireObjectWith(body, ['components'], where), 'components', where);
  } catch (error) {
    if (!(error instanceof UpstreamFormatError)) throw error;
    notes.replaced(where, `${error.message}; ignored, no components listed`);
    return [];
  }
  const components = new Map<string, UpstreamComponent>();
  const add = (row: z.infer<typeof componentRow>, rowWhere: string, group: string | undefined): void => {
    if (components.has(row.id)) {
      notes.dropped(rowWhere, `duplicate component id ${row.id}`);
      return;
    }
    let state = componentStateForWord(row.status);
    if (state === null) {
      if (row.status !== undefined) notes.unknownWord(row.status);
      state = 'unknown';
    }
    components.set(row.id, { upstreamId: row.id, name: toPlainLine(row.name), ...(group ? { group } : {}), state });
  };
  for (const { row, where: rowWhere } of validRows(rows, componentRow, `${where} components`, notes)) {
    if (Array.isArray(row.children) && row.children.length > 0) {
      const name = toPlainLine(row.name);
      for (const child of validRows(row.children, componentRow, `${rowWhere} children`, notes)) {
        add(child.row, child.where, name);
      }
      continue;
    }
    add(row, rowWhere, groupName(row.group));
  }
  return [...components.values()];
}

export function parseInstatus(bodies: InstatusBodies, ctx: ParseContext): UpstreamSnapshot {
  const notes = new ParseNotes();
  const where = 'summary.json';
  const summary = requireObjectWith(readJsonBody(bodies.summary, where), ['page', 'activeIncidents'], where);
  const page = pageRow.safeParse(summary.page);
  const pageUrl = page.success ? safeHttpUrl(page.data.url) : undefined;

  let pageStatus: PageStatus | undefined;
  if (page.success) {
    const indicator = pageIndicatorForWord(page.data.status);
    if (indicator === null) notes.unknownWord(page.data.status);
    pageStatus = { indicator: indicator ?? 'unknown', description: null };
  }

  const incidents: UpstreamIncident[] = [];
  for (const { row, where: rowWhere } of validRows(listAt(summary, 'activeIncidents', where), incidentRow, `${where} activeIncidents`, notes)) {
    const url = safeHttpUrl(row.url, pageUrl);
    let startedAt = parseTimestamp(row.started);
    if (!startedAt) {
      notes.replaced(rowWhere, 'unreadable started; poll time used');
      startedAt = ctx.now;
    }
    let status = incidentStatusForWord(row.status);
    if (status === null) {
      notes.unknownWord(row.status);
      status = 'investigating';
    }
    const severity = severityForWord(row.impact);
    if (severity === null && row.impact !== undefined) notes.unknownWord(row.impact);
    const title = toPlainLine(row.name);
    incidents.push({
      upstreamId: idFrom(row.id, url, `${title}@${startedAt.toISOString()}`),
      title,
      status,
      impactRaw: row.impact ?? null,
      severity,
      startedAt,
      // Instatus lists an incident as active until it is over; "RESOLVED" here means it just closed.
      resolvedAt: status === 'resolved' ? ctx.now : null,
      ...(url ? { url } : {}),
      componentUpstreamIds: [],
      updates: [],
    });
  }

  const maintenances: UpstreamMaintenance[] = [];
  for (const { row, where: rowWhere } of validRows(listAt(summary, 'activeMaintenances', where), maintenanceRow, `${where} activeMaintenances`, notes)) {
    const startsAt = parseTimestamp(row.start);
    if (!startsAt) {
      notes.dropped(rowWhere, 'unreadable start');
      continue;
    }
    const minutes = parseMinutes(row.duration);
    if (minutes === null && row.duration !== undefined && row.duration !== null) {
      notes.replaced(rowWhere, 'unreadable duration; end unknown');
    }
    const endsAt = minutes === null ? null : new Date(startsAt.getTime() + minutes * 60_000);
    let status = maintenanceStatusForWord(row.status);
    if (status === null) {
      if (row.status !== undefined) notes.unknownWord(row.status);
      status = inferMaintenanceStatus(startsAt, endsAt, ctx.now);
    }
    const url = safeHttpUrl(row.url, pageUrl);
    const title = toPlainLine(row.name);
    maintenances.push({
      upstreamId: idFrom(row.id, url, `${title}@${startsAt.toISOString()}`),
      title,
      status,
      startsAt,
      endsAt,
      ...(url ? { url } : {}),
      componentUpstreamIds: [],
    });
  }

  return {
    components: parseComponents(bodies.components, notes),
    incidents,
    maintenances,
    ...(pageStatus ? { pageStatus } : {}),
    unknownWords: notes.unknownWords,
    problems: notes.problems,
  };
}
