import { and, asc, count, eq, exists, gt, inArray, notExists, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../db/client.ts';
import { subscriberComponents, subscribers } from '../../db/schema/index.ts';
import { invalidFields } from '../core/errors.ts';
import { SUBSCRIBER_STATUSES } from '../core/vocabulary.ts';
import type { SubscriberWithComponents } from './store.ts';

export const subscriberFilterSchema = z.strictObject({
  /** Part of the address, any case. */
  q: z.string().trim().max(254).optional(),
  status: z.enum(SUBSCRIBER_STATUSES, { error: `must be one of ${SUBSCRIBER_STATUSES.join(', ')}` }).optional(),
  /** Subscribers who get notices about this component: those who chose it and those who chose none (everything). */
  component: z.string().trim().min(1).max(64).optional(),
});

export const subscriberPageSchema = subscriberFilterSchema.extend({
  limit: z.coerce.number({ error: 'must be a number from 1 to 500' }).int().min(1).max(500).default(50),
  cursor: z.string().max(400).optional(),
});

export type SubscriberFilter = z.output<typeof subscriberFilterSchema>;

const likeEscape = (text: string) => text.replace(/[\\%_]/g, (ch) => `\\${ch}`);

function where(db: DbOrTx, filter: SubscriberFilter, after?: string): SQL | undefined {
  const chose = (component?: string) =>
    db
      .select({ one: subscriberComponents.subscriberId })
      .from(subscriberComponents)
      .where(and(eq(subscriberComponents.subscriberId, subscribers.id), component ? eq(subscriberComponents.componentId, component) : undefined));
  return and(
    filter.q ? sql`${subscribers.email} like ${`%${likeEscape(filter.q.toLowerCase())}%`} escape '\\'` : undefined,
    filter.status ? eq(subscribers.status, filter.status) : undefined,
    filter.component ? or(notExists(chose()), exists(chose(filter.component))) : undefined,
    after !== undefined ? gt(subscribers.email, after) : undefined,
  );
}

/** Cursors are opaque to clients: the last address of the page, base64url-encoded. */
const encodeCursor = (email: string) => Buffer.from(email, 'utf8').toString('base64url');
function decodeCursor(cursor: string): string {
  const email = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!email.includes('@')) throw invalidFields('query', [{ field: 'cursor', message: 'is not a cursor this API returned' }]);
  return email;
}

async function withComponents(db: DbOrTx, rows: (typeof subscribers.$inferSelect)[]): Promise<SubscriberWithComponents[]> {
  const chosen = new Map<string, string[]>();
  for (let i = 0; i < rows.length; i += 500) {
    const ids = rows.slice(i, i + 500).map((r) => r.id);
    if (!ids.length) continue;
    const links = await db
      .select()
      .from(subscriberComponents)
      .where(inArray(subscriberComponents.subscriberId, ids))
      .orderBy(asc(subscriberComponents.componentId));
    for (const link of links) chosen.set(link.subscriberId, [...(chosen.get(link.subscriberId) ?? []), link.componentId]);
  }
  return rows.map((r) => ({ ...r, componentIds: chosen.get(r.id) ?? [] }));
}

/** One page of subscribers in address order, the total matching the filter, and the cursor of the next page. */
export async function listSubscribers(db: DbOrTx, query: z.output<typeof subscriberPageSchema>) {
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  const rows = await db
    .select()
    .from(subscribers)
    .where(where(db, query, after))
    .orderBy(asc(subscribers.email))
    .limit(query.limit + 1);
  const [total] = await db.select({ n: count() }).from(subscribers).where(where(db, query));
  const page = rows.slice(0, query.limit);
  return {
    subscribers: await withComponents(db, page),
    total: total?.n ?? 0,
    nextCursor: rows.length > query.limit ? encodeCursor(page[page.length - 1]!.email) : null,
  };
}

/** Every subscriber matching the filter, in address order (for the CSV export). */
export async function allSubscribers(db: DbOrTx, filter: SubscriberFilter): Promise<SubscriberWithComponents[]> {
  const rows = await db.select().from(subscribers).where(where(db, filter)).orderBy(asc(subscribers.email));
  return withComponents(db, rows);
}
