/**
 * The last raw payload read from a source's provider: the last good body of each endpoint as the poller kept it,
 * with when it was stored, its size and its format (judged from the body: the response's Content-Type is not kept),
 * and whether the last poll failed since (its error, as the source shows it).
 */
import type { Database } from '../../db/client.ts';
import { notFound } from '../core/errors.ts';
import type { SourceType } from '../core/vocabulary.ts';
import { loadKeptBodies } from '../upstream/cache-store.ts';
import { watchRuntime } from '../upstream/runtime.ts';
import { sniffContent, type ContentKind } from '../upstream/sniff.ts';
import { loadSourceRow } from './read.ts';

const MEDIA_TYPES: Record<ContentKind, string | null> = {
  json: 'application/json',
  xml: 'application/xml',
  html: 'text/html',
  text: 'text/plain',
  empty: null,
};

export interface KeptPayload {
  endpoint: string;
  storedAt: Date;
  bytes: number;
  format: ContentKind;
  /** The media type the body's format stands for. */
  contentType: string | null;
  body: string;
}

export interface SourcePayload {
  sourceId: string;
  type: SourceType;
  bodies: KeptPayload[];
  /** The last poll's error (`parse: …` when the body could not be read), null when it succeeded. */
  lastError: string | null;
  lastErrorAt: Date | null;
  /**
   * Where the last poll failed: `body` when an answer came but could not be used (a body the adapter refused, one
   * over the size cap or of the wrong kind), `fetch` when no usable answer came, `internal`; null when it did not.
   */
  failedAt: 'body' | 'fetch' | 'internal' | null;
}

/** The fetcher's words for an answer whose body it refused (worker/upstream/fetch.ts): over the cap, or not the kind expected. */
const REFUSED_BODY = /^fetch: [\w-]+: (?:body exceeds|declared body of|expected (?:JSON|XML), got)/;

/** Where a poll's error (`<stage>: <message>`, as recorded) says it failed. */
export function failureStage(lastError: string | null): SourcePayload['failedAt'] {
  if (lastError === null) return null;
  if (lastError.startsWith('parse: ') || REFUSED_BODY.test(lastError)) return 'body';
  return lastError.startsWith('internal: ') ? 'internal' : 'fetch';
}

export async function sourcePayload(db: Database, id: string): Promise<SourcePayload> {
  return watchRuntime(db).lock.run(async () => {
    const row = await loadSourceRow(db, id);
    if (!row) throw notFound(`source "${id}"`);
    const kept = await loadKeptBodies(db, id);
    return {
      sourceId: row.id,
      type: row.type,
      bodies: kept.map((entry) => {
        const format = sniffContent(entry.body);
        return { endpoint: entry.key, storedAt: entry.storedAt, bytes: entry.bodyBytes, format, contentType: MEDIA_TYPES[format], body: entry.body };
      }),
      lastError: row.lastError,
      lastErrorAt: row.lastErrorAt,
      failedAt: failureStage(row.lastError),
    };
  });
}
