import { and, inArray, isNotNull } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { incidentUpdates } from '../../db/schema/index.ts';

/** Who posted each staff update of these incidents (an account's e-mail or a token's name), by update id. */
export async function updatePosters(db: DbOrTx, incidentIds: readonly string[]): Promise<Map<string, string>> {
  if (!incidentIds.length) return new Map();
  const rows = await db
    .select({ id: incidentUpdates.id, postedBy: incidentUpdates.postedBy })
    .from(incidentUpdates)
    .where(and(inArray(incidentUpdates.incidentId, [...incidentIds]), isNotNull(incidentUpdates.postedBy)));
  return new Map(rows.map((r) => [r.id, r.postedBy!]));
}
