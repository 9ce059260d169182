/**
 * Incidents recorded from a provider's page: the steps upstream reconciliation plans (worker/upstream/reconcile.ts
 * decides them without touching the database) and the writes that carry them out, in the caller's transaction.
 */
import { and, eq, notInArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { incidentComponents, incidents, incidentUpdates, severityChanges } from '../../db/schema/index.ts';
import { newId } from '../lib/ids.ts';
import { queueIncidentNotices, type IncidentNoticeKind } from '../notices/incident-notices.ts';
import { CLOSED_INCIDENT_STATUSES, type ComponentStatus, type IncidentStatus, type Severity } from '../core/vocabulary.ts';

export interface NewEntry {
  upstreamId: string | null;
  author: 'upstream' | 'system';
  status: IncidentStatus;
  body: string;
  createdAt: Date;
}

export interface IncidentValues {
  title: string;
  status: IncidentStatus;
  severity: Severity;
  startedAt: Date;
  resolvedAt: Date | null;
  monitoringAt: Date | null;
  respondedAt: Date | null;
  upstreamUrl: string | null;
  calendarId: string | null;
  responseDueAt: Date | null;
  resolutionDueAt: Date | null;
}

export interface ComponentLink {
  componentId: string;
  status: ComponentStatus;
  position: number;
}

export type IncidentStep =
  | {
      action: 'create';
      upstreamId: string;
      values: IncidentValues & { slaCounts: boolean };
      components: ComponentLink[];
      entries: NewEntry[];
      /** null: first seen closed, subscribers are not told about history. */
      notice: IncidentNoticeKind | null;
    }
  | {
      action: 'update';
      incidentId: string;
      upstreamId: string;
      patch: Partial<IncidentValues>;
      severityChange: { from: Severity; to: Severity; reason: string } | null;
      /** Links whose state changes, and links to components the source feeds that the incident lacked. */
      setComponents: ComponentLink[];
      addComponents: ComponentLink[];
      entries: NewEntry[];
      editedEntries: { id: string; status: IncidentStatus; body: string }[];
      /** The notice is about the newest entry added here, or the latest one when none is added. */
      notice: IncidentNoticeKind | null;
      /** What changed, for the log. */
      why: string[];
    };

/** Applies a source's incident steps in order, queueing each step's notice with it. */
export async function applyUpstreamIncidentSteps(tx: DbOrTx, sourceId: string, steps: readonly IncidentStep[], now: Date): Promise<void> {
  for (const step of steps) await applyStep(tx, sourceId, step, now);
}

async function insertEntries(tx: DbOrTx, incidentId: string, entries: NewEntry[]): Promise<string | undefined> {
  let newest: { id: string; at: number } | undefined;
  for (const entry of entries) {
    const id = newId();
    const inserted = await tx
      .insert(incidentUpdates)
      .values({ id, incidentId, status: entry.status, body: entry.body, createdAt: entry.createdAt, author: entry.author, upstreamId: entry.upstreamId })
      .onConflictDoNothing()
      .returning({ id: incidentUpdates.id });
    if (inserted.length && (!newest || entry.createdAt.getTime() >= newest.at)) newest = { id, at: entry.createdAt.getTime() };
  }
  return newest?.id;
}

async function applyStep(tx: DbOrTx, sourceId: string, step: IncidentStep, now: Date): Promise<void> {
  if (step.action === 'create') {
    const id = newId();
    await tx.insert(incidents).values({ id, ...step.values, createdAt: now, updatedAt: now, sourceId, upstreamId: step.upstreamId });
    if (step.components.length) await tx.insert(incidentComponents).values(step.components.map((c) => ({ incidentId: id, ...c })));
    const newest = await insertEntries(tx, id, step.entries);
    if (step.notice) await queueIncidentNotices(tx, id, step.notice, now, newest ? { updateId: newest } : {});
    return;
  }
  const id = step.incidentId;
  await tx.update(incidents).set({ ...step.patch, updatedAt: now }).where(eq(incidents.id, id));
  if (step.severityChange) {
    await tx.insert(severityChanges).values({
      id: newId(),
      incidentId: id,
      fromSeverity: step.severityChange.from,
      toSeverity: step.severityChange.to,
      changedAt: now,
      changedBy: `upstream:${sourceId}`,
      reason: step.severityChange.reason,
    });
  }
  for (const link of step.setComponents) {
    await tx
      .update(incidentComponents)
      .set({ status: link.status })
      .where(and(eq(incidentComponents.incidentId, id), eq(incidentComponents.componentId, link.componentId)));
  }
  if (step.addComponents.length) {
    await tx.insert(incidentComponents).values(step.addComponents.map((c) => ({ incidentId: id, ...c }))).onConflictDoNothing();
  }
  for (const edit of step.editedEntries) {
    await tx.update(incidentUpdates).set({ status: edit.status, body: edit.body }).where(eq(incidentUpdates.id, edit.id));
  }
  const newest = await insertEntries(tx, id, step.entries);
  if (step.notice) await queueIncidentNotices(tx, id, step.notice, now, newest ? { updateId: newest } : {});
}

/**
 * A source is no longer watched: its open incidents are resolved with a system update carrying `note` (nobody would
 * ever close them otherwise; subscribers are not told), and all its incidents stay as history, no longer tied to it.
 * Returns how many were resolved.
 */
export async function releaseSourceIncidents(tx: DbOrTx, sourceId: string, note: string, now: Date): Promise<number> {
  const open = await tx
    .select({ id: incidents.id })
    .from(incidents)
    .where(and(eq(incidents.sourceId, sourceId), notInArray(incidents.status, [...CLOSED_INCIDENT_STATUSES])));
  for (const { id } of open) {
    await tx.update(incidents).set({ status: 'resolved', resolvedAt: now, updatedAt: now }).where(eq(incidents.id, id));
    await tx.insert(incidentUpdates).values({ id: newId(), incidentId: id, status: 'resolved', body: note, createdAt: now, author: 'system' });
  }
  // Spelled out rather than left to ON DELETE: a pooled connection may not have foreign keys switched on.
  await tx.update(incidents).set({ sourceId: null }).where(eq(incidents.sourceId, sourceId));
  return open.length;
}
