import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { jsonRows } from '../../db/json-rows.ts';
import { rendered } from '../../db/statement.ts';
import { components, incidentComponents, incidents, incidentUpdates, severityChanges } from '../../db/schema/index.ts';
import { invalidFields, notFound, RuleBrokenError } from '../core/errors.ts';
import { newId } from '../lib/ids.ts';
import { incidentNoticeKindFor, queueIncidentNoticesFor } from '../notices/incident-notices.ts';
import { loadIncidentRow, loadIncidentView, type ComponentRow, type IncidentRow, type IncidentView } from '../status/read-model.ts';
import { isClosedStatus, type ComponentStatus, type IncidentStatus, type Severity } from '../core/vocabulary.ts';
import { COMPONENT_STATUS_BY_SEVERITY } from '../status/vocabulary.ts';
import type { SlaTargetsFn } from './targets.ts';

type IncidentUpdateRow = typeof incidentUpdates.$inferSelect;

/**
 * How far past the clock an admin's instant may be: clocks disagree by a little. Anything later is a typo (an update
 * dated 9999 would sort above every later one, and a resolution in the future would shorten nothing real).
 */
export const CLOCK_SKEW_ALLOWANCE_MS = 5 * 60_000;

function assertNotInFuture(field: string, at: Date, now: Date): void {
  if (at.getTime() <= now.getTime() + CLOCK_SKEW_ALLOWANCE_MS) return;
  throw invalidFields('body', [
    {
      field,
      message: `${at.toISOString()} is in the future (it is now ${now.toISOString()}; at most ${CLOCK_SKEW_ALLOWANCE_MS / 60_000} minutes ahead are allowed for clock skew)`,
    },
  ]);
}

export interface NewIncident {
  title: string;
  severity: Severity;
  status: IncidentStatus;
  message: string;
  /** Affected components in order; without a status, the state the severity implies. */
  components: { id: string; status?: ComponentStatus }[];
  startedAt?: Date;
}

export interface NewIncidentUpdate {
  status: IncidentStatus;
  message: string;
  severity?: Severity;
  severityReason?: string;
  /** When the update happened, if not now (must not precede the incident's start). */
  at?: Date;
  /** Components to add or restate; without a status, the state implied by the (new) severity. */
  components?: { id: string; status?: ComponentStatus }[];
}

/**
 * Opens a staff-declared incident. Runs inside the caller's transaction. Returns the incident as stored, with its
 * timeline, components and severity history (what `loadIncidentView` reads), built from the rows it wrote.
 */
/** What a write needs besides its input; `impliedStatus` is the state a level gives components (default: by severity 1–4). */
export interface IncidentWriteOptions {
  now: Date;
  actor: string;
  targets: SlaTargetsFn;
  impliedStatus?: (severity: Severity) => ComponentStatus;
  /** Who posted a staff update (an account's e-mail or an API token's name), kept for admins only. */
  postedBy?: string;
}

const impliedBy = (opts: IncidentWriteOptions, severity: Severity): ComponentStatus => opts.impliedStatus?.(severity) ?? COMPONENT_STATUS_BY_SEVERITY[severity];

export async function createIncident(
  tx: DbOrTx,
  input: NewIncident,
  opts: IncidentWriteOptions,
): Promise<IncidentView> {
  const { now } = opts;
  const startedAt = input.startedAt ?? now;
  assertNotInFuture('started_at', startedAt, now);
  const componentRows = await loadComponents(tx, input.components.map((c) => c.id));
  const calendarId = componentRows.get(input.components[0]?.id ?? '')?.calendarId ?? null;
  const id = newId();
  const closed = isClosedStatus(input.status);
  const due = opts.targets(input.severity, calendarId, startedAt);
  // The rows are written as built here, so the answer is made from them without reading them back.
  const incident: IncidentRow = {
    id,
    title: input.title,
    status: input.status,
    severity: input.severity,
    startedAt,
    createdAt: now,
    updatedAt: now,
    monitoringAt: input.status === 'monitoring' ? now : null,
    resolvedAt: closed ? now : null,
    // The opening post is the first staff update, so it is the SLA response (late if started_at was back-dated).
    respondedAt: now,
    calendarId,
    responseDueAt: due.responseDueAt,
    resolutionDueAt: due.resolutionDueAt,
    slaCounts: true,
    sourceId: null,
    upstreamId: null,
    upstreamUrl: null,
  };
  await tx.insert(incidents).values(incident);
  const update: IncidentUpdateRow = { id: newId(), incidentId: id, status: input.status, body: input.message, createdAt: now, author: 'staff', postedBy: opts.postedBy ?? null, upstreamId: null };
  await tx.insert(incidentUpdates).values(update);
  const implied = impliedBy(opts, input.severity);
  const links = input.components.map((c, position) => ({ incidentId: id, componentId: c.id, status: c.status ?? implied, position }));
  if (links.length) await tx.insert(incidentComponents).values(links);
  const named = links.map((l) => componentRows.get(l.componentId)!);
  // Subscribers are told in the same transaction: the notice exists exactly when the incident does.
  await queueIncidentNoticesFor(tx, { incident, update, components: named }, 'opened', now);
  return { ...incident, updates: [update], components: links.map((l) => ({ componentId: l.componentId, status: l.status })), severityHistory: [] };
}

/**
 * Appends a staff update; may change status, severity (kept in the history) and component states. Returns the
 * incident as it now stands, read in the same transaction.
 */
export async function addIncidentUpdate(
  tx: DbOrTx,
  incidentId: string,
  input: NewIncidentUpdate,
  opts: IncidentWriteOptions,
): Promise<IncidentView> {
  const incident = await loadIncidentRow(tx, incidentId);
  if (!incident) throw notFound(`incident "${incidentId}"`);
  const at = input.at ?? opts.now;
  // An update's date is also the incident's response, monitoring or resolution time.
  assertNotInFuture('at', at, opts.now);
  if (at.getTime() < incident.startedAt.getTime()) {
    throw new RuleBrokenError(
      'timeline_backwards',
      `an update dated ${at.toISOString()} would precede the incident's start (${incident.startedAt.toISOString()})`,
    );
  }
  const update: IncidentUpdateRow = { id: newId(), incidentId, status: input.status, body: input.message, createdAt: at, author: 'staff', postedBy: opts.postedBy ?? null, upstreamId: null };
  await tx.insert(incidentUpdates).values(update);

  const patch: Partial<IncidentRow> = { status: input.status, updatedAt: opts.now };
  if (!incident.respondedAt) patch.respondedAt = at;
  if (input.status === 'monitoring' && !incident.monitoringAt) patch.monitoringAt = at;
  if (isClosedStatus(input.status) && !incident.resolvedAt) patch.resolvedAt = at;
  if (!isClosedStatus(input.status) && incident.resolvedAt) patch.resolvedAt = null;
  if (input.severity && input.severity !== incident.severity) {
    await tx.insert(severityChanges).values({
      id: newId(),
      incidentId,
      fromSeverity: incident.severity,
      toSeverity: input.severity,
      changedAt: at,
      changedBy: opts.actor,
      reason: input.severityReason ?? null,
    });
    const due = opts.targets(input.severity, incident.calendarId, incident.startedAt);
    Object.assign(patch, { severity: input.severity, responseDueAt: due.responseDueAt, resolutionDueAt: due.resolutionDueAt });
  }
  await tx.update(incidents).set(patch).where(eq(incidents.id, incidentId));

  if (input.components?.length) {
    await loadComponents(tx, input.components.map((c) => c.id));
    const existing = await tx.select().from(incidentComponents).where(eq(incidentComponents.incidentId, incidentId));
    let position = existing.length;
    const implied = impliedBy(opts, input.severity ?? incident.severity);
    for (const { id: componentId, status = implied } of input.components) {
      const c = { id: componentId, status };
      const known = existing.find((e) => e.componentId === c.id);
      if (known) {
        await tx
          .update(incidentComponents)
          .set({ status: c.status })
          .where(and(eq(incidentComponents.incidentId, incidentId), eq(incidentComponents.componentId, c.id)));
      } else {
        await tx.insert(incidentComponents).values({ incidentId, componentId: c.id, status: c.status, position: position++ });
      }
    }
  }
  const stored = (await loadIncidentView(tx, incidentId))!;
  const named = await tx.all<{ id: string; name: string }>(componentNamesQuery({ incidentId }));
  const kind = incidentNoticeKindFor(isClosedStatus(incident.status), isClosedStatus(input.status));
  await queueIncidentNoticesFor(tx, { incident: stored, update, components: named }, kind, opts.now);
  return stored;
}

// The incident's components for its notices, in the incident's order (as `queueIncidentNotices` reads them).
const componentNamesQuery = rendered<{ incidentId: string }>(sql`
  select ${components.id} as id, ${components.name} as name
  from ${incidentComponents} join ${components} on ${components.id} = ${incidentComponents.componentId}
  where ${incidentComponents.incidentId} = ${sql.placeholder('incidentId')}
  order by ${incidentComponents.position}`);

const componentFacts = jsonRows(components, ['id', 'name', 'calendarId', 'retiredAt']);
const componentsQuery = rendered<{ ids: string }>(
  sql`select json_group_array(${componentFacts.object}) as rows from ${components} where ${components.id} in (select value from json_each(${sql.placeholder('ids')}))`,
);

/** Loads the named components (what a write needs of them), refusing the first unknown id by name. */
async function loadComponents(tx: DbOrTx, ids: string[]) {
  const byId = new Map<string, Pick<ComponentRow, 'id' | 'name' | 'calendarId' | 'retiredAt'>>();
  if (ids.length === 0) return byId;
  const [found] = await tx.all<{ rows: string | null }>(componentsQuery({ ids: JSON.stringify(ids) }));
  for (const row of componentFacts.decodeArray(found?.rows ?? null)) byId.set(row.id, row);
  ids.forEach((id, i) => {
    if (!byId.has(id) || byId.get(id)!.retiredAt) {
      throw new RuleBrokenError('unknown_component', `components[${i}].id: unknown component "${id}"`);
    }
  });
  return byId;
}
