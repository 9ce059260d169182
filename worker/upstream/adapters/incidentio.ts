/**
 * incident.io status pages, widget API `/api/v1/summary`.
 *
 * The widget lists only what is happening: ongoing incidents, in-progress and scheduled maintenances. So:
 * - components are the ones named in `affected_components`, with their `current_status` (or, when absent, the
 *   incident's `current_worst_impact`; `under_maintenance` for in-progress maintenances); a component not
 *   mentioned is not reported at all rather than guessed operational;
 * - incidents carry no start time, only `last_update_at`: startedAt is that (or the poll time when absent), and the
 *   recorder should keep the earliest startedAt it has seen for the incident;
 * - the single `last_update_message` becomes the incident's only update.
 */
import { z } from 'zod';
import { ParseNotes } from '../notes.ts';
import { safeHttpUrl, toPlainLine, toPlainText } from '../sanitize.ts';
import {
  componentStateForWord,
  incidentStatusForWord,
  maintenanceStatusForWord,
  severityForState,
  severityForWord,
  worseState,
  worstSeverity,
} from '../severity.ts';
import { parseTimestamp } from '../time.ts';
import type { ComponentState } from '../../core/vocabulary.ts';
import type {
  ParseContext,
  UpstreamComponent,
  UpstreamIncident,
  UpstreamMaintenance,
  UpstreamSnapshot,
} from '../types.ts';
import { type EndpointSpec, underBase } from '../endpoint.ts';
import { inferMaintenanceStatus } from './maintenance-status.ts';
import { anything, idSchema, listAt, looseString, readJsonBody, requireObjectWith, validRows } from './shared.ts';

const WHERE = 'api/v1/summary';

export function incidentioEndpoints(sourceUrl: string): EndpointSpec<'summary'>[] {
  return [{ key: 'summary', url: underBase(sourceUrl, 'api/v1/summary'), required: true, expect: 'json' }];
}

const affectedComponent = z.object({
  id: idSchema,
  name: z.string(),
  group_name: looseString,
  current_status: looseString,
});
type AffectedComponent = z.infer<typeof affectedComponent>;

const incidentRow = z.object({
  id: idSchema,
  name: z.string(),
  url: looseString,
  status: z.string(),
  current_worst_impact: looseString,
  started_at: anything,
  last_update_at: anything,
  last_update_message: looseString,
  affected_components: anything,
});

const maintenanceRow = z.object({
  id: idSchema,
  name: z.string(),
  url: looseString,
  status: z.string(),
  started_at: anything,
  starts_at: anything,
  scheduled_end_at: anything,
  ends_at: anything,
  last_update_message: looseString,
  affected_components: anything,
});

class ComponentCollector {
  private readonly byId = new Map<string, UpstreamComponent>();

  add(row: AffectedComponent, fallback: ComponentState, notes: ParseNotes): ComponentState {
    let state = fallback;
    if (row.current_status !== undefined) {
      const known = componentStateForWord(row.current_status);
      if (known === null) notes.unknownWord(row.current_status);
      state = known ?? 'unknown';
    }
    const existing = this.byId.get(row.id);
    const group = row.group_name ? toPlainLine(row.group_name) : '';
    this.byId.set(row.id, {
      upstreamId: row.id,
      name: toPlainLine(row.name),
      ...(group ? { group } : {}),
      state: existing ? worseState(existing.state, state) : state,
    });
    return state;
  }

  get all(): UpstreamComponent[] {
    return [...this.byId.values()];
  }
}

function affectedRows(raw: unknown, where: string, notes: ParseNotes): AffectedComponent[] {
  if (!Array.isArray(raw)) return [];
  return validRows(raw, affectedComponent, `${where} affected_components`, notes).map(({ row }) => row);
}

export function parseIncidentio(body: unknown, ctx: ParseContext): UpstreamSnapshot {
  const notes = new ParseNotes();
  const summary = requireObjectWith(
    readJsonBody(body, WHERE),
    ['ongoing_incidents', 'in_progress_maintenances', 'scheduled_maintenances'],
    WHERE,
  );
  const pageUrl = safeHttpUrl(summary.page_url);
  const components = new ComponentCollector();
  const incidents: UpstreamIncident[] = [];
  const maintenances: UpstreamMaintenance[] = [];

  for (const { row, where } of validRows(listAt(summary, 'ongoing_incidents', WHERE), incidentRow, `${WHERE} ongoing_incidents`, notes)) {
    let status = incidentStatusForWord(row.status);
    if (status === null) {
      notes.unknownWord(row.status);
      notes.replaced(where, 'unknown status; read as investigating');
      status = 'investigating';
    }
    const impactSeverity = severityForWord(row.current_worst_impact);
    if (impactSeverity === null && row.current_worst_impact !== undefined) notes.unknownWord(row.current_worst_impact);
    const impactState = componentStateForWord(row.current_worst_impact) ?? 'unknown';
    const affected = affectedRows(row.affected_components, where, notes);
    const states = affected.map((component) => components.add(component, impactState, notes));

    const lastUpdateAt = parseTimestamp(row.last_update_at);
    let startedAt = parseTimestamp(row.started_at) ?? lastUpdateAt;
    if (!startedAt) {
      notes.replaced(where, 'no readable start or last_update_at; poll time used');
      startedAt = ctx.now;
    }
    const message = toPlainText(row.last_update_message);
    const url = safeHttpUrl(row.url, pageUrl);
    incidents.push({
      upstreamId: row.id,
      title: toPlainLine(row.name),
      status,
      impactRaw: row.current_worst_impact ?? null,
      severity: worstSeverity(impactSeverity, ...states.map(severityForState)),
      startedAt,
      resolvedAt: null,
      ...(url ? { url } : {}),
      componentUpstreamIds: affected.map((component) => component.id),
      updates:
        message && lastUpdateAt
          ? [{ upstreamId: `${row.id}@${lastUpdateAt.toISOString()}`, status, body: message, createdAt: lastUpdateAt }]
          : [],
    });
  }

  const maintenanceLists = [
    { key: 'in_progress_maintenances', start: 'started_at', end: 'scheduled_end_at' },
    { key: 'scheduled_maintenances', start: 'starts_at', end: 'ends_at' },
  ] as const;
  for (const list of maintenanceLists) {
    for (const { row, where } of validRows(listAt(summary, list.key, WHERE), maintenanceRow, `${WHERE} ${list.key}`, notes)) {
      // Each list names its own fields; accept the other list's names too, the widget has not always been consistent.
      const startsAt = parseTimestamp(row[list.start]) ?? parseTimestamp(row.started_at) ?? parseTimestamp(row.starts_at);
      if (!startsAt) {
        notes.dropped(where, 'no readable start time');
        continue;
      }
      const endsAt = parseTimestamp(row[list.end]) ?? parseTimestamp(row.scheduled_end_at) ?? parseTimestamp(row.ends_at);
      let status = maintenanceStatusForWord(row.status);
      if (status === null) {
        notes.unknownWord(row.status);
        status = inferMaintenanceStatus(startsAt, endsAt, ctx.now);
      }
      const affected = affectedRows(row.affected_components, where, notes);
      if (status === 'in_progress') {
        for (const component of affected) components.add(component, 'under_maintenance', notes);
      }
      const body = toPlainText(row.last_update_message);
      const url = safeHttpUrl(row.url, pageUrl);
      maintenances.push({
        upstreamId: row.id,
        title: toPlainLine(row.name),
        status,
        startsAt,
        endsAt,
        ...(url ? { url } : {}),
        ...(body ? { body } : {}),
        componentUpstreamIds: affected.map((component) => component.id),
      });
    }
  }

  return {
    components: components.all,
    incidents,
    maintenances,
    unknownWords: notes.unknownWords,
    problems: notes.problems,
  };
}
