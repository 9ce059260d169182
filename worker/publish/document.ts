import type { DbOrTx } from '../../db/client.ts';
import type { Config } from '../config/load.ts';
import type { PublishedState } from '../status/read-model.ts';
import type { Revisions } from './published-data.ts';

/**
 * One public response body, computed when published state changes (never per request) and served from memory
 * with its ETag and its gzip and brotli encodings.
 */
export interface PublishedDocument {
  /** The request path it answers, e.g. `/api/v2/summary.json` (query strings are ignored). */
  path: string;
  /** The full Content-Type header value, e.g. `application/json; charset=utf-8`. */
  contentType: string;
  body: string | Uint8Array;
  /** Extra response headers (e.g. Content-Disposition for a calendar file). */
  headers?: Record<string, string>;
  /** Whether other sites may frame it (only the embeddable widget's page). */
  framable?: boolean;
}

/** What every document source is given when the snapshot is rebuilt: one read of the published state, shared. */
export interface PublishInput {
  db: DbOrTx;
  config: Config;
  now: Date;
  state: PublishedState;
}

/**
 * A module that turns the published state into documents. It may read more from the database (history, uptime),
 * but only here, at rebuild time; what it returns must depend only on the database and `now`.
 */
export type DocumentSource = (input: PublishInput) => PublishedDocument[] | Promise<PublishedDocument[]>;

/**
 * A source in the publisher's list.
 *
 * `key` says what its documents depend on, as a short string computed at each rebuild from the published data's
 * revisions and, for a source that depends on the clock, from the clock's facts (`clockFacts`) or from what it
 * derives from them. When a rebuild finds the key of the source's last run, the source is not run: its documents are
 * served as they are, neither formatted, serialised nor compressed again. So the clock's rebuilds, every 30 s, build
 * only what the clock changed. A source without a key runs on every rebuild.
 *
 * A heavy source (90 days of history, every day's uptime, hundreds of feeds) declares how often it may run: after a
 * change, not sooner than `minIntervalMs` after its last run (its previous documents are served meanwhile), and with
 * no change (and no key saying nothing changed) at least every `maxAgeMs` and at each local midnight, so a burst or a
 * continuous stream of writes never makes every rebuild re-read months of data. Heavy sources run after a rebuild,
 * beside the next ones, so the other documents of a change never wait for them.
 */
export interface DocumentSourceEntry {
  name: string;
  build: DocumentSource;
  key?: (input: PublishInput, revisions: Revisions) => string;
  throttle?: { minIntervalMs: number; maxAgeMs: number };
}

export const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * A JSON document, serialised once, at rebuild, straight into bytes: the text is let go at once (V8 may keep a long
 * string at two bytes per character), and the bytes are what the publisher serves.
 */
export function jsonDocument(path: string, value: unknown, headers?: Record<string, string>): PublishedDocument {
  return { path, contentType: JSON_TYPE, body: Buffer.from(JSON.stringify(value)), headers };
}
