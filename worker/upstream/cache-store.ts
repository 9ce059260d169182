/**
 * The per-endpoint cache of last good bodies (table `source_http_cache`). Validators are read for many sources at
 * once without their bodies; a body is read only when a poll needs it (some other endpoint changed).
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { sourceHttpCache } from '../../db/schema/index.ts';
import { DEFAULT_FETCH_OPTIONS } from './fetch-result.ts';
import type { EndpointCache, KeptCache, KeptEndpoint } from './poll-outcome.ts';

/**
 * A body larger than this is not kept (nor its validators): that endpoint is then fetched in full at every poll.
 * The fetcher's own cap is the same size, so in practice every accepted body is kept; the bound is what matters.
 */
export const MAX_CACHED_BODY_BYTES = DEFAULT_FETCH_OPTIONS.maxBytes;

const CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/** Validators (no bodies) of each source, by source id. */
export async function loadValidators(db: DbOrTx, sourceIds: readonly string[]): Promise<Map<string, Record<string, KeptEndpoint>>> {
  const bySource = new Map<string, Record<string, KeptEndpoint>>();
  for (const ids of chunks(sourceIds)) {
    const rows = await db
      .select({ sourceId: sourceHttpCache.sourceId, key: sourceHttpCache.endpointKey, etag: sourceHttpCache.etag, lastModified: sourceHttpCache.lastModified })
      .from(sourceHttpCache)
      .where(inArray(sourceHttpCache.sourceId, ids));
    for (const row of rows) {
      const kept = bySource.get(row.sourceId) ?? {};
      kept[row.key] = { etag: row.etag, lastModified: row.lastModified };
      bySource.set(row.sourceId, kept);
    }
  }
  return bySource;
}

export async function loadBodies(db: DbOrTx, sourceId: string, keys: readonly string[]): Promise<Record<string, string>> {
  if (keys.length === 0) return {};
  const rows = await db
    .select({ key: sourceHttpCache.endpointKey, body: sourceHttpCache.body })
    .from(sourceHttpCache)
    .where(and(eq(sourceHttpCache.sourceId, sourceId), inArray(sourceHttpCache.endpointKey, [...keys])));
  return Object.fromEntries(rows.map((row) => [row.key, row.body]));
}

/**
 * Stores what a successful poll returned: fresh bodies are written, endpoints the poll no longer holds are removed,
 * kept ones untouched. `known` is the set of endpoint keys stored before the poll.
 */
export async function saveCache(
  tx: DbOrTx,
  sourceId: string,
  cache: EndpointCache,
  fresh: readonly string[],
  known: readonly string[],
  now: Date,
): Promise<void> {
  const gone = known.filter((key) => !(key in cache));
  for (const key of fresh) {
    const entry = cache[key];
    if (!entry) continue;
    const bodyBytes = Buffer.byteLength(entry.body);
    if (bodyBytes > MAX_CACHED_BODY_BYTES) {
      gone.push(key);
      continue;
    }
    const values = { etag: entry.etag, lastModified: entry.lastModified, body: entry.body, bodyBytes, storedAt: now };
    await tx
      .insert(sourceHttpCache)
      .values({ sourceId, endpointKey: key, ...values })
      .onConflictDoUpdate({ target: [sourceHttpCache.sourceId, sourceHttpCache.endpointKey], set: values });
  }
  await forgetEndpoints(tx, sourceId, gone);
}

/** The last good body of each endpoint of a source, as kept: what the admin API shows as the last raw payload. */
export interface KeptBody {
  key: string;
  body: string;
  bodyBytes: number;
  storedAt: Date;
}

export async function loadKeptBodies(db: DbOrTx, sourceId: string): Promise<KeptBody[]> {
  return db
    .select({ key: sourceHttpCache.endpointKey, body: sourceHttpCache.body, bodyBytes: sourceHttpCache.bodyBytes, storedAt: sourceHttpCache.storedAt })
    .from(sourceHttpCache)
    .where(eq(sourceHttpCache.sourceId, sourceId))
    .orderBy(asc(sourceHttpCache.endpointKey));
}

/**
 * Keeps a source's bodies but forgets their validators: the next poll asks every endpoint in full (no 304 can stand
 * for a body read under other settings), while the last payload stays readable until then.
 */
export async function forgetValidators(tx: DbOrTx, sourceId: string): Promise<void> {
  await tx.update(sourceHttpCache).set({ etag: null, lastModified: null }).where(eq(sourceHttpCache.sourceId, sourceId));
}

/** Drops kept endpoints (their validators must not be sent without the body they stand for). */
export async function forgetEndpoints(tx: DbOrTx, sourceId: string, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await tx.delete(sourceHttpCache).where(and(eq(sourceHttpCache.sourceId, sourceId), inArray(sourceHttpCache.endpointKey, [...keys])));
}

/** Forgets everything kept for a source, so its next poll fetches and parses every endpoint afresh. */
export async function clearCache(tx: DbOrTx, sourceId: string): Promise<void> {
  await tx.delete(sourceHttpCache).where(eq(sourceHttpCache.sourceId, sourceId));
}

export type { KeptCache };
