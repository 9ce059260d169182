import { and, isNull, notInArray } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { components } from '../../db/schema/index.ts';
import type { Config } from '../config/load.ts';
import { linkConfigComponents, syncConfigSources } from '../sources/config-sources.ts';
import type { RemovedSource } from '../sources/remove.ts';
import { forgetSnapshot } from '../upstream/runtime.ts';
import { messageLocale } from '../config/schema.ts';

export interface ConfigSyncResult {
  /** Config sources no longer in the file, deleted with what they left open closed. */
  removedSources: Array<{ id: string } & RemovedSource>;
}

/**
 * Makes the database's components and config-born sources match the config file, in one transaction. The sources
 * and their links to components are written by the sources service; the components are the file's own.
 * Sources added through the admin API (origin 'admin') are left alone, and so are their links to components
 * (`component_ids`); poll state is kept.
 */
export async function syncConfigToDatabase(db: Database, config: Config, now: Date): Promise<ConfigSyncResult> {
  const result = await db.transaction(async (tx) => {
    const removedSources = await syncConfigSources(tx, config.sources, now, messageLocale(config.site.default_locale));

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
    await linkConfigComponents(tx, config.components);
    await tx
      .update(components)
      .set({ retiredAt: now, updatedAt: now })
      .where(and(notInArray(components.id, componentIds), isNull(components.retiredAt)));
    return { removedSources };
  });
  for (const { id } of result.removedSources) forgetSnapshot(db, id);
  return result;
}
