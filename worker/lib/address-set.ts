import { BlockList, isIP } from 'node:net';

/**
 * A set of IP addresses and CIDR ranges, written as a comma-separated list (`127.0.0.1, 10.0.0.0/8, fd00::/8`).
 * An IPv4-mapped IPv6 address (`::ffff:10.0.0.2`, how a dual-stack socket shows an IPv4 peer) is judged as the
 * IPv4 address inside it.
 */
export interface AddressSet {
  readonly size: number;
  has(address: string): boolean;
}

/** The IPv4 address inside `::ffff:a.b.c.d`, or the address as it is. */
export function unmapIPv4(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

const familyOf = (address: string): 'ipv4' | 'ipv6' | null => {
  const version = isIP(address);
  return version === 4 ? 'ipv4' : version === 6 ? 'ipv6' : null;
};

/** The problem with one entry of such a list, or null when it is an address or a CIDR. */
function entryProblem(entry: string): string | null {
  const [network = '', prefix, extra] = entry.split('/');
  const family = familyOf(unmapIPv4(network));
  if (!family || extra !== undefined) return `"${entry}" is not an IP address or a CIDR range`;
  if (prefix === undefined) return null;
  const bits = Number(prefix);
  const most = family === 'ipv4' ? 32 : 128;
  return /^\d{1,3}$/.test(prefix) && bits <= most ? null : `"${entry}" has a prefix length outside 0–${most}`;
}

const entriesOf = (list: string) => list.split(',').map((e) => e.trim()).filter(Boolean);

/** Every problem with a list (empty when it can be used). */
export function addressListProblems(list: string): string[] {
  return entriesOf(list).flatMap((entry) => entryProblem(entry) ?? []);
}

/** Reads a list; throws naming the first entry that is neither an address nor a CIDR. */
export function addressSet(list: string): AddressSet {
  const problems = addressListProblems(list);
  if (problems.length) throw new Error(problems.join('; '));
  const blocks = new BlockList();
  const entries = entriesOf(list);
  for (const entry of entries) {
    const [network = '', prefix] = entry.split('/');
    const address = unmapIPv4(network);
    const family = familyOf(address)!;
    blocks.addSubnet(address, prefix === undefined ? (family === 'ipv4' ? 32 : 128) : Number(prefix), family);
  }
  return {
    size: entries.length,
    has(candidate: string) {
      const address = unmapIPv4(candidate.trim());
      const family = familyOf(address);
      return family !== null && entries.length > 0 && blocks.check(address, family);
    },
  };
}
