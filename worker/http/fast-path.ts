import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Publisher } from '../publish/publisher.ts';
import type { ServedSite } from '../site/served-site.ts';
import { answerFor, type Answer, type RequestFacts } from './representation.ts';

export interface FastPathDeps {
  publisher: Publisher;
  /** The site being served, if any. */
  site: () => ServedSite | null;
  /** Everything else: the Hono app's listener. */
  fallback: RequestListener;
}

/**
 * The hot path, in front of the router: a GET or HEAD for a published document, or for a site page or file already in memory,
 * is answered straight from prepared bytes and headers, with no routing, no Request object and no database. During an
 * outage nearly every request is one of these. Anything else goes to the Hono app.
 */
export function fastPathListener(deps: FastPathDeps): RequestListener {
  return (req, res) => {
    const method = req.method;
    if (method === 'GET' || method === 'HEAD') {
      const url = req.url ?? '/';
      const query = url.indexOf('?');
      const path = query === -1 ? url : url.slice(0, query);
      const doc = deps.publisher.get(path);
      if (doc) return send(res, answerFor(doc.representation, requestFacts(req)));
      if (!path.startsWith('/api/')) {
        const rep = deps.site()?.cached(path);
        if (rep) return send(res, answerFor(rep, requestFacts(req)));
      }
    }
    return deps.fallback(req, res);
  };
}

function requestFacts(req: IncomingMessage): RequestFacts {
  const h = req.headers;
  return {
    method: req.method ?? 'GET',
    acceptEncoding: h['accept-encoding'],
    ifNoneMatch: h['if-none-match'],
    ifModifiedSince: h['if-modified-since'],
  };
}

function send(res: ServerResponse, answer: Answer): void {
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body ?? undefined);
}

/** The same answer as a web Response, for the Hono routes (`app.request()` in tests goes through these). */
export function toResponse(answer: Answer, status: number = answer.status): Response {
  // A Buffer is a Uint8Array, which Response takes; the DOM typings only disagree about its ArrayBuffer type.
  return new Response(answer.body as unknown as BodyInit | null, { status, headers: answer.headers });
}

/** Request facts from a web Request. */
export function requestFactsOf(request: Request): RequestFacts {
  const h = request.headers;
  return {
    method: request.method,
    acceptEncoding: h.get('accept-encoding') ?? undefined,
    ifNoneMatch: h.get('if-none-match') ?? undefined,
    ifModifiedSince: h.get('if-modified-since') ?? undefined,
  };
}
