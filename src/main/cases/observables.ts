// Observables: the artifacts of a case (ip, domain, url, hash, email, user, host), taken from the
// normalized fields of the events behind its alerts.
import { isIP } from 'node:net';
import type { HaechiEvent, Observable, ObservableType } from '../../shared/types';

/** A case keeps at most this many observables; the rest stay reachable through its events. */
export const MAX_OBSERVABLES = 200;

const HASH_NAMES: Record<string, number> = { MD5: 32, SHA1: 40, SHA256: 64, IMPHASH: 32 };

export function observableKey(o: Observable): string {
  return `${o.type}:${o.value}`;
}

/** An address worth tracking: valid, and not unspecified or loopback. */
export function usefulIp(value: unknown): string | undefined {
  if (typeof value !== 'string' || !isIP(value)) return undefined;
  if (value === '0.0.0.0' || value === '::' || value === '::1' || value.startsWith('127.')) {
    return undefined;
  }
  return value;
}

function add(out: Observable[], type: ObservableType, value: unknown): void {
  if (typeof value !== 'string') return;
  const v = value.trim();
  if (v === '' || v === '-' || v.length > 2048) return;
  out.push({ type, value: v });
}

function urlObservables(out: Observable[], url: unknown): void {
  if (typeof url !== 'string' || url === '' || url === '-') return;
  add(out, 'url', url);
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return;
  try {
    const host = new URL(url).hostname;
    if (host && !isIP(host.replace(/^\[|\]$/g, ''))) add(out, 'domain', host);
  } catch {
    // not a parsable absolute URL: kept as a url observable only
  }
}

/** Sysmon-style `SHA256=…,MD5=…` and plain hash fields. */
function hashObservables(out: Observable[], fields: Record<string, unknown>): void {
  const hashes = fields.Hashes ?? fields.Hash;
  if (typeof hashes === 'string') {
    for (const part of hashes.split(',')) {
      const [name, value] = part.split('=');
      const len = HASH_NAMES[name?.trim().toUpperCase() ?? ''];
      if (len && value && value.trim().length === len) add(out, 'hash', value.trim().toLowerCase());
    }
  }
  for (const name of ['md5', 'sha1', 'sha256', 'MD5', 'SHA1', 'SHA256']) {
    const value = fields[name];
    if (typeof value === 'string' && /^[0-9a-f]{32,64}$/i.test(value)) {
      add(out, 'hash', value.toLowerCase());
    }
  }
}

/** The observables of one event, without duplicates. */
export function extractObservables(event: HaechiEvent): Observable[] {
  const out: Observable[] = [];
  const n = event.norm;
  add(out, 'ip', usefulIp(n['source.ip']));
  add(out, 'ip', usefulIp(n['destination.ip']));
  add(out, 'host', n['host.name']);
  add(out, 'user', n['user.name']);
  urlObservables(out, n['url.original']);
  hashObservables(out, event.fields);
  const email = n['user.email'] ?? n['email.from.address'];
  if (typeof email === 'string' && /^[^@\s]+@[^@\s]+$/.test(email)) add(out, 'email', email);
  return mergeObservables([], out);
}

/** `base` plus the new observables not in it yet, bounded by MAX_OBSERVABLES. */
export function mergeObservables(base: Observable[], more: Observable[]): Observable[] {
  const seen = new Set(base.map(observableKey));
  const out = [...base];
  for (const o of more) {
    if (out.length >= MAX_OBSERVABLES) break;
    const key = observableKey(o);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(o);
  }
  return out;
}
