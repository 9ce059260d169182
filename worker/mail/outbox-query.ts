/** What admins read of the outbox: the queue newest first with a count per state, and one message with its batch. */
import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { outbox, outboxBatches } from '../../db/schema/index.ts';
import type { Channel, NoticeKind } from '../core/notices.ts';
import { refCondition } from './outbox-refs.ts';
import { OUTBOX_STATES, type OutboxState } from '../core/vocabulary.ts';
import type { OutboxBatchRow, OutboxRow } from './types.ts';

export interface OutboxFilter {
  state?: OutboxState;
  channel?: Channel;
  kind?: NoticeKind;
  maintenance_id?: string;
  incident_id?: string;
  ref?: string;
  /** The kind, by its earlier name. */
  template?: string;
  limit: number;
}

/** The newest messages matching the filter, and how many messages the whole outbox holds in each state. */
export async function listOutbox(db: DbOrTx, filter: OutboxFilter): Promise<{ messages: OutboxRow[]; counts: Record<OutboxState, number> }> {
  const where: SQL[] = [];
  if (filter.state) where.push(eq(outbox.state, filter.state));
  if (filter.channel) where.push(eq(outbox.channel, filter.channel));
  if (filter.kind) where.push(eq(outbox.kind, filter.kind));
  if (filter.maintenance_id) where.push(eq(outbox.maintenanceId, filter.maintenance_id));
  if (filter.incident_id) where.push(eq(outbox.incidentId, filter.incident_id));
  if (filter.ref) where.push(refCondition(filter.ref));
  if (filter.template) where.push(sql`${outbox.kind} = ${filter.template}`);
  const messages = await db
    .select()
    .from(outbox)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(outbox.createdAt), desc(sql`rowid`))
    .limit(filter.limit);
  const counted = await db.select({ state: outbox.state, n: sql<number>`count(*)` }).from(outbox).groupBy(outbox.state);
  const counts = Object.fromEntries(OUTBOX_STATES.map((s) => [s, counted.find((r) => r.state === s)?.n ?? 0])) as Record<OutboxState, number>;
  return { messages, counts };
}

/** One message and the batch it is (or was last) sent in. */
export async function findOutboxMessage(db: DbOrTx, id: string): Promise<{ message: OutboxRow; batch: OutboxBatchRow | null } | undefined> {
  const [message] = await db.select().from(outbox).where(eq(outbox.id, id));
  if (!message) return undefined;
  const [batch] = message.batchId ? await db.select().from(outboxBatches).where(eq(outboxBatches.id, message.batchId)) : [];
  return { message, batch: batch ?? null };
}
