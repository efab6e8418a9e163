// What kind of indicator a bare value is, and the normal form URLs are compared in.
import { isIP } from 'node:net';
import type { IndicatorType } from '../../../shared/types';
import { parseCidr } from './ip';

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/i;

export function classify(value: string): IndicatorType | undefined {
  const v = value.trim();
  if (!v) return undefined;
  const ip = isIP(v);
  if (ip === 4) return 'ipv4';
  if (ip === 6) return 'ipv6';
  if (v.includes('/') && !v.includes('://') && parseCidr(v)) return 'cidr';
  if (/^[a-z][\w+.-]*:\/\/\S+$/i.test(v)) return 'url';
  if (/^[0-9a-f]+$/i.test(v)) {
    if (v.length === 32) return 'md5';
    if (v.length === 40) return 'sha1';
    if (v.length === 64) return 'sha256';
  }
  if (DOMAIN.test(v)) return 'domain';
  return undefined;
}

/** Lower-case scheme and host, no default port, no fragment; path and query kept as they are. */
export function normalizeUrl(url: string): string {
  const m = /^([a-z][\w+.-]*):\/\/([^/?#]*)([^#]*)/i.exec(url.trim());
  if (!m) return url.trim();
  const scheme = m[1].toLowerCase();
  let host = m[2].toLowerCase();
  if (
    (scheme === 'http' && host.endsWith(':80')) ||
    (scheme === 'https' && host.endsWith(':443'))
  ) {
    host = host.slice(0, host.lastIndexOf(':'));
  }
  const rest = m[3] || '/';
  return `${scheme}://${host}${rest}`;
}

/** Parse a STIX/MISP timestamp (ISO or epoch seconds) into ISO, if valid. */
export function toIso(v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : /^\d{9,11}$/.test(String(v)) ? Number(v) : NaN;
  const t = Number.isNaN(n) ? Date.parse(String(v)) : n * 1000;
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}
