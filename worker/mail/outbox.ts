import type { DbOrTx } from '../../db/client.ts';
import { outbox } from '../../db/schema/index.ts';
import { newId } from '../lib/ids.ts';

export interface OutgoingMail {
  /** Deterministic key for this event and recipient, e.g. `maintenance:<id>:announcement:<subscriber id>`. */
  idempotencyKey: string;
  recipient: string;
  subscriberId?: string | null;
  template: string;
  locale: 'es' | 'en';
  data: Record<string, unknown>;
  /** What the message is about, e.g. `maintenance:<id>`. */
  ref?: string | null;
  /** Earliest send time; default now. */
  notBefore?: Date;
}

/**
 * Queues messages in the caller's transaction, so a message exists exactly when the event that
 * causes it does. A key already queued is ignored: re-running a producer never queues twice.
 * Returns how many rows were new.
 */
export async function enqueueMail(tx: DbOrTx, messages: OutgoingMail[], now: Date): Promise<number> {
  let added = 0;
  // SQLite caps bound variables per statement; 14 columns × 200 rows stays well inside it.
  for (let i = 0; i < messages.length; i += 200) {
    const chunk = messages.slice(i, i + 200);
    const inserted = await tx
      .insert(outbox)
      .values(
        chunk.map((m) => ({
          id: newId(),
          idempotencyKey: m.idempotencyKey,
          recipient: m.recipient,
          subscriberId: m.subscriberId ?? null,
          template: m.template,
          locale: m.locale,
          data: m.data,
          ref: m.ref ?? null,
          state: 'pending',
          attempts: 0,
          nextAttemptAt: m.notBefore ?? now,
          createdAt: now,
        })),
      )
      .onConflictDoNothing({ target: outbox.idempotencyKey })
      .returning({ id: outbox.id });
    added += inserted.length;
  }
  return added;
}
