import { and, asc, eq, exists, gt, gte, inArray, notExists, or, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { subscriberComponents, subscribers } from '../../db/schema/index.ts';
import { messageLocale, type Locale } from '../config/schema.ts';

export interface Recipient {
  subscriberId: string;
  email: string;
  locale: Locale;
  timeZone: string;
}

/**
 * Who is affected by something touching `componentIds`: a subscriber who chose no components
 * follows everything; a notice naming no components concerns everyone.
 */
function followsAny(componentIds: readonly string[], db: DbOrTx): SQL | undefined {
  if (componentIds.length === 0) return undefined;
  const chose = (only?: readonly string[]) =>
    db
      .select({ one: subscriberComponents.subscriberId })
      .from(subscriberComponents)
      .where(and(eq(subscriberComponents.subscriberId, subscribers.id), only ? inArray(subscriberComponents.componentId, [...only]) : undefined));
  return or(notExists(chose()), exists(chose(componentIds)));
}

/** How many recipients are read (and their messages queued) at a time, so a fan-out to 100,000 stays small in memory. */
export const RECIPIENT_PAGE = 2_000;

/** Confirmed subscribers matching `where`, a page at a time in id order (keyset paging: each page is one indexed read). */
async function* pages(db: DbOrTx, where: SQL | undefined): AsyncGenerator<Recipient[]> {
  let after = '';
  for (;;) {
    const rows = await db
      .select({ id: subscribers.id, email: subscribers.email, locale: subscribers.locale, timezone: subscribers.timezone })
      .from(subscribers)
      .where(and(eq(subscribers.status, 'confirmed'), gt(subscribers.id, after), where))
      .orderBy(asc(subscribers.id))
      .limit(RECIPIENT_PAGE);
    if (rows.length === 0) return;
    yield rows.map((r) => ({ subscriberId: r.id, email: r.email, locale: messageLocale(r.locale), timeZone: r.timezone }));
    if (rows.length < RECIPIENT_PAGE) return;
    after = rows[rows.length - 1]!.id;
  }
}

/** Confirmed subscribers of any of the window's components, page by page. */
export function maintenanceRecipientPages(db: DbOrTx, componentIds: readonly string[]): AsyncGenerator<Recipient[]> {
  return pages(db, followsAny(componentIds, db));
}

/**
 * Confirmed subscribers of the incident's components who want incident notices at this severity
 * (1 is the most severe: `min_severity` 2 receives severities 1 and 2).
 */
export function incidentRecipientPages(db: DbOrTx, componentIds: readonly string[], severity: number): AsyncGenerator<Recipient[]> {
  return pages(db, and(eq(subscribers.incidentNotices, true), gte(subscribers.minSeverity, severity), followsAny(componentIds, db)));
}
