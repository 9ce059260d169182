import type { DbOrTx } from '../../db/client.ts';
import { normaliseEmail } from './address.ts';
import { suppressSubscribers } from './store.ts';

/**
 * Stops all mail to these addresses for good (a hard bounce or a spam complaint): status
 * `suppressed`, with the reason kept for the admin. Unknown addresses are ignored. Returns how many
 * subscribers changed.
 */
export async function suppressAddresses(db: DbOrTx, emails: readonly string[], reason: string, now: Date): Promise<number> {
  const addresses = [...new Set(emails.map(normaliseEmail))].filter(Boolean);
  if (!addresses.length) return 0;
  return suppressSubscribers(db, addresses, reason.slice(0, 500), now);
}
