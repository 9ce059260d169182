import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError, errorBody } from './errors.ts';

/** What a size in bytes is called in an answer ("256 KiB"). */
export const sizeInWords = (bytes: number): string => (bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MiB` : `${bytes / 1024} KiB`);

/** A route's request body may be at most `maxBytes`: a larger one is answered 413 before it is read (or as it is). */
export function limitBody(maxBytes: number, what = 'the request body'): MiddlewareHandler {
  return bodyLimit({ maxSize: maxBytes, onError: (c) => c.json(errorBody('payload_too_large', `${what} is larger than ${sizeInWords(maxBytes)}`), 413) });
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
