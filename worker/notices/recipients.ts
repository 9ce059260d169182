import { and, asc, eq, exists, gte, inArray, notExists, or, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { subscriberComponents, subscribers } from '../../db/schema/index.ts';

export interface Recipient {
  subscriberId: string;
  email: string;
  locale: 'es' | 'en';
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

async function select(db: DbOrTx, where: SQL | undefined): Promise<Recipient[]> {
  const rows = await db
    .select({ id: subscribers.id, email: subscribers.email, locale: subscribers.locale, timezone: subscribers.timezone })
    .from(subscribers)
    .where(and(eq(subscribers.status, 'confirmed'), where))
    .orderBy(asc(subscribers.id));
  return rows.map((r) => ({ subscriberId: r.id, email: r.email, locale: r.locale === 'en' ? 'en' : 'es', timeZone: r.timezone }));
}

/** Confirmed subscribers of any of the window's components. */
export function maintenanceRecipients(db: DbOrTx, componentIds: readonly string[]): Promise<Recipient[]> {
  return select(db, followsAny(componentIds, db));
}

/**
 * Confirmed subscribers of the incident's components who want incident notices at this severity
 * (1 is the most severe: `min_severity` 2 receives severities 1 and 2).
 */
export function incidentRecipients(db: DbOrTx, componentIds: readonly string[], severity: number): Promise<Recipient[]> {
  return select(db, and(eq(subscribers.incidentNotices, true), gte(subscribers.minSeverity, severity), followsAny(componentIds, db)));
}
