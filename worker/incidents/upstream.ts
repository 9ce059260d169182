/**
 * Incidents recorded from a provider's page: the writes that carry out the steps upstream reconciliation plans
 * (worker/upstream/steps.ts declares them, worker/upstream/reconcile.ts decides them without touching the database),
 * in the caller's transaction.
 */
import { and, eq, notInArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { incidentComponents, incidents, incidentUpdates, severityChanges } from '../../db/schema/index.ts';
import { newId } from '../lib/ids.ts';
import { queueIncidentNotices } from '../notices/incident-notices.ts';
import type { IncidentStep, NewEntry } from '../upstream/steps.ts';
import { CLOSED_INCIDENT_STATUSES } from '../core/vocabulary.ts';

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
