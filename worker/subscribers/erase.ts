import { eq, or } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { outbox, subscriberComponents, subscribers } from '../../db/schema/index.ts';

/**
 * Removes a subscriber and every trace of their address: the row, their choices, and the mail
 * queued or sent to them (the outbox keeps recipients and rendered data). Returns false when there
 * was no such subscriber.
 */
export async function eraseSubscriber(db: DbOrTx, id: string): Promise<boolean> {
  const [row] = await db.select({ email: subscribers.email }).from(subscribers).where(eq(subscribers.id, id));
  if (!row) return false;
  await db.delete(outbox).where(or(eq(outbox.subscriberId, id), eq(outbox.target, row.email)));
  await db.delete(subscriberComponents).where(eq(subscriberComponents.subscriberId, id));
  await db.delete(subscribers).where(eq(subscribers.id, id));
  return true;
}
