/**
 * A real HTTP server on 127.0.0.1 standing in for upstream status pages. Each test programs its routes:
 * status, headers, body, a delay before answering, a body that never ends, a huge body generated on the fly
 * (with backpressure, never held in memory), redirects, and ETag / Last-Modified validators answered with 304.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RouteSpec {
  status?: number;
  headers?: Record<string, string>;
  /** A string or Buffer is sent as is; anything else as JSON. */
  body?: unknown;
  /** Wait this long before sending the status line. */
  delayMs?: number;
  /** Send an ETag and answer 304 when If-None-Match matches it. */
  etag?: string;
  /** Send Last-Modified and answer 304 when If-Modified-Since equals it. */
  lastModified?: string;
  /** Send headers, then this chunk every intervalMs until the client goes away. */
  neverEnding?: { chunk?: string; intervalMs?: number };
  /** Stream this many bytes of filler (chunked, no Content-Length), generated as the socket drains. */
  hugeBytes?: number;
  /** Declare a Content-Length (may lie). */
  contentLength?: number;
  /** Answer with a redirect (default 302) to this location. */
  redirectTo?: string;
}

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
}

export interface UpstreamServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Program a path (exact match on pathname). Later calls replace earlier ones. */
  route(path: string, spec: RouteSpec | RouteHandler): void;
  /** What to answer for paths without a route (default: 404 text). */
  fallback(spec: RouteSpec | RouteHandler): void;
  readonly requests: RecordedRequest[];
  /** Bytes of body written so far on a path (for the huge and never-ending bodies). */
  bytesSent(path: string): number;
  close(): Promise<void>;
}

const FILLER = Buffer.alloc(64 * 1024, 'x');

function send(req: IncomingMessage, res: ServerResponse, spec: RouteSpec, path: string, counters: Map<string, number>): void {
  const count = (bytes: number): void => {
    counters.set(path, (counters.get(path) ?? 0) + bytes);
  };
  const headers: Record<string, string> = { ...spec.headers };
  if (spec.etag) headers.ETag = spec.etag;
  if (spec.lastModified) headers['Last-Modified'] = spec.lastModified;

  if (spec.redirectTo !== undefined) {
    res.writeHead(spec.status ?? 302, { ...headers, Location: spec.redirectTo });
    res.end();
    return;
  }
  const ifNoneMatch = req.headers['if-none-match'];
  const ifModifiedSince = req.headers['if-modified-since'];
  if ((spec.etag && ifNoneMatch === spec.etag) || (!spec.etag && spec.lastModified && ifModifiedSince === spec.lastModified)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }

  if (spec.neverEnding) {
    const chunk = spec.neverEnding.chunk ?? '{"components": [';
    res.writeHead(spec.status ?? 200, { 'Content-Type': 'application/json', ...headers });
    const timer = setInterval(() => {
      res.write(chunk);
      count(Buffer.byteLength(chunk));
    }, spec.neverEnding.intervalMs ?? 20);
    res.on('close', () => clearInterval(timer));
    return;
  }

  if (spec.hugeBytes !== undefined) {
    res.writeHead(spec.status ?? 200, { 'Content-Type': 'application/json', ...headers });
    let remaining = spec.hugeBytes;
    let closed = false;
    res.on('close', () => {
      closed = true;
    });
    const pump = (): void => {
      while (remaining > 0 && !closed) {
        const piece = remaining >= FILLER.length ? FILLER : FILLER.subarray(0, remaining);
        remaining -= piece.length;
        count(piece.length);
        if (!res.write(piece)) {
          res.once('drain', pump);
          return;
        }
      }
      if (!closed) res.end();
    };
    pump();
    return;
  }

  let payload: Buffer;
  if (spec.body === undefined) payload = Buffer.alloc(0);
  else if (Buffer.isBuffer(spec.body)) payload = spec.body;
  else if (typeof spec.body === 'string') payload = Buffer.from(spec.body);
  else {
    payload = Buffer.from(JSON.stringify(spec.body));
    headers['Content-Type'] ??= 'application/json';
  }
  headers['Content-Length'] = String(spec.contentLength ?? payload.length);
  res.writeHead(spec.status ?? 200, headers);
  count(payload.length);
  res.end(payload);
}

export async function startUpstreamServer(): Promise<UpstreamServer> {
  const routes = new Map<string, RouteSpec | RouteHandler>();
  let fallback: RouteSpec | RouteHandler = { status: 404, body: 'not found', headers: { 'Content-Type': 'text/plain' } };
  const requests: RecordedRequest[] = [];
  const counters = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers });
    const handler = routes.get(path) ?? fallback;
    if (typeof handler === 'function') {
      handler(req, res);
      return;
    }
    const run = (): void => send(req, res, handler, path, counters);
    if (handler.delayMs) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!res.destroyed) run();
      }, handler.delayMs);
      timers.add(timer);
    } else run();
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    route(path, spec) {
      routes.set(path, spec);
    },
    fallback(spec) {
      fallback = spec;
    },
    requests,
    bytesSent(path) {
      return counters.get(path) ?? 0;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
