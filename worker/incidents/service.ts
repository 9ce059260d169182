import { and, asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { components, incidentComponents, incidents, incidentUpdates, severityChanges } from '../../db/schema/index.ts';
import { ApiError, notFound } from '../http/errors.ts';
import { newId } from '../lib/ids.ts';
import { incidentNoticeKindFor, queueIncidentNotices } from '../notices/incident-notices.ts';
import { COMPONENT_STATUS_BY_SEVERITY, isClosedStatus, type ComponentStatus, type IncidentStatus, type Severity } from '../status/vocabulary.ts';
import type { SlaTargetsFn } from './targets.ts';

export interface NewIncident {
  title: string;
  severity: Severity;
  status: IncidentStatus;
  message: string;
  components: { id: string; status: ComponentStatus }[];
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

/** Opens a staff-declared incident. Runs inside the caller's transaction. */
export async function createIncident(
  tx: DbOrTx,
  input: NewIncident,
  opts: { now: Date; actor: string; targets: SlaTargetsFn },
): Promise<string> {
  const { now } = opts;
  const startedAt = input.startedAt ?? now;
  if (startedAt.getTime() > now.getTime() + 60_000) {
    throw new ApiError(422, 'started_in_future', `started_at ${startedAt.toISOString()} is in the future`);
  }
  const componentRows = await loadComponents(tx, input.components.map((c) => c.id));
  const calendarId = componentRows.get(input.components[0]?.id ?? '')?.calendarId ?? null;
  const id = newId();
  const closed = isClosedStatus(input.status);
  const due = opts.targets(input.severity, calendarId, startedAt);
  await tx.insert(incidents).values({
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
  });
  await tx.insert(incidentUpdates).values({ id: newId(), incidentId: id, status: input.status, body: input.message, createdAt: now, author: 'staff' });
  if (input.components.length) {
    await tx.insert(incidentComponents).values(
      input.components.map((c, position) => ({ incidentId: id, componentId: c.id, status: c.status, position })),
    );
  }
  // Subscribers are told in the same transaction: the notice exists exactly when the incident does.
  await queueIncidentNotices(tx, id, 'opened', now);
  return id;
}

/** Appends a staff update; may change status, severity (kept in the history) and component states. */
export async function addIncidentUpdate(
  tx: DbOrTx,
  incidentId: string,
  input: NewIncidentUpdate,
  opts: { now: Date; actor: string; targets: SlaTargetsFn },
): Promise<string> {
  const incident = (await tx.select().from(incidents).where(eq(incidents.id, incidentId)).limit(1))[0];
  if (!incident) throw notFound(`incident "${incidentId}"`);
  const at = input.at ?? opts.now;
  if (at.getTime() < incident.startedAt.getTime()) {
    throw new ApiError(
      422,
      'timeline_backwards',
      `an update dated ${at.toISOString()} would precede the incident's start (${incident.startedAt.toISOString()})`,
    );
  }
  const updateId = newId();
  await tx.insert(incidentUpdates).values({ id: updateId, incidentId, status: input.status, body: input.message, createdAt: at, author: 'staff' });

  const patch: Partial<typeof incidents.$inferInsert> = { status: input.status, updatedAt: opts.now };
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
    const implied = COMPONENT_STATUS_BY_SEVERITY[(input.severity ?? incident.severity) as Severity];
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
  const kind = incidentNoticeKindFor(isClosedStatus(incident.status), isClosedStatus(input.status));
  await queueIncidentNotices(tx, incidentId, kind, opts.now, { updateId });
  return updateId;
}

/** Loads the named components, answering 422 naming the first unknown id. */
async function loadComponents(tx: DbOrTx, ids: string[]) {
  if (ids.length === 0) return new Map<string, typeof components.$inferSelect>();
  const rows = await tx.select().from(components).where(inArray(components.id, ids)).orderBy(asc(components.position));
  const byId = new Map(rows.map((r) => [r.id, r]));
  ids.forEach((id, i) => {
    if (!byId.has(id) || byId.get(id)!.retiredAt) {
      throw new ApiError(422, 'unknown_component', `components[${i}].id: unknown component "${id}"`);
    }
  });
  return byId;
}
