/**
 * Stops watching a source, for the admin API's remove and for a source gone from the config file alike.
 */
import { and, eq, inArray, notInArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { componentSources, incidents, incidentUpdates, maintenances, maintenanceUpdates, sources, sourceUnknownPeriods } from '../../db/schema/index.ts';
import type { Locale } from '../config/schema.ts';
import { newId } from '../lib/ids.ts';
import { clearCache } from './cache-store.ts';
import { upstreamMessages } from './messages.ts';

const CLOSED_INCIDENT = ['resolved', 'postmortem'];
const OPEN_WINDOW = ['scheduled', 'in_progress', 'verifying'];

export interface RemovedSource {
  /** Open incidents resolved with a system update. */
  incidents: number;
  /** Scheduled or running windows cancelled. */
  maintenances: number;
}

/**
 * Deletes a source inside the caller's transaction. What it recorded stays, no longer tied to it; what it left
 * open would stay open forever with nobody watching it, so its open incidents are resolved and its open windows
 * cancelled, each with a note saying the source is no longer watched (in the page's default locale).
 * The caller forgets the source's in-memory poll state (`forgetSnapshot`) once this has run.
 */
export async function removeSource(tx: DbOrTx, source: { id: string; name: string }, now: Date, locale: Locale): Promise<RemovedSource> {
  const note = upstreamMessages(locale).sourceRemoved(source.name);
  const open = await tx
    .select({ id: incidents.id })
    .from(incidents)
    .where(and(eq(incidents.sourceId, source.id), notInArray(incidents.status, CLOSED_INCIDENT)));
  for (const { id } of open) {
    await tx.update(incidents).set({ status: 'resolved', resolvedAt: now, updatedAt: now }).where(eq(incidents.id, id));
    await tx.insert(incidentUpdates).values({ id: newId(), incidentId: id, status: 'resolved', body: note, createdAt: now, author: 'system' });
  }
  const windows = await tx
    .select({ id: maintenances.id })
    .from(maintenances)
    .where(and(eq(maintenances.sourceId, source.id), inArray(maintenances.status, OPEN_WINDOW)));
  for (const { id } of windows) {
    await tx
      .update(maintenances)
      .set({ status: 'cancelled', cancelledAt: now, cancelReason: note, updatedAt: now })
      .where(eq(maintenances.id, id));
    await tx.insert(maintenanceUpdates).values({ id: newId(), maintenanceId: id, status: 'cancelled', body: note, createdAt: now });
  }
  // Spelled out rather than left to ON DELETE: a pooled connection may not have foreign keys switched on.
  await tx.update(incidents).set({ sourceId: null }).where(eq(incidents.sourceId, source.id));
  await tx.update(maintenances).set({ sourceId: null }).where(eq(maintenances.sourceId, source.id));
  await tx.delete(componentSources).where(eq(componentSources.sourceId, source.id));
  await clearCache(tx, source.id);
  // Its unknown periods go with it: the components it fed no longer depend on it.
  await tx.delete(sourceUnknownPeriods).where(eq(sourceUnknownPeriods.sourceId, source.id));
  await tx.delete(sources).where(eq(sources.id, source.id));
  return { incidents: open.length, maintenances: windows.length };
}
