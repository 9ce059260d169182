/**
 * A source's credentials live apart from its address: a URL written with `user:password@` is stored as the bare URL
 * plus `credentials`, so the address can be shown and logged and the secret never is. Rows stored before that
 * (credentials still in `url`) are moved at start-up, in the config sync's transaction.
 */
import { eq, like } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { sources } from '../../db/schema/index.ts';
import { splitCredentials, type SplitUrl } from '../lib/redact.ts';

/** What a source stores for a URL as written: the bare address and its credentials (kept when the URL has none). */
export function storedAddress(url: string): SplitUrl {
  return splitCredentials(url);
}

/** Moves credentials found in stored URLs to the credentials column. Returns the ids of the rows moved. */
export async function moveUrlCredentials(tx: DbOrTx): Promise<string[]> {
  const rows = await tx.select({ id: sources.id, url: sources.url }).from(sources).where(like(sources.url, '%@%'));
  const moved: string[] = [];
  for (const row of rows) {
    const { url, credentials } = splitCredentials(row.url);
    if (credentials === null) continue;
    await tx.update(sources).set({ url, credentials }).where(eq(sources.id, row.id));
    moved.push(row.id);
  }
  return moved;
}
