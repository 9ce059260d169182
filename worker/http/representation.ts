import { chooseEncoding, etagMatches, variantEtag, type ContentEncoding, type EncodedBody } from '../publish/encode.ts';

/** A body ready to be served many times: its encodings and every header, computed once. */
export interface Representation {
  body: EncodedBody;
  lastModified: Date;
  /** Response headers per encoding offered (Content-Type, Content-Length, ETag, Cache-Control, Vary…). */
  headers: Record<ContentEncoding, Record<string, string> | null>;
  /** Headers of a `304 Not Modified` per encoding (validators and caching, no body headers). */
  notModified: Record<ContentEncoding, Record<string, string> | null>;
}

export interface RepresentationOptions {
  contentType: string;
  cacheControl: string;
  lastModified: Date;
  /** Extra headers sent with 200 and 304 alike (e.g. CORS). */
  headers?: Record<string, string>;
}

export function prepareRepresentation(body: EncodedBody, options: RepresentationOptions): Representation {
  const lastModified = new Date(Math.floor(options.lastModified.getTime() / 1000) * 1000);
  const compressed = Boolean(body.gzip || body.br);
  const variant = (encoding: ContentEncoding, bytes: Buffer | null) => {
    if (!bytes) return null;
    const common: Record<string, string> = {
      etag: variantEtag(body.etag, encoding),
      'cache-control': options.cacheControl,
      'last-modified': lastModified.toUTCString(),
      ...(compressed ? { vary: 'Accept-Encoding' } : {}),
      ...options.headers,
    };
    const full: Record<string, string> = {
      'content-type': options.contentType,
      'content-length': String(bytes.length),
      ...(encoding === 'identity' ? {} : { 'content-encoding': encoding }),
      ...common,
    };
    return { full, common };
  };
  const identity = variant('identity', body.identity);
  const gzip = variant('gzip', body.gzip);
  const br = variant('br', body.br);
  return {
    body,
    lastModified,
    headers: { identity: identity!.full, gzip: gzip?.full ?? null, br: br?.full ?? null },
    notModified: { identity: identity!.common, gzip: gzip?.common ?? null, br: br?.common ?? null },
  };
}

export interface RequestFacts {
  method: string;
  acceptEncoding?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: string;
}

export interface Answer {
  status: 200 | 304;
  headers: Record<string, string>;
  /** Null for a 304 or a HEAD request. */
  body: Buffer | null;
}

/** Content negotiation and conditional requests (RFC 9110): If-None-Match wins over If-Modified-Since. */
export function answerFor(rep: Representation, request: RequestFacts): Answer {
  const encoding = chooseEncoding(request.acceptEncoding, rep.body);
  const fresh = request.ifNoneMatch
    ? etagMatches(request.ifNoneMatch, rep.body.etag)
    : request.ifModifiedSince
      ? notModifiedSince(request.ifModifiedSince, rep.lastModified)
      : false;
  if (fresh) return { status: 304, headers: rep.notModified[encoding]!, body: null };
  const bytes = encoding === 'identity' ? rep.body.identity : encoding === 'gzip' ? rep.body.gzip : rep.body.br;
  return { status: 200, headers: rep.headers[encoding]!, body: request.method === 'HEAD' ? null : bytes };
}

function notModifiedSince(header: string, lastModified: Date): boolean {
  const since = Date.parse(header);
  return Number.isFinite(since) && lastModified.getTime() <= since;
}
