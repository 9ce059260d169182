import { eq, inArray, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { outbox } from '../../db/schema/index.ts';
import type { Locale } from '../config/schema.ts';
import { newId } from '../lib/ids.ts';

export interface OutgoingMail {
  /** Deterministic key for this event and recipient, e.g. `maintenance:<id>:announcement:<subscriber id>`. */
  idempotencyKey: string;
  recipient: string;
  subscriberId?: string | null;
  template: string;
  locale: Locale;
  data: Record<string, unknown>;
  /** What the message is about, e.g. `maintenance:<id>`. */
  ref?: string | null;
  /** Earliest send time; default now. */
  notBefore?: Date;
}

/** Rows per statement: each statement carries its rows as one JSON parameter. */
const CHUNK = 1_000;

/**
 * Queues messages in the caller's transaction, so a message exists exactly when the event that
 * causes it does. A key already queued is ignored: re-running a producer never queues twice.
 * Returns how many rows were new.
 *
 * A fan-out can be 100,000 rows, so each chunk goes in as a single JSON array unpacked by SQLite's
 * json_each: one bound parameter per statement instead of fourteen per row, which keeps both the
 * query building and the driver's per-statement memory small.
 */
export async function enqueueMail(tx: DbOrTx, messages: OutgoingMail[], now: Date): Promise<number> {
  let added = 0;
  for (let i = 0; i < messages.length; i += CHUNK) {
    const rows = messages.slice(i, i + CHUNK).map((m) => ({
      id: newId(),
      key: m.idempotencyKey,
      recipient: m.recipient,
      subscriberId: m.subscriberId ?? null,
      template: m.template,
      locale: m.locale,
      data: m.data,
      ref: m.ref ?? null,
      notBefore: (m.notBefore ?? now).getTime(),
    }));
    // `where true` lets SQLite parse the upsert after a SELECT.
    const result = await tx.run(sql`
      insert into outbox (id, idempotency_key, recipient, subscriber_id, template, locale, data, ref, state, attempts, next_attempt_at, created_at)
      select value ->> 'id', value ->> 'key', value ->> 'recipient', value ->> 'subscriberId', value ->> 'template', value ->> 'locale',
             value -> 'data', value ->> 'ref', 'pending', 0, value ->> 'notBefore', ${now.getTime()}
      from json_each(${JSON.stringify(rows)}) where true
      on conflict (idempotency_key) do nothing`);
    added += result.rowsAffected;
  }
  return added;
}

/** Deletes every message queued or sent to a person: those for the subscriber and any other to their address. */
export async function forgetMailTo(db: DbOrTx, person: { subscriberId: string; email: string }): Promise<void> {
  await db.delete(outbox).where(or(eq(outbox.subscriberId, person.subscriberId), eq(outbox.recipient, person.email)));
}

/** Deletes every message queued or sent to these subscribers. */
export async function forgetMailOfSubscribers(db: DbOrTx, subscriberIds: readonly string[]): Promise<void> {
  if (!subscriberIds.length) return;
  await db.delete(outbox).where(inArray(outbox.subscriberId, [...subscriberIds]));
}
