/**
 * The config file's sources and the links its components make to them, written in the start-up sync's transaction
 * (worker/store/sync-config.ts). Sources added through the admin API (origin 'admin') are left alone, and so are
 * their links to components; poll state is kept.
 */
import { and, asc, eq, inArray, notInArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { componentSources, sources } from '../../db/schema/index.ts';
import type { Locale, SourceConfig } from '../config/schema.ts';
import { moveUrlCredentials, storedAddress } from './credentials.ts';
import { deleteSource, type RemovedSource } from './remove.ts';

/**
 * Makes the config-born sources match the file. A source removed from the file stops being polled; its recorded
 * incidents stay, what it left open is closed. Returns the removed ones.
 */
export async function syncConfigSources(
  tx: DbOrTx,
  configSources: readonly SourceConfig[],
  now: Date,
  locale: Locale,
): Promise<Array<{ id: string } & RemovedSource>> {
  // Rows written before credentials were kept apart (admin sources too) have them moved out of the URL.
  await moveUrlCredentials(tx);
  for (const source of configSources) {
    const { url, credentials } = storedAddress(source.url);
    const values = {
      name: source.name,
      type: source.type,
      url,
      credentials,
      intervalSeconds: Math.max(1, Math.round(source.interval / 1000)),
      settings: source.settings,
      slaCounts: source.sla,
      origin: 'config' as const,
      updatedAt: now,
    };
    await tx
      .insert(sources)
      .values({ id: source.id, ...values, createdAt: now })
      .onConflictDoUpdate({ target: sources.id, set: values });
  }
  const configSourceIds = configSources.map((s) => s.id);
  const gone = await tx
    .select({ id: sources.id, name: sources.name })
    .from(sources)
    .where(and(eq(sources.origin, 'config'), configSourceIds.length ? notInArray(sources.id, configSourceIds) : undefined))
    .orderBy(asc(sources.id));
  const removed: Array<{ id: string } & RemovedSource> = [];
  for (const source of gone) removed.push({ id: source.id, ...(await deleteSource(tx, source, now, locale)) });
  return removed;
}

/**
 * The file owns the links between its components and its own sources; links to admin sources belong to the admin
 * API. The components must be written already.
 */
export async function linkConfigComponents(tx: DbOrTx, configComponents: readonly { id: string; sources: readonly string[] }[]): Promise<void> {
  const componentIds = configComponents.map((c) => c.id);
  if (componentIds.length) {
    const configSources = tx.select({ id: sources.id }).from(sources).where(eq(sources.origin, 'config'));
    await tx
      .delete(componentSources)
      .where(and(inArray(componentSources.componentId, componentIds), inArray(componentSources.sourceId, configSources)));
  }
  for (const component of configComponents) {
    if (component.sources.length === 0) continue;
    // A source listed twice under one component is one link.
    await tx
      .insert(componentSources)
      .values(component.sources.map((sourceId) => ({ componentId: component.id, sourceId })))
      .onConflictDoNothing();
  }
}
