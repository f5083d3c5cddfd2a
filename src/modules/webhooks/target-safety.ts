import { lookup as dnsLookup } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

// Server-side request forgery: a webhook's URL must not reach this service's own network.
// The address is checked after name resolution, on the connection itself (the lookup the
// request uses): a name that resolves to a public address when saved and to 127.0.0.1 when sent
// (DNS rebinding) is refused at sending.

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 96], // unspecified, loopback, and IPv4-compatible (::a.b.c.d)
  ['64:ff9b::', 96], // NAT64 of any IPv4 address
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64],
  ['2001:db8::', 32],
  ['2002::', 16], // 6to4: wraps any IPv4 address, private ones too
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated, still routed by some)
  ['ff00::', 8], // multicast
] as const)
  blocked.addSubnet(net, prefix, 'ipv6');

/** True for an address a webhook may not reach: private, loopback, link-local, reserved. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family !== 6) return true;
  // An IPv4 address written as IPv6 (::ffff:127.0.0.1) is that IPv4 address.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1]!, 'ipv4');
  return blocked.check(address, 'ipv6');
}

// Which address a name resolves to is never said: a tenant's admin must not map this network's
// names through the answers.
const NON_PUBLIC = (host: string) => `${host} resolves to a private, loopback, link-local or reserved address`;

export class RefusedTarget extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedTarget';
  }
}

/** What the URL must be: https (http too where private targets are allowed), no credentials. */
export function urlProblem(value: string, allowPrivate: boolean): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an https URL';
  if (url.protocol !== 'https:' && !allowPrivate) return 'must be an https URL (http only where WEBHOOK_ALLOW_PRIVATE is on)';
  if (url.username || url.password) return 'must not hold credentials (the signature authenticates the sender)';
  if (url.hash) return 'must not have a fragment';
  return null;
}

/** The addresses a name resolves to, every one checked; a private one refuses the target. */
export async function checkResolved(hostname: string, allowPrivate: boolean): Promise<void> {
  if (allowPrivate) return;
  const host = hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : await new Promise<string[]>((resolve, reject) =>
    dnsLookup(host, { all: true }, (err, found) => (err ? reject(new RefusedTarget(`${host} does not resolve`)) : resolve(found.map((a) => a.address)))),
  );
  if (addresses.some(isPrivateAddress)) throw new RefusedTarget(NON_PUBLIC(host));
}

/** A `lookup` for http(s).request that refuses private addresses: the check is on the connection itself. */
export const guardedLookup =
  (allowPrivate: boolean): LookupFunction =>
  (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as unknown as { address: string; family: number }[];
      if (!allowPrivate && list.some((a) => isPrivateAddress(a.address))) return callback(new RefusedTarget(NON_PUBLIC(hostname)) as NodeJS.ErrnoException, '', 0);
      if (options.all) return (callback as unknown as (e: null, a: typeof list) => void)(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
