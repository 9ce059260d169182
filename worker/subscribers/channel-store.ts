/**
 * Channel subscriptions (webhooks, chat) and their chosen components: the only module that writes those tables.
 * The rules (verification, pausing, disabling after failures) live in `channel-service.ts`.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { channelSubscriptionComponents, channelSubscriptions } from '../../db/schema/index.ts';
import type { ChannelSubscriptionStatus } from '../core/vocabulary.ts';

export type ChannelSubscriptionRow = typeof channelSubscriptions.$inferSelect;

export interface ChannelSubscriptionWithComponents extends ChannelSubscriptionRow {
  componentIds: string[];
}

export async function insertChannelSubscription(db: DbOrTx, values: typeof channelSubscriptions.$inferInsert, componentIds: readonly string[]): Promise<void> {
  await db.insert(channelSubscriptions).values(values);
  if (componentIds.length) await db.insert(channelSubscriptionComponents).values(componentIds.map((componentId) => ({ subscriptionId: values.id, componentId })));
}

export async function findChannelSubscription(db: DbOrTx, id: string): Promise<ChannelSubscriptionWithComponents | undefined> {
  const [row] = await db.select().from(channelSubscriptions).where(eq(channelSubscriptions.id, id));
  if (!row) return undefined;
  const chosen = await db
    .select({ id: channelSubscriptionComponents.componentId })
    .from(channelSubscriptionComponents)
    .where(eq(channelSubscriptionComponents.subscriptionId, id))
    .orderBy(asc(channelSubscriptionComponents.componentId));
  return { ...row, componentIds: chosen.map((c) => c.id) };
}

export async function findChannelSubscriptionByConfirmHash(db: DbOrTx, hash: string): Promise<ChannelSubscriptionRow | undefined> {
  const [row] = await db.select().from(channelSubscriptions).where(eq(channelSubscriptions.confirmTokenHash, hash));
  return row;
}

/** The subscriptions with these ids (for the dispatcher's checks before sending). */
export async function channelSubscriptionsByIds(db: DbOrTx, ids: readonly string[]): Promise<ChannelSubscriptionRow[]> {
  if (!ids.length) return [];
  return db.select().from(channelSubscriptions).where(inArray(channelSubscriptions.id, [...ids]));
}

/** Changes a subscription; `onlyIf` guards the change (the status it must still have). Returns whether a row changed. */
export async function updateChannelSubscription(
  db: DbOrTx,
  id: string,
  changes: Partial<ChannelSubscriptionRow>,
  onlyIf?: { status: readonly ChannelSubscriptionStatus[] },
): Promise<boolean> {
  const changed = await db
    .update(channelSubscriptions)
    .set(changes)
    .where(and(eq(channelSubscriptions.id, id), onlyIf ? inArray(channelSubscriptions.status, [...onlyIf.status]) : undefined))
    .returning({ id: channelSubscriptions.id });
  return changed.length > 0;
}

/** One more failed delivery; returns the run of failures as it now stands. */
export async function countChannelFailure(db: DbOrTx, id: string, now: Date): Promise<{ failureCount: number; failingSince: Date } | null> {
  const [row] = await db
    .update(channelSubscriptions)
    .set({ failureCount: sql`${channelSubscriptions.failureCount} + 1`, failingSince: sql`coalesce(${channelSubscriptions.failingSince}, ${now.getTime()})`, updatedAt: now })
    .where(eq(channelSubscriptions.id, id))
    .returning({ failureCount: channelSubscriptions.failureCount, failingSince: channelSubscriptions.failingSince });
  return row && row.failingSince ? { failureCount: row.failureCount, failingSince: row.failingSince } : null;
}

export async function replaceChannelComponents(db: DbOrTx, id: string, componentIds: readonly string[]): Promise<void> {
  await db.delete(channelSubscriptionComponents).where(eq(channelSubscriptionComponents.subscriptionId, id));
  if (componentIds.length) await db.insert(channelSubscriptionComponents).values(componentIds.map((componentId) => ({ subscriptionId: id, componentId })));
}

export async function deleteChannelSubscription(db: DbOrTx, id: string): Promise<void> {
  await db.delete(channelSubscriptionComponents).where(eq(channelSubscriptionComponents.subscriptionId, id));
  await db.delete(channelSubscriptions).where(eq(channelSubscriptions.id, id));
}

/** The ids of the subscriptions whose id starts with `prefix` (the config's team channels). */
export async function channelSubscriptionIdsStartingWith(db: DbOrTx, prefix: string): Promise<string[]> {
  const rows = await db
    .select({ id: channelSubscriptions.id })
    .from(channelSubscriptions)
    .where(sql`substr(${channelSubscriptions.id}, 1, ${prefix.length}) = ${prefix}`);
  return rows.map((r) => r.id);
}
