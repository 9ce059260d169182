import type { MiddlewareHandler } from 'hono';
import { answerFor } from '../http/representation.ts';
import { requestFactsOf, toResponse } from '../http/fast-path.ts';
import type { Publisher } from '../publish/publisher.ts';

/**
 * Published documents through the router: the same bytes and headers as the fast path, for requests that reach the
 * app (tests through `app.request()`, and the first requests before the first snapshot exists).
 */
export function publishedDocuments(publisher: Publisher): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    if (!publisher.ready) await publisher.start();
    const doc = publisher.get(c.req.path);
    if (!doc) return next();
    return toResponse(answerFor(doc.representation, requestFactsOf(c.req.raw)));
  };
}
