/**
 * Stops watching a source, for the admin API's remove and for a source gone from the config file alike.
 */
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { componentSources, sources } from '../../db/schema/index.ts';
import type { Locale } from '../config/schema.ts';
import { releaseSourceIncidents } from '../incidents/upstream.ts';
import { releaseSourceMaintenances } from '../maintenances/upstream.ts';
import { clearCache } from '../upstream/cache-store.ts';
import { upstreamMessages } from '../upstream/messages.ts';
import { deleteUnknownPeriods } from './unknown-periods.ts';

export interface RemovedSource {
  /** Open incidents resolved with a system update. */
  incidents: number;
  /** Scheduled or running windows cancelled. */
  maintenances: number;
}

/**
 * Deletes a source inside the caller's transaction. What it recorded stays, no longer tied to it; what it left
 * open would stay open forever with nobody watching it, so the incidents and maintenances services resolve its open
 * incidents and cancel its open windows, each with a note saying the source is no longer watched (in the page's
 * default locale). The caller forgets the source's in-memory poll state (`forgetSnapshot`) once this has run.
 */
export async function deleteSource(tx: DbOrTx, source: { id: string; name: string }, now: Date, locale: Locale): Promise<RemovedSource> {
  const note = upstreamMessages(locale).sourceRemoved(source.name);
  const incidents = await releaseSourceIncidents(tx, source.id, note, now);
  const maintenances = await releaseSourceMaintenances(tx, source.id, note, now);
  // Spelled out rather than left to ON DELETE: a pooled connection may not have foreign keys switched on.
  await tx.delete(componentSources).where(eq(componentSources.sourceId, source.id));
  // The poller's kept bodies are its cache's to forget.
  await clearCache(tx, source.id);
  // Its unknown periods go with it: the components it fed no longer depend on it.
  await deleteUnknownPeriods(tx, source.id);
  await tx.delete(sources).where(eq(sources.id, source.id));
  return { incidents, maintenances };
}
