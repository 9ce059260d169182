import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { subscribers } from '../../db/schema/index.ts';
import { forgetMailTo } from '../mail/outbox.ts';
import { deleteSubscribers } from './store.ts';

/**
 * Removes a subscriber and every trace of their address: the row, their choices, and the mail
 * queued or sent to them (the outbox keeps recipients and rendered data). Returns false when there
 * was no such subscriber.
 */
export async function eraseSubscriber(db: DbOrTx, id: string): Promise<boolean> {
  const [row] = await db.select({ email: subscribers.email }).from(subscribers).where(eq(subscribers.id, id));
  if (!row) return false;
  await forgetMailTo(db, { subscriberId: id, email: row.email });
  await deleteSubscribers(db, [id]);
  return true;
}
