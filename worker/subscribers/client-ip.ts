import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

/**
 * Who is asking, for per-client rate limits. The socket's peer, unless that peer is a reverse proxy
 * on this machine or a private network: then the last `X-Forwarded-For` entry (the one our proxy
 * added, which the client cannot forge). IPv6 clients are grouped by /64, the block one host usually holds.
 */
export function clientKey(c: Context): string {
  let peer: string | undefined;
  try {
    peer = getConnInfo(c).remote.address ?? undefined;
  } catch {
    // Not served by @hono/node-server (e.g. app.request in tests): no socket to ask.
  }
  const forwarded = c.req.header('x-forwarded-for');
  const viaProxy = forwarded && (!peer || isInternal(peer)) ? forwarded.split(',').pop()?.trim() : undefined;
  return addressKey(viaProxy || peer || 'unknown');
}

function unmapV4(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

function isInternal(address: string): boolean {
  const a = unmapV4(address).toLowerCase();
  if (/^(127\.|10\.|192\.168\.)/.test(a) || /^172\.(1[6-9]|2\d|3[01])\./.test(a)) return true;
  return a === '::1' || /^f[cd][0-9a-f]{2}:/.test(a);
}

function addressKey(address: string): string {
  const a = unmapV4(address).toLowerCase();
  if (!a.includes(':')) return a;
  const [head = '', tail = ''] = a.split('::');
  const left = head ? head.split(':') : [];
  const right = a.includes('::') && tail ? tail.split(':') : [];
  const groups = a.includes('::') ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
