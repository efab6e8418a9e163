// Address sets for indicator matching: exact addresses and CIDR ranges, IPv4 and IPv6. A lookup
// probes one hash map per prefix length in use (at most 33 for IPv4, 129 for IPv6), never a scan.
import { isIP } from 'node:net';

/** Dotted IPv4 to a number, without allocating (this runs for every address of every event). */
export function ipv4ToInt(ip: string): number | undefined {
  let n = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return undefined;
    } else if (c === 46 && digits > 0 && dots < 3) {
      n = n * 256 + part;
      part = 0;
      digits = 0;
      dots += 1;
    } else return undefined;
  }
  return dots === 3 && digits > 0 ? n * 256 + part : undefined;
}

export function ipv6ToBigInt(ip: string): bigint | undefined {
  if (isIP(ip) !== 6) return undefined;
  let text = ip.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = ipv4ToInt(v4[1]);
    if (n === undefined) return undefined;
    text = text.slice(0, -v4[1].length) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  if (groups.length !== 8) return undefined;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g || '0', 16)), 0n);
}

export interface Cidr {
  version: 4 | 6;
  bits: number;
  /** The network number shifted right to its prefix (a map key). */
  key: string;
}

/** "10.0.0.0/8", "2001:db8::/32" or a bare address (a /32 or /128). */
export function parseCidr(text: string): Cidr | undefined {
  const [addr, lenText] = text.trim().split('/');
  const version = isIP(addr);
  if (!version) return undefined;
  const max = version === 4 ? 32 : 128;
  const bits = lenText === undefined ? max : Number(lenText);
  if (
    !Number.isInteger(bits) ||
    bits < 0 ||
    bits > max ||
    (lenText !== undefined && !/^\d+$/.test(lenText))
  ) {
    return undefined;
  }
  return { version: version as 4 | 6, bits, key: prefixKey(addr, version as 4 | 6, bits)! };
}

function prefixKey(addr: string, version: 4 | 6, bits: number): string | undefined {
  if (version === 4) {
    const n = ipv4ToInt(addr);
    if (n === undefined) return undefined;
    return bits === 0 ? '0' : String(Math.floor(n / 2 ** (32 - bits)));
  }
  const n = ipv6ToBigInt(addr);
  return n === undefined ? undefined : (n >> BigInt(128 - bits)).toString(16);
}

/** A set of CIDR ranges, each carrying the ids of the indicators that named it. */
export class CidrSet {
  private readonly byBits = new Map<number, Map<string, Set<string>>>();
  private readonly bitsInUse: number[] = [];

  constructor(private readonly version: 4 | 6) {}

  add(c: Cidr, id: string): void {
    let map = this.byBits.get(c.bits);
    if (!map) {
      map = new Map();
      this.byBits.set(c.bits, map);
      this.bitsInUse.push(c.bits);
      this.bitsInUse.sort((a, b) => b - a);
    }
    let ids = map.get(c.key);
    if (!ids) map.set(c.key, (ids = new Set()));
    ids.add(id);
  }

  remove(c: Cidr, id: string): void {
    const map = this.byBits.get(c.bits);
    const ids = map?.get(c.key);
    if (!map || !ids) return;
    ids.delete(id);
    if (ids.size === 0) map.delete(c.key);
  }

  /** Ids of every range containing `addr`, most specific first. */
  lookup(addr: string, out: string[]): void {
    if (this.bitsInUse.length === 0) return;
    if (this.version === 4) {
      const n = ipv4ToInt(addr);
      if (n === undefined) return;
      for (const bits of this.bitsInUse) {
        const key = bits === 0 ? '0' : String(Math.floor(n / 2 ** (32 - bits)));
        const ids = this.byBits.get(bits)!.get(key);
        if (ids) for (const id of ids) out.push(id);
      }
      return;
    }
    const n = ipv6ToBigInt(addr);
    if (n === undefined) return;
    for (const bits of this.bitsInUse) {
      const ids = this.byBits.get(bits)!.get((n >> BigInt(128 - bits)).toString(16));
      if (ids) for (const id of ids) out.push(id);
    }
  }
}
