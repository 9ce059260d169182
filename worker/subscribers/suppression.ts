import { and, inArray, ne } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { subscribers } from '../../db/schema/index.ts';
import { normaliseEmail } from './address.ts';

/**
 * Stops all mail to these addresses for good (a hard bounce or a spam complaint): status
 * `suppressed`, with the reason kept for the admin. Unknown addresses are ignored. Returns how many
 * subscribers changed.
 */
export async function suppressAddresses(db: DbOrTx, emails: readonly string[], reason: string, now: Date): Promise<number> {
  const addresses = [...new Set(emails.map(normaliseEmail))].filter(Boolean);
  if (!addresses.length) return 0;
  const changed = await db
    .update(subscribers)
    .set({ status: 'suppressed', suppressedReason: reason.slice(0, 500), suppressedAt: now, confirmTokenHash: null, confirmExpiresAt: null, updatedAt: now })
    .where(and(inArray(subscribers.email, addresses), ne(subscribers.status, 'suppressed')))
    .returning({ id: subscribers.id });
  return changed.length;
}
