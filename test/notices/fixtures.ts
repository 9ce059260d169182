import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { outbox, subscriberComponents, subscribers } from '../../db/schema/index.ts';
import type { Locale } from '../../worker/config/schema.ts';
import type { NoticeKind } from '../../worker/core/notices.ts';
import { newId } from '../../worker/lib/ids.ts';

export interface SubscriberSeed {
  email: string;
  status?: 'pending' | 'confirmed' | 'unsubscribed' | 'suppressed';
  components?: string[];
  locale?: Locale;
  timezone?: string;
  incidentNotices?: boolean;
  minSeverity?: number;
}

/** Inserts a subscriber straight into the database (the subscription API is not under test here). */
export async function insertSubscriber(db: DbOrTx, seed: SubscriberSeed): Promise<string> {
  const id = newId();
  const at = new Date('2026-01-01T00:00:00Z');
  await db.insert(subscribers).values({
    id,
    email: seed.email,
    locale: seed.locale ?? 'es',
    timezone: seed.timezone ?? 'America/Bogota',
    status: seed.status ?? 'confirmed',
    incidentNotices: seed.incidentNotices ?? false,
    minSeverity: seed.minSeverity ?? 2,
    confirmedAt: (seed.status ?? 'confirmed') === 'confirmed' ? at : null,
    createdAt: at,
    updatedAt: at,
  });
  if (seed.components?.length) await db.insert(subscriberComponents).values(seed.components.map((componentId) => ({ subscriberId: id, componentId })));
  return id;
}

/** Every outbox row, oldest key first, as the tests look at them. */
export async function outboxRows(db: DbOrTx, where?: { kind?: NoticeKind }) {
  const rows = await db.select().from(outbox).where(where?.kind ? eq(outbox.kind, where.kind) : undefined).orderBy(asc(outbox.idempotencyKey));
  return rows;
}

export const HOUR = 3_600_000;
export const MINUTE = 60_000;
