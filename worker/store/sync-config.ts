import { and, asc, eq, inArray, isNull, notInArray } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { components, componentSources, sources } from '../../db/schema/index.ts';
import type { Config } from '../config/load.ts';
import { deleteSource, type RemovedSource } from '../sources/remove.ts';
import { forgetSnapshot } from '../upstream/runtime.ts';
import { messageLocale } from '../config/schema.ts';

export interface ConfigSyncResult {
  /** Config sources no longer in the file, deleted with what they left open closed. */
  removedSources: Array<{ id: string } & RemovedSource>;
}

/**
 * Makes the database's components and config-born sources match the config file.
 * Sources added through the admin API (origin 'admin') are left alone, and so are their links to components
 * (`component_ids`); poll state is kept.
 */
export async function syncConfigToDatabase(db: Database, config: Config, now: Date): Promise<ConfigSyncResult> {
  const result = await db.transaction(async (tx) => {
    for (const source of config.sources) {
      const values = {
        name: source.name,
        type: source.type,
        url: source.url,
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
    const configSourceIds = config.sources.map((s) => s.id);
    // A source removed from the file stops being polled; its recorded incidents stay, what it left open is closed.
    const gone = await tx
      .select({ id: sources.id, name: sources.name })
      .from(sources)
      .where(and(eq(sources.origin, 'config'), configSourceIds.length ? notInArray(sources.id, configSourceIds) : undefined))
      .orderBy(asc(sources.id));
    const removedSources: ConfigSyncResult['removedSources'] = [];
    for (const source of gone) {
      removedSources.push({ id: source.id, ...(await deleteSource(tx, source, now, messageLocale(config.site.default_locale))) });
    }

    for (const [position, component] of config.components.entries()) {
      const values = {
        name: component.name,
        description: component.description ?? null,
        groupName: component.group ?? null,
        position,
        calendarId: component.calendar ?? config.business_hours?.default ?? null,
        updatedAt: now,
        retiredAt: null,
      };
      await tx
        .insert(components)
        .values({ id: component.id, ...values, createdAt: now })
        .onConflictDoUpdate({ target: components.id, set: values });
    }
    const componentIds = config.components.map((c) => c.id);
    // The file owns the links to its own sources; links to admin sources belong to the admin API.
    if (componentIds.length) {
      const configSources = tx.select({ id: sources.id }).from(sources).where(eq(sources.origin, 'config'));
      await tx
        .delete(componentSources)
        .where(and(inArray(componentSources.componentId, componentIds), inArray(componentSources.sourceId, configSources)));
    }
    for (const component of config.components) {
      if (component.sources.length === 0) continue;
      // A source listed twice under one component is one link.
      await tx
        .insert(componentSources)
        .values(component.sources.map((sourceId) => ({ componentId: component.id, sourceId })))
        .onConflictDoNothing();
    }
    await tx
      .update(components)
      .set({ retiredAt: now, updatedAt: now })
      .where(and(notInArray(components.id, componentIds), isNull(components.retiredAt)));
    return { removedSources };
  });
  for (const { id } of result.removedSources) forgetSnapshot(db, id);
  return result;
}
