/**
 * What a poll starts from (the kept validators and bodies) and what it ends in (a PollOutcome). Declared apart from
 * the polling so recording an outcome and keeping the bodies need no network.
 */
import type { SourceType } from '../core/vocabulary.ts';
import type { UpstreamSnapshot } from './types.ts';

export interface CachedEndpoint {
  etag: string | null;
  lastModified: string | null;
  body: string;
}

/** Last good bodies and validators by endpoint key. */
export type EndpointCache = Readonly<Record<string, CachedEndpoint>>;

/** What a poll starts from: validators, with the bodies they stand for or without them (see `loadBodies`). */
export interface KeptEndpoint {
  etag: string | null;
  lastModified: string | null;
  body?: string;
}
export type KeptCache = Readonly<Record<string, KeptEndpoint>>;

export interface UpstreamSource {
  type: SourceType;
  /** The address, without credentials. */
  url: string;
  /** `user:password` to send as Basic authorization, kept apart from the URL (see worker/lib/redact.ts). */
  credentials?: string | null;
  options?: unknown;
}

export type PollOutcome =
  | {
      kind: 'unchanged';
      cache: KeptCache;
      latencyMs: number;
      /** Secondary endpoints not asked this time (see `skipSecondary`). */
      skipped: string[];
    }
  | {
      kind: 'snapshot';
      snapshot: UpstreamSnapshot;
      cache: EndpointCache;
      /** Endpoint keys whose body was fetched afresh (the others were kept bodies or left out). */
      fresh: string[];
      warnings: string[];
      latencyMs: number;
    }
  | {
      kind: 'failed';
      stage: 'fetch' | 'parse' | 'internal';
      message: string;
      retryable: boolean;
      retryAfterMs?: number;
      /** The cache as it was: a failed poll must not replace what was known. */
      cache: KeptCache;
      latencyMs: number;
    };
