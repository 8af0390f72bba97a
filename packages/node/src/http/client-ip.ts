import { isIP } from 'node:net';

/** Options of {@link createClientIpResolver}. */
export interface ClientIpOptions {
  /**
   * Proxies whose `X-Forwarded-For` is believed: IPv4/IPv6 addresses or CIDR ranges (`10.0.0.0/8`), or the keywords
   * `loopback` (127.0.0.0/8, ::1) and `private` (10/8, 172.16/12, 192.168/16, fc00::/7). Default: none, so the
   * header is ignored and the socket address is the client.
   */
  trustedProxies?: readonly string[];
}

/** Resolves the client IP of a request from its socket address and `X-Forwarded-For` header. */
export type ClientIpResolver = (remoteAddress: string | undefined, forwardedFor: string | string[] | undefined) => string;

interface Range {
  v6: boolean;
  bits: bigint;
  prefix: number;
}

function toBigInt(ip: string): { v6: boolean; value: bigint } | undefined {
  const plain = stripMapped(ip);
  const kind = isIP(plain);
  if (kind === 4) {
    const parts = plain.split('.').map(Number);
    return { v6: false, value: BigInt(((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!) };
  }
  if (kind === 6) {
    const [head, tail] = plain.split('::') as [string, string | undefined];
    const headParts = head ? head.split(':') : [];
    const tailParts = tail !== undefined && tail !== '' ? tail.split(':') : [];
    const fill = tail === undefined ? 0 : 8 - headParts.length - tailParts.length;
    const groups = [...headParts, ...Array(fill).fill('0'), ...tailParts];
    let value = 0n;
    for (const g of groups) value = (value << 16n) + BigInt(parseInt(g || '0', 16));
    return { v6: true, value };
  }
  return undefined;
}

/** `::ffff:1.2.3.4` (IPv4 on a dual-stack socket) is the IPv4 address. */
function stripMapped(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

function parseRange(spec: string): Range[] {
  if (spec === 'loopback') return [...parseRange('127.0.0.0/8'), ...parseRange('::1/128')];
  if (spec === 'private') return ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'].flatMap(parseRange);
  const [addr, len] = spec.split('/') as [string, string | undefined];
  const parsed = toBigInt(addr);
  if (!parsed) throw new TypeError(`trustedProxies: "${spec}" is not an IP address or CIDR range`);
  const width = parsed.v6 ? 128 : 32;
  const prefix = len === undefined ? width : Number(len);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > width) throw new TypeError(`trustedProxies: bad prefix in "${spec}"`);
  return [{ v6: parsed.v6, bits: parsed.value >> BigInt(width - prefix), prefix }];
}

/**
 * Creates a resolver of the real client IP: walking `X-Forwarded-For` from the right, it skips addresses of trusted
 * proxies and returns the first untrusted one — so a client cannot spoof its address by sending the header itself.
 * With no trusted proxies the socket address is returned unchanged (IPv4-mapped IPv6 shortened to IPv4).
 * Throws `TypeError` when a `trustedProxies` entry is not an address or range.
 */
export function createClientIpResolver(options: ClientIpOptions = {}): ClientIpResolver {
  const ranges = (options.trustedProxies ?? []).flatMap(parseRange);
  const trusted = (ip: string): boolean => {
    if (ranges.length === 0) return false;
    const parsed = toBigInt(ip);
    if (!parsed) return false;
    const width = parsed.v6 ? 128 : 32;
    return ranges.some((r) => r.v6 === parsed.v6 && parsed.value >> BigInt(width - r.prefix) === r.bits);
  };
  return (remoteAddress, forwardedFor) => {
    const socketIp = stripMapped(remoteAddress ?? '');
    if (!forwardedFor || !trusted(socketIp)) return socketIp || 'unknown';
    const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor;
    const hops = header.split(',').map((h) => stripMapped(h.trim())).filter(Boolean);
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i]!;
      if (!isIP(hop)) return socketIp;
      if (!trusted(hop)) return hop;
    }
    return hops[0] ?? socketIp;
  };
}
