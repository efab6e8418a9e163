// The `cidr` modifier: IPv4 and IPv6 networks, compared as integers.

function v4(s: string): bigint | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    n = (n << 8n) | BigInt(Number(p));
  }
  return n;
}

function v6(s: string): bigint | null {
  let text = s.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  let tail: string[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.') && lastColon >= 0) {
    const four = v4(text.slice(lastColon + 1));
    if (four === null) return null;
    tail = [(four >> 16n).toString(16), (four & 0xffffn).toString(16)];
    text = text.slice(0, lastColon + 1) + 'x';
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const split = (h: string) => (h ? h.split(':') : []);
  const head = split(halves[0]).flatMap((g) => (g === 'x' ? tail : [g]));
  const rest = halves.length === 2 ? split(halves[1]).flatMap((g) => (g === 'x' ? tail : [g])) : [];
  const fill = 8 - head.length - rest.length;
  if ((halves.length === 1 && fill !== 0) || fill < 0) return null;
  const groups = [...head, ...Array(fill).fill('0'), ...rest];
  let n = 0n;
  for (const g of groups) {
    if (!/^[0-9a-f]{1,4}$/.test(g)) return null;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  return n;
}

/** Parses an address into [bits, value]; null when it is not an IP address. */
export function parseIp(s: string): [32 | 128, bigint] | null {
  const a = v4(s.trim());
  if (a !== null) return [32, a];
  const b = s.includes(':') ? v6(s.trim()) : null;
  return b === null ? null : [128, b];
}

/** Compiles a network such as `10.0.0.0/8` or `fe80::/10`; throws with the reason when invalid. */
export function compileCidr(network: string): (ip: string) => boolean {
  const [addr, lenText] = network.split('/');
  const parsed = parseIp(addr);
  if (!parsed) throw new Error(`cidr value ${JSON.stringify(network)} is not an IP network`);
  const [bits, base] = parsed;
  const len = lenText === undefined ? bits : Number(lenText);
  if (!Number.isInteger(len) || len < 0 || len > bits) {
    throw new Error(`cidr value ${JSON.stringify(network)} has an invalid prefix length`);
  }
  const shift = BigInt(bits - len);
  const prefix = base >> shift;
  return (ip) => {
    const p = parseIp(ip);
    return p !== null && p[0] === bits && p[1] >> shift === prefix;
  };
}
