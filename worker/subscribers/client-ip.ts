import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { unmapIPv4, type AddressSet } from '../lib/address-set.ts';

/** Hops of `X-Forwarded-For` read at most, from the right: a chain of proxies is short; a long header is a forgery. */
const MAX_HOPS = 16;

/**
 * Who is asking, for per-client rate limits. The socket's peer, unless that peer is one of the configured reverse
 * proxies (`TRUSTED_PROXIES`; none by default): then `X-Forwarded-For` is walked from the right, skipping trusted
 * hops, and the first address a trusted proxy did not add is the client. Anything left of it was written by the
 * client and is ignored, so rotating its values does not make a new client. IPv6 clients are grouped by /64, the
 * block one host usually holds.
 */
export function clientKey(c: Context, trusted: AddressSet): string {
  return addressKey(clientAddress(peerOf(c), c.req.header('x-forwarded-for'), trusted) ?? 'unknown');
}

/** The client's own address (not grouped), for records such as the audit log; null when unknown. */
export function clientAddressOf(c: Context, trusted: AddressSet): string | null {
  const address = clientAddress(peerOf(c), c.req.header('x-forwarded-for'), trusted);
  return address ? unmapIPv4(address) : null;
}

/**
 * Whether the client reached us over HTTPS: the request's own scheme, or the first `X-Forwarded-Proto` when the
 * socket's peer is a trusted proxy (anyone else could write that header).
 */
export function reachedOverHttps(c: Context, trusted: AddressSet): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  const peer = peerOf(c);
  if (!peer || !trusted.has(peer)) return false;
  return (c.req.header('x-forwarded-proto') ?? '').split(',')[0]!.trim().toLowerCase() === 'https';
}

function peerOf(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address ?? undefined;
  } catch {
    // Not served by @hono/node-server (e.g. app.request in tests): no socket to ask.
    return undefined;
  }
}

/** The client's address from the socket's peer and the forwarded chain (pure; exported for tests). */
export function clientAddress(peer: string | undefined, forwarded: string | undefined, trusted: AddressSet): string | undefined {
  if (!peer || !trusted.has(peer) || !forwarded) return peer;
  const hops = forwarded.split(',').slice(-MAX_HOPS).map((hop) => hop.trim());
  let client = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (!hop) break;
    client = hop;
    if (!trusted.has(hop)) break;
  }
  return client;
}

function addressKey(address: string): string {
  const a = unmapIPv4(address).toLowerCase();
  if (!a.includes(':')) return a;
  const [head = '', tail = ''] = a.split('::');
  const left = head ? head.split(':') : [];
  const right = a.includes('::') && tail ? tail.split(':') : [];
  const groups = a.includes('::') ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
