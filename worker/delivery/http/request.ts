/**
 * One POST to a receiver, with the guards every delivery needs: the egress policy checked on the address actually
 * connected to, a timeout over the whole exchange, redirects never followed (a 3xx is an answer like any other, so
 * a receiver cannot bounce the worker to another host), and the response read up to a cap.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { guardedLookup, literalAddressProblem, portOf, type EgressPolicy } from '../../lib/egress.ts';

export interface PostOptions {
  url: string;
  body: string;
  headers: Record<string, string>;
  policy: EgressPolicy;
  timeoutMs: number;
  /** Response bytes read at most; the rest is dropped. */
  maxResponseBytes: number;
}

export type PostOutcome =
  | { kind: 'answered'; status: number; headers: IncomingHttpHeaders; body: string }
  /** No answer: refused by the egress policy, connection failed, timed out. `refused`: the policy said no. */
  | { kind: 'failed'; error: string; refused: boolean };

export const USER_AGENT = 'Vigia-Notifier/1';

export function postJson(options: PostOptions): Promise<PostOutcome> {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    return Promise.resolve({ kind: 'failed', error: 'not an absolute URL', refused: true });
  }
  const literal = literalAddressProblem(options.policy, url.hostname, portOf(url));
  if (literal) return Promise.resolve({ kind: 'failed', error: literal, refused: true });
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: PostOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const req = request(
      url,
      {
        method: 'POST',
        agent: false,
        lookup: guardedLookup(options.policy, portOf(url)),
        headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT, 'content-length': Buffer.byteLength(options.body), ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size >= options.maxResponseBytes) return;
          chunks.push(chunk.subarray(0, options.maxResponseBytes - size));
          size += chunk.length;
          if (size >= options.maxResponseBytes) {
            finish({ kind: 'answered', status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
            res.destroy();
          }
        });
        res.on('end', () => finish({ kind: 'answered', status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (error) => finish({ kind: 'failed', error: error.message, refused: false }));
      },
    );
    const timer = setTimeout(() => {
      finish({ kind: 'failed', error: `no answer within ${options.timeoutMs} ms`, refused: false });
      req.destroy();
    }, options.timeoutMs);
    req.on('error', (error: Error & { code?: string }) => finish({ kind: 'failed', error: error.message, refused: error.code === 'EGRESS_REFUSED' }));
    req.end(options.body);
  });
}
