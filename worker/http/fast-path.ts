import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Publisher } from '../publish/publisher.ts';
import type { StaticSite } from '../site/static-site.ts';
import { answerFor, type Answer, type Representation, type RequestFacts } from './representation.ts';

export interface FastPathDeps {
  publisher: Publisher;
  /** The site build being served, if any. */
  site: () => StaticSite | null;
  /** Everything else: the Hono app's listener. */
  fallback: RequestListener;
}

/**
 * The hot path, in front of the router: a GET or HEAD for a published document, or for a site file, is answered
 * straight from prepared bytes and headers, with no routing, no Request object and no database. During an outage
 * nearly every request is one of these. Anything else goes to the Hono app.
 */
export function fastPathListener(deps: FastPathDeps): RequestListener {
  const reads = new SharedReads();
  return (req, res) => {
    const method = req.method;
    if (method === 'GET' || method === 'HEAD') {
      const url = req.url ?? '/';
      const query = url.indexOf('?');
      const path = query === -1 ? url : url.slice(0, query);
      const doc = deps.publisher.get(path);
      if (doc) return send(res, answerFor(doc.representation, requestFacts(req)));
      const site = path.startsWith('/api/') ? null : deps.site();
      if (site) {
        const rep = site.cached(path);
        if (rep) return send(res, answerFor(rep, requestFacts(req)));
        // A file not in memory yet (a new build just went live): every request for it waits for the same read.
        if (site.has(path)) {
          reads.representation(site, path).then(
            (read) => (read ? send(res, answerFor(read, requestFacts(req))) : deps.fallback(req, res)),
            () => deps.fallback(req, res),
          );
          return;
        }
      }
    }
    return deps.fallback(req, res);
  };
}

/**
 * Reads of site files under way, shared. Right after a new build goes live, every visitor's next request misses the
 * memory cache at once; read each on its own, a 2 MB page asked for by 100 connections was 100 reads of it in memory
 * at the same time, hundreds of megabytes the process then kept.
 */
class SharedReads {
  private readonly pending = new WeakMap<StaticSite, Map<string, Promise<Representation | undefined>>>();

  representation(site: StaticSite, path: string): Promise<Representation | undefined> {
    let bySite = this.pending.get(site);
    if (!bySite) this.pending.set(site, (bySite = new Map()));
    const under = bySite.get(path);
    if (under) return under;
    const read = site.representation(path).finally(() => bySite.delete(path));
    bySite.set(path, read);
    return read;
  }
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
