import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError, errorBody } from './errors.ts';

/** What a size in bytes is called in an answer ("256 KiB"). */
export const sizeInWords = (bytes: number): string => (bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MiB` : `${bytes / 1024} KiB`);

/**
 * A route's request body may be at most `maxBytes`: a larger one is answered 413 before it is read (or as it is).
 * A body with a declared length is judged by the header alone (node's parser reads no more than it declares): Hono's
 * middleware first asks for the request's body stream, which makes the node adapter build a whole web `Request` for
 * every admin write. Only a body sent without a length is counted through that middleware.
 */
export function limitBody(maxBytes: number, what = 'the request body'): MiddlewareHandler {
  const tooLarge = (c: Context) => c.json(errorBody('payload_too_large', `${what} is larger than ${sizeInWords(maxBytes)}`), 413);
  const counted = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return async (c, next) => {
    const declared = c.req.header('content-length');
    if (declared === undefined || c.req.header('transfer-encoding') !== undefined) return counted(c, next);
    if (Number(declared) > maxBytes) return tooLarge(c);
    await next();
  };
}

/**
 * A body read as a stream (a large import) and counted as it comes: the declared length is checked first, and a body
 * sent without one stops with 413 at the byte that passes the limit. Nothing is buffered here.
 */
export async function* limitedStream(body: ReadableStream<Uint8Array> | null, declaredLength: string | undefined, maxBytes: number, what: string): AsyncGenerator<Uint8Array> {
  const tooLarge = () => new ApiError(413, 'payload_too_large', `${what} is larger than ${sizeInWords(maxBytes)}`);
  if (declaredLength !== undefined && Number(declaredLength) > maxBytes) throw tooLarge();
  if (!body) return;
  let total = 0;
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    if (total > maxBytes) throw tooLarge();
    yield chunk;
  }
}
