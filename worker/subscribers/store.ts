import { and, asc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { components, subscriberComponents, subscribers } from '../../db/schema/index.ts';
import { invalidFields } from '../core/errors.ts';

/**
 * The subscribers and their chosen components: the only module that writes those tables. The rules (who may
 * subscribe, confirm, change, be suppressed or erased) live in the modules that call it.
 */

export type SubscriberRow = typeof subscribers.$inferSelect;

export interface SubscriberWithComponents extends SubscriberRow {
  componentIds: string[];
}

export async function findSubscriber(db: DbOrTx, where: { id: string } | { email: string }): Promise<SubscriberRow | undefined> {
  const [row] = await db
    .select()
    .from(subscribers)
    .where('id' in where ? eq(subscribers.id, where.id) : eq(subscribers.email, where.email));
  return row;
}

export async function componentsOf(db: DbOrTx, subscriberId: string): Promise<string[]> {
  const rows = await db
    .select({ id: subscriberComponents.componentId })
    .from(subscriberComponents)
    .where(eq(subscriberComponents.subscriberId, subscriberId))
    .orderBy(asc(subscriberComponents.componentId));
  return rows.map((r) => r.id);
}

export async function findSubscriberWithComponents(db: DbOrTx, id: string): Promise<SubscriberWithComponents | undefined> {
  const row = await findSubscriber(db, { id });
  return row && { ...row, componentIds: await componentsOf(db, id) };
}

/** Adds a subscriber (the address must be new). */
export async function insertSubscriber(db: DbOrTx, values: typeof subscribers.$inferInsert): Promise<void> {
  await db.insert(subscribers).values(values);
}

/** Adds a subscriber unless the address is known already (two requests for one address at once): then nothing changes. */
export async function insertSubscriberUnlessKnown(db: DbOrTx, values: typeof subscribers.$inferInsert): Promise<void> {
  await db.insert(subscribers).values(values).onConflictDoNothing({ target: subscribers.email });
}

/** A new subscriber of an import: confirmed, with where the consent came from. */
export interface ImportedSubscriber {
  id: string;
  email: string;
  locale: string;
  timezone: string;
  consentSource: string;
  components: readonly string[];
}

/**
 * Adds many confirmed subscribers in two statements whose text never changes (the rows travel as one JSON value, so
 * SQLite prepares each once, and nothing is rendered per row), skipping addresses that became known meanwhile (a
 * visitor subscribing during an import); returns the ids added, whose components are added too.
 */
export async function insertImportedSubscribers(db: DbOrTx, rows: readonly ImportedSubscriber[], now: Date): Promise<Set<string>> {
  if (!rows.length) return new Set();
  const at = now.getTime();
  const values = JSON.stringify(rows.map((r) => [r.id, r.email, r.locale, r.timezone, r.consentSource]));
  const inserted = await db.all<{ id: string }>(sql`
    insert into ${subscribers} (id, email, locale, timezone, status, consent_source, confirmed_at, created_at, updated_at)
    select json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]'),
      'confirmed', json_extract(value, '$[4]'), ${at}, ${at}, ${at}
    from json_each(${values}) where true
    on conflict (email) do nothing
    returning id`);
  const added = new Set(inserted.map((r) => r.id));
  const links = rows.filter((r) => added.has(r.id)).flatMap((r) => r.components.map((c) => [r.id, c]));
  if (links.length) {
    await db.run(sql`
      insert into ${subscriberComponents} (subscriber_id, component_id)
      select json_extract(value, '$[0]'), json_extract(value, '$[1]') from json_each(${JSON.stringify(links)})`);
  }
  return added;
}

export async function updateSubscriber(db: DbOrTx, id: string, changes: Partial<SubscriberRow>): Promise<void> {
  await db.update(subscribers).set(changes).where(eq(subscribers.id, id));
}

/** Suppresses the subscribers at these (normalised) addresses that are not suppressed yet; returns how many changed. */
export async function suppressSubscribers(db: DbOrTx, emails: readonly string[], reason: string, now: Date): Promise<number> {
  const changed = await db
    .update(subscribers)
    .set({ status: 'suppressed', suppressedReason: reason, suppressedAt: now, confirmTokenHash: null, confirmExpiresAt: null, updatedAt: now })
    .where(and(inArray(subscribers.email, [...emails]), ne(subscribers.status, 'suppressed')))
    .returning({ id: subscribers.id });
  return changed.length;
}

/** Deletes subscribers with their chosen components (their mail is the outbox's to forget). */
export async function deleteSubscribers(db: DbOrTx, ids: readonly string[]): Promise<void> {
  if (!ids.length) return;
  await db.delete(subscriberComponents).where(inArray(subscriberComponents.subscriberId, [...ids]));
  await db.delete(subscribers).where(inArray(subscribers.id, [...ids]));
}

/** Replaces a subscriber's chosen components (none = every component). */
export async function setComponents(db: DbOrTx, subscriberId: string, componentIds: readonly string[]): Promise<void> {
  await db.delete(subscriberComponents).where(eq(subscriberComponents.subscriberId, subscriberId));
  if (componentIds.length) {
    await db.insert(subscriberComponents).values(componentIds.map((componentId) => ({ subscriberId, componentId })));
  }
}

export interface ComponentChoice {
  id: string;
  name: string;
  group: string | null;
}

/** Components a subscriber can choose: those the config currently declares, in page order. */
export async function activeComponents(db: DbOrTx): Promise<ComponentChoice[]> {
  const rows = await db
    .select({ id: components.id, name: components.name, group: components.groupName })
    .from(components)
    .where(isNull(components.retiredAt))
    .orderBy(asc(components.position), asc(components.id));
  return rows;
}

/** Refuses the first unknown component by its place in the list, worded like the API's validation errors. */
export async function assertKnownComponents(db: DbOrTx, ids: readonly string[], field = 'components'): Promise<void> {
  if (!ids.length) return;
  const known = new Set((await activeComponents(db)).map((c) => c.id));
  const index = ids.findIndex((id) => !known.has(id));
  if (index >= 0) {
    throw invalidFields('body', [{ field: `${field}[${index}]`, message: `unknown component "${ids[index]}"` }]);
  }
}
