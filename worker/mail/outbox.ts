import { eq, inArray, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { outbox } from '../../db/schema/index.ts';
import type { Locale } from '../config/schema.ts';
import { CHANNELS, type Channel } from '../core/notices.ts';
import { newId } from '../lib/ids.ts';
import { InvalidNoticeError, noticeSubject, parseNotice, type NoticeInput } from '../notices/notice.ts';

/** One recipient of a notice: where it goes, and how that reader reads it. */
export interface NoticeDelivery {
  channel: Channel;
  /** Where on the channel: an e-mail address. */
  target: string;
  /** Deterministic key for this event and recipient, e.g. `maintenance:<id>:announcement:<subscriber id>`. */
  idempotencyKey: string;
  subscriberId?: string | null;
  locale: Locale;
  /** The zone times are shown in; default: the subscriber's stored zone, else the page's. */
  timeZone?: string | null;
  /** Earliest send time; default now. */
  notBefore?: Date;
}

/** Rows per statement: each statement carries its rows as one JSON parameter. */
const CHUNK = 1_000;

/**
 * Queues one notice to its recipients in the caller's transaction, so a notice exists exactly when the event that
 * causes it does. The notice is checked first: a bad one throws InvalidNoticeError naming the kind and the field, and
 * nothing is queued. A key already queued is ignored: re-running a producer never queues twice. Returns how many
 * rows were new.
 *
 * A fan-out can be 100,000 rows, so each chunk goes in as a single JSON array unpacked by SQLite's json_each, with
 * the notice bound once beside it: a few parameters per statement instead of a dozen per row, which keeps both the
 * query building and the driver's per-statement memory small.
 */
export async function queueNotice(tx: DbOrTx, notice: NoticeInput, deliveries: readonly NoticeDelivery[], now: Date): Promise<number> {
  const checked = parseNotice(notice);
  const unknown = deliveries.find((d) => !(CHANNELS as readonly string[]).includes(d.channel));
  if (unknown) throw new InvalidNoticeError(checked.kind, `channel: "${unknown.channel}" is not a channel (${CHANNELS.join(', ')})`);
  const subject = noticeSubject(checked);
  const stored = JSON.stringify(checked);
  let added = 0;
  for (let i = 0; i < deliveries.length; i += CHUNK) {
    const rows = deliveries.slice(i, i + CHUNK).map((d) => ({
      id: newId(),
      key: d.idempotencyKey,
      channel: d.channel,
      target: d.target,
      subscriberId: d.subscriberId ?? null,
      locale: d.locale,
      timeZone: d.timeZone ?? null,
      notBefore: (d.notBefore ?? now).getTime(),
    }));
    // `where true` lets SQLite parse the upsert after a SELECT.
    const result = await tx.run(sql`
      insert into outbox (id, idempotency_key, channel, target, subscriber_id, kind, maintenance_id, maintenance_version, incident_id,
                          locale, time_zone, notice, state, attempts, next_attempt_at, created_at)
      select value ->> 'id', value ->> 'key', value ->> 'channel', value ->> 'target', value ->> 'subscriberId', ${checked.kind},
             ${subject.maintenanceId}, ${subject.maintenanceVersion}, ${subject.incidentId},
             value ->> 'locale', value ->> 'timeZone', ${stored}, 'pending', 0, value ->> 'notBefore', ${now.getTime()}
      from json_each(${JSON.stringify(rows)}) where true
      on conflict (idempotency_key) do nothing`);
    added += result.rowsAffected;
  }
  return added;
}

/** Deletes every message queued or sent to a person: those for the subscriber and any other to their address. */
export async function forgetMailTo(db: DbOrTx, person: { subscriberId: string; email: string }): Promise<void> {
  await db.delete(outbox).where(or(eq(outbox.subscriberId, person.subscriberId), eq(outbox.target, person.email)));
}

/** Deletes every message queued or sent to these subscribers. */
export async function forgetMailOfSubscribers(db: DbOrTx, subscriberIds: readonly string[]): Promise<void> {
  if (!subscriberIds.length) return;
  await db.delete(outbox).where(inArray(outbox.subscriberId, [...subscriberIds]));
}
