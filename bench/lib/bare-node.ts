/**
 * A bare `node:http` server for the read benchmark: it answers the very bytes and headers Vigía sent, from a
 * manifest, with nothing but a map lookup per request. It shows what Node's HTTP stack itself costs on this machine,
 * so Vigía's figures can be read against it as well as against nginx.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { onCleanup } from './vigia-process.ts';

/** One encoding of one path: the file holding its bytes and the headers Vigía sent with them. */
export interface BareVariant {
  file: string;
  headers: Record<string, string>;
}

/** Per path, its identity and (optionally) gzip variants. */
export type BareManifest = Record<string, { identity: BareVariant; gzip?: BareVariant }>;

const SERVER = `
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
const [manifestFile, port] = process.argv.slice(2);
const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
const routes = new Map();
for (const [path, variants] of Object.entries(manifest)) {
  const load = (v) => v && { body: readFileSync(v.file), headers: v.headers, notModified: Object.fromEntries(Object.entries(v.headers).filter(([k]) => k !== 'content-length' && k !== 'content-type' && k !== 'content-encoding')) };
  routes.set(path, { identity: load(variants.identity), gzip: load(variants.gzip) });
}
createServer({ keepAliveTimeout: 65000 }, (req, res) => {
  const route = routes.get(req.url);
  if (!route) { res.writeHead(404); res.end(); return; }
  const variant = route.gzip && (req.headers['accept-encoding'] ?? '').includes('gzip') ? route.gzip : route.identity;
  if (req.headers['if-none-match'] === variant.headers.etag) { res.writeHead(304, variant.notModified); res.end(); return; }
  res.writeHead(200, variant.headers);
  res.end(variant.body);
}).listen(Number(port), '127.0.0.1', () => process.stdout.write('listening\\n'));
`;

/** Starts the bare server (one process, the same Node) and resolves once it listens. */
export function startBareNode(dir: string, port: number, manifest: BareManifest): Promise<ChildProcess> {
  const script = join(dir, 'bare-node.mjs');
  const manifestFile = join(dir, 'bare-node.json');
  writeFileSync(script, SERVER);
  writeFileSync(manifestFile, JSON.stringify(manifest));
  const child = spawn(process.execPath, [script, manifestFile, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  onCleanup(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the bare node:http server did not start within 10 s')), 10_000);
    child.once('exit', (code) => reject(new Error(`the bare node:http server exited with ${code}`)));
    child.stdout!.once('data', () => {
      clearTimeout(timer);
      resolve(child);
    });
  });
}

/** The headers of a response worth replaying: what the connection adds (date, keep-alive) left out. */
export function replayableHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const skip = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);
  return Object.fromEntries(Object.entries(headers).flatMap(([k, v]) => (skip.has(k) || v === undefined ? [] : [[k, String(v)]])));
}
