import { eq, and, isNull, notInArray } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { components, componentSources, sources } from '../../db/schema/index.ts';
import type { Config } from '../config/load.ts';

/**
 * Makes the database's components and config-born sources match the config file.
 * Sources added through the admin API (origin 'admin') are left alone; poll state is kept.
 */
export async function syncConfigToDatabase(db: Database, config: Config, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
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
    // A source removed from the file stops being polled; its recorded incidents stay.
    await tx
      .delete(sources)
      .where(and(eq(sources.origin, 'config'), configSourceIds.length ? notInArray(sources.id, configSourceIds) : undefined));

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
      await tx.delete(componentSources).where(eq(componentSources.componentId, component.id));
      if (component.sources.length) {
        await tx.insert(componentSources).values(component.sources.map((sourceId) => ({ componentId: component.id, sourceId })));
      }
    }
    const componentIds = config.components.map((c) => c.id);
    await tx
      .update(components)
      .set({ retiredAt: now, updatedAt: now })
      .where(and(notInArray(components.id, componentIds), isNull(components.retiredAt)));
  });
}
