import { lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { resendWebhookReceipts } from '../../db/schema/index.ts';

/** How long a delivery's id is remembered: far past the signature's five-minute window, and Resend's first retries. */
export const WEBHOOK_RECEIPT_TTL_MS = 24 * 3_600_000;

/**
 * Records a webhook delivery by its `svix-id`; false when it was already recorded (a replay or a retry of one
 * handled), so the caller skips it. Run it in the transaction that processes the delivery: a failure forgets it.
 */
export async function recordWebhookReceipt(db: DbOrTx, svixId: string, now: Date): Promise<boolean> {
  const inserted = await db
    .insert(resendWebhookReceipts)
    .values({ svixId, receivedAt: now })
    .onConflictDoNothing()
    .returning({ id: resendWebhookReceipts.svixId });
  return inserted.length > 0;
}

/** Forgets deliveries older than the window; returns how many. */
export async function purgeWebhookReceipts(db: DbOrTx, now: Date): Promise<number> {
  const result = await db.delete(resendWebhookReceipts).where(lt(resendWebhookReceipts.receivedAt, new Date(now.getTime() - WEBHOOK_RECEIPT_TTL_MS)));
  return result.rowsAffected;
}

export const webhookReceiptCount = async (db: DbOrTx) => (await db.get<{ n: number }>(sql`select count(*) as n from ${resendWebhookReceipts}`))?.n ?? 0;
