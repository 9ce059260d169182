/**
 * Where outgoing HTTP to an address someone typed may go: upstream sources, format detection, webhook and chat
 * targets. Without a policy an admin or a subscriber could make the worker call its own port, a cloud metadata
 * address or a machine on the private network. Only public addresses are allowed, unless
 * `VIGIA_ALLOW_PRIVATE_NETWORKS=1` or the allow-list (`VIGIA_EGRESS_ALLOW`: hosts and CIDRs) says otherwise; the
 * worker's own port on a local address is refused whatever they say.
 *
 * The check is made on the address actually connected to: `guardedLookup` is the socket's DNS lookup, so a name
 * that resolves to 127.0.0.1 (DNS rebinding) is refused at connection time, not only when the URL is first read;
 * an address literal never goes through a lookup, so `literalAddressProblem` judges it before connecting (the URL
 * parser has already turned `2852039166`, `0xa9fea9fe` or `127.1` into dotted form). Built on node's own
 * `net.BlockList`, which also judges an IPv4-mapped IPv6 address (`::ffff:a9fe:a9fe`) by the IPv4 address inside.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

export interface EgressPolicy {
  /** Every address is allowed (VIGIA_ALLOW_PRIVATE_NETWORKS=1). */
  allowPrivate: boolean;
  /** Host names allowed whatever they resolve to (lower case). */
  allowHosts: ReadonlySet<string>;
  /** Addresses allowed even when private. */
  allowNetworks: BlockList;
  /** The worker's own port: refused on a loopback or unspecified address whatever else allows it. */
  ownPort: number | null;
}

/** Ranges that are not the public Internet (RFC 6890 special-purpose registries, loopback, link-local, multicast…). */
const NOT_PUBLIC: readonly [string, number, 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.0.2.0', 24, 'ipv4'],
  ['192.88.99.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['198.51.100.0', 24, 'ipv4'],
  ['203.0.113.0', 24, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'],
  ['240.0.0.0', 4, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['64:ff9b::', 96, 'ipv6'],
  ['64:ff9b:1::', 48, 'ipv6'],
  ['100::', 64, 'ipv6'],
  ['2001::', 23, 'ipv6'],
  ['2001:db8::', 32, 'ipv6'],
  ['2002::', 16, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
];

const notPublic = new BlockList();
for (const [network, prefix, family] of NOT_PUBLIC) notPublic.addSubnet(network, prefix, family);

/** Where the worker itself may be listening. */
const local = new BlockList();
local.addSubnet('0.0.0.0', 8, 'ipv4');
local.addSubnet('127.0.0.0', 8, 'ipv4');
local.addAddress('::', 'ipv6');
local.addAddress('::1', 'ipv6');

/** `::ffff:127.0.0.1` is 127.0.0.1: judge the IPv4 address inside. */
function unmapped(address: string): { address: string; family: 'ipv4' | 'ipv6' } | null {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return { address: mapped[1]!, family: 'ipv4' };
  const version = isIP(address);
  if (version === 4) return { address, family: 'ipv4' };
  if (version === 6) return { address, family: 'ipv6' };
  return null;
}

export function isPublicAddress(address: string): boolean {
  const ip = unmapped(address);
  return ip !== null && !notPublic.check(ip.address, ip.family);
}

/** Parses the environment's settings: `allow` is a comma-separated list of host names and CIDRs (or single addresses). */
export function egressPolicy(options: { allowPrivate?: boolean; allow?: string; ownPort?: number | null }): EgressPolicy {
  const allowHosts = new Set<string>();
  const allowNetworks = new BlockList();
  for (const entry of (options.allow ?? '').split(',').map((e) => e.trim()).filter(Boolean)) {
    const [network, prefix] = entry.split('/') as [string, string | undefined];
    const ip = unmapped(network);
    if (!ip) {
      allowHosts.add(entry.toLowerCase().replace(/\.$/, ''));
      continue;
    }
    const bits = prefix === undefined ? (ip.family === 'ipv4' ? 32 : 128) : Number(prefix);
    if (!Number.isInteger(bits) || bits < 0 || bits > (ip.family === 'ipv4' ? 32 : 128)) throw new Error(`VIGIA_EGRESS_ALLOW: "${entry}" is not a host, an address or a CIDR`);
    allowNetworks.addSubnet(ip.address, bits, ip.family);
  }
  return { allowPrivate: options.allowPrivate ?? false, allowHosts, allowNetworks, ownPort: options.ownPort || null };
}

type EgressEnv = { VIGIA_ALLOW_PRIVATE_NETWORKS: string; VIGIA_EGRESS_ALLOW: string; PORT?: number };
const fromEnv = new WeakMap<EgressEnv, EgressPolicy>();

/** The deployment's policy, parsed once per environment object. */
export function egressPolicyFromEnv(env: EgressEnv): EgressPolicy {
  let policy = fromEnv.get(env);
  if (!policy) {
    policy = egressPolicy({ allowPrivate: env.VIGIA_ALLOW_PRIVATE_NETWORKS === '1', allow: env.VIGIA_EGRESS_ALLOW, ownPort: env.PORT ?? null });
    fromEnv.set(env, policy);
  }
  return policy;
}

/** Public addresses only: what applies when nothing else is said. */
export const PUBLIC_ONLY: EgressPolicy = egressPolicy({});

/** Whether a connection to `address` (reached through the name `host`, at `port` when known) is allowed. */
export function mayConnect(policy: EgressPolicy, host: string, address: string, port?: number): boolean {
  const ip = unmapped(address);
  if (ip && port !== undefined && policy.ownPort !== null && port === policy.ownPort && local.check(ip.address, ip.family)) return false;
  if (policy.allowPrivate || policy.allowHosts.has(host.toLowerCase().replace(/\.$/, ''))) return true;
  if (!ip) return false;
  return !notPublic.check(ip.address, ip.family) || policy.allowNetworks.check(ip.address, ip.family);
}

/** Thrown (through the socket) when the policy refuses the address a host resolves to. */
export class EgressRefusedError extends Error {
  override name = 'EgressRefusedError';
  readonly code = 'EGRESS_REFUSED';
}

/**
 * A DNS lookup for sockets that resolves as usual, then refuses addresses the policy does not allow: the socket
 * connects only to what this returns, so the check holds for the address actually used.
 */
export function guardedLookup(policy: EgressPolicy, port?: number, lookup: typeof dnsLookup = dnsLookup): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (error, resolved: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const allowed = resolved.filter((r) => mayConnect(policy, hostname, r.address, port));
      if (!allowed.length) {
        const refused = resolved.map((r) => r.address).join(', ');
        return callback(new EgressRefusedError(`${hostname} resolves to ${refused}, which is not a public address (see VIGIA_ALLOW_PRIVATE_NETWORKS, VIGIA_EGRESS_ALLOW)`), '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, allowed);
      callback(null, allowed[0]!.address, allowed[0]!.family);
    });
  };
}

/** For a URL whose host is an address literal (no lookup happens): the refusal, or null when allowed. */
export function literalAddressProblem(policy: EgressPolicy, hostname: string, port?: number): string | null {
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (!isIP(bare)) return null;
  return mayConnect(policy, bare, bare, port) ? null : `${bare} is not a public address (see VIGIA_ALLOW_PRIVATE_NETWORKS, VIGIA_EGRESS_ALLOW)`;
}

/** A URL's port, the scheme's default when it names none. */
export const portOf = (url: URL): number => (url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80);

export interface GuardedAgents {
  http: http.Agent;
  https: https.Agent;
}

/**
 * Keep-alive agents whose every new socket resolves its host through the policy (with the port it connects to),
 * for clients that pool connections (the upstream fetcher). `lookup` replaces the system's resolver (tests).
 */
export function guardedAgents(policy: EgressPolicy, options: http.AgentOptions, lookup: typeof dnsLookup = dnsLookup): GuardedAgents {
  const guard = <A extends http.Agent>(agent: A): A => {
    const connect = agent.createConnection.bind(agent);
    agent.createConnection = (connection, callback) =>
      connect({ ...connection, lookup: guardedLookup(policy, connection.port === undefined || connection.port === null ? undefined : Number(connection.port), lookup) }, callback);
    return agent;
  };
  return { http: guard(new http.Agent(options)), https: guard(new https.Agent(options)) };
}
