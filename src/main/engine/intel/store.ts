// The indicator store: upsert by id and modification time, expiry at valid_until, revocation,
// and fast matching of events against addresses/ranges, domains (with subdomains), URLs, hashes.
import { isIP } from 'node:net';
import type { HaechiEvent, Indicator } from '../../../shared/types';
import { CidrSet, parseCidr } from './ip';
import { normalizeUrl } from './classify';

/** One indicator matching one field of an event; the scorer turns it into a ScorePart. */
export interface IntelHit {
  indicator: Indicator;
  /** The event field that matched (`source.ip`, `url.original`, `Hashes`, …). */
  field: string;
  /** The value seen in the event. */
  value: string;
  source: string;
  confidence: number;
}

export interface UpsertResult {
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
}

/** Where indicators are kept between runs (the Store, or a JSON snapshot). */
export interface IntelPersistence {
  load(): Indicator[];
  save(upserts: Indicator[], removedIds: string[]): void;
}

const HASH_FIELDS = [
  'file.hash.md5',
  'file.hash.sha1',
  'file.hash.sha256',
  'file.hash',
  'md5',
  'sha1',
  'sha256',
  'MD5',
  'SHA1',
  'SHA256',
  'Hashes',
  'Hash',
  'fileinfo.md5',
  'fileinfo.sha1',
  'fileinfo.sha256',
];
const IP_FIELDS = ['source.ip', 'destination.ip', 'source.address', 'destination.address'];
const DOMAIN_FIELDS = [
  'dns.question.name',
  'tls.client.server_name',
  'source.domain',
  'destination.domain',
  'url.domain',
];
const DOMAIN_ORIGINAL = [
  'QueryName',
  'DestinationHostname',
  'http.hostname',
  'dns.rrname',
  'tls.sni',
  'query',
  'host',
  'server_name',
];
const URL_FIELDS = ['url.original', 'url.full'];

export class IntelStore {
  private readonly byId = new Map<string, Indicator>();
  private readonly v4 = new CidrSet(4);
  private readonly v6 = new CidrSet(6);
  private readonly domains = new Map<string, Set<string>>();
  private readonly urls = new Map<string, Set<string>>();
  private readonly hashes = new Map<string, Set<string>>();
  private nextExpiry = Infinity;

  constructor(private readonly persistence?: IntelPersistence) {
    if (persistence) for (const ind of persistence.load()) this.index(ind);
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: string): Indicator | undefined {
    return this.byId.get(id);
  }

  /** Insert or replace indicators: newer `modified` wins; revoked and expired ones are removed. */
  upsert(indicators: Indicator[], now = Date.now()): UpsertResult {
    const result: UpsertResult = { added: 0, updated: 0, unchanged: 0, removed: 0 };
    const saved: Indicator[] = [];
    const removed: string[] = [];
    for (const ind of indicators) {
      const old = this.byId.get(ind.id);
      if (old && !isNewer(ind, old)) {
        result.unchanged += 1;
        continue;
      }
      if (ind.revoked || (ind.validUntil && Date.parse(ind.validUntil) <= now)) {
        if (old) {
          this.unindex(old);
          removed.push(ind.id);
          result.removed += 1;
        } else result.unchanged += 1;
        continue;
      }
      if (old) this.unindex(old);
      this.index(ind);
      saved.push(ind);
      result[old ? 'updated' : 'added'] += 1;
    }
    if (saved.length || removed.length) this.persistence?.save(saved, removed);
    return result;
  }

  /** Remove indicators whose valid_until has passed. Returns how many went. */
  expire(now = Date.now()): number {
    if (now < this.nextExpiry) return 0;
    const gone: string[] = [];
    this.nextExpiry = Infinity;
    for (const ind of this.byId.values()) {
      const until = ind.validUntil ? Date.parse(ind.validUntil) : Infinity;
      if (until <= now) gone.push(ind.id);
      else if (until < this.nextExpiry) this.nextExpiry = until;
    }
    for (const id of gone) this.unindex(this.byId.get(id)!);
    if (gone.length) this.persistence?.save([], gone);
    return gone.length;
  }

  list(q?: string, limit = 200): { total: number; indicators: Indicator[] } {
    const all = [...this.byId.values()];
    const needle = q?.toLowerCase();
    const hits = needle
      ? all.filter(
          (i) => i.value.toLowerCase().includes(needle) || i.source.toLowerCase().includes(needle),
        )
      : all;
    return { total: hits.length, indicators: hits.slice(0, limit) };
  }

  /** Every indicator matching the event's addresses, domains, URLs and hashes. */
  match(event: HaechiEvent, now = Date.now()): IntelHit[] {
    if (this.byId.size === 0) return [];
    if (now >= this.nextExpiry) this.expire(now);
    const hits: IntelHit[] = [];
    const seen = new Set<string>();
    const norm = event.norm as Record<string, unknown>;
    const fields = event.fields;
    for (const f of IP_FIELDS) this.matchIp(norm[f], f, hits, seen);
    for (const f of DOMAIN_FIELDS) this.matchDomain(norm[f], f, hits, seen);
    for (const f of DOMAIN_ORIGINAL) this.matchDomain(fields[f], f, hits, seen);
    for (const f of URL_FIELDS) this.matchUrl(norm[f], f, hits, seen);
    for (const f of HASH_FIELDS) this.matchHashes(norm[f] ?? fields[f], f, hits, seen);
    return hits;
  }

  private push(
    ids: Iterable<string> | undefined,
    field: string,
    value: string,
    hits: IntelHit[],
    seen: Set<string>,
  ): void {
    if (!ids) return;
    for (const id of ids) {
      // One hit per indicator and event: the first field that names it (source.ip before address).
      if (seen.has(id)) continue;
      seen.add(id);
      const ind = this.byId.get(id)!;
      hits.push({ indicator: ind, field, value, source: ind.source, confidence: ind.confidence });
    }
  }

  private matchIp(v: unknown, field: string, hits: IntelHit[], seen: Set<string>): void {
    if (typeof v !== 'string' || !v) return;
    const ids: string[] = [];
    if (v.includes(':')) this.v6.lookup(v, ids);
    else this.v4.lookup(v, ids);
    if (ids.length) this.push(ids, field, v, hits, seen);
  }

  /** The domain and each parent (a.b.example.com → b.example.com → example.com). */
  private matchDomain(v: unknown, field: string, hits: IntelHit[], seen: Set<string>): void {
    if (typeof v !== 'string' || !v || this.domains.size === 0) return;
    let d = v.toLowerCase().replace(/\.$/, '');
    for (let guard = 0; guard < 16; guard++) {
      this.push(this.domains.get(d), field, v, hits, seen);
      const dot = d.indexOf('.');
      if (dot < 0) return;
      d = d.slice(dot + 1);
    }
  }

  private matchUrl(v: unknown, field: string, hits: IntelHit[], seen: Set<string>): void {
    if (typeof v !== 'string' || !v) return;
    if (this.urls.size) this.push(this.urls.get(normalizeUrl(v)), field, v, hits, seen);
    const host = /^[a-z][\w+.-]*:\/\/([^/:?#@]+@)?([^/:?#]+)/i.exec(v)?.[2];
    if (host) {
      if (isIP(host)) this.matchIp(host, field, hits, seen);
      else this.matchDomain(host, field, hits, seen);
    }
  }

  /** One hash, or Sysmon's "SHA1=…,MD5=…,SHA256=…,IMPHASH=…". */
  private matchHashes(v: unknown, field: string, hits: IntelHit[], seen: Set<string>): void {
    if (typeof v !== 'string' || !v || this.hashes.size === 0) return;
    for (const part of v.split(/[,;\s]+/)) {
      const eq = part.indexOf('=');
      const hex = (eq >= 0 ? part.slice(eq + 1) : part).toLowerCase();
      if (hex.length === 32 || hex.length === 40 || hex.length === 64)
        this.push(this.hashes.get(hex), field, v, hits, seen);
    }
  }

  private index(ind: Indicator): void {
    this.byId.set(ind.id, ind);
    const until = ind.validUntil ? Date.parse(ind.validUntil) : Infinity;
    if (until < this.nextExpiry) this.nextExpiry = until;
    this.forKey(
      ind,
      (map, key) => {
        let ids = map.get(key);
        if (!ids) map.set(key, (ids = new Set()));
        ids.add(ind.id);
      },
      (set, c) => set.add(c, ind.id),
    );
  }

  private unindex(ind: Indicator): void {
    this.byId.delete(ind.id);
    this.forKey(
      ind,
      (map, key) => {
        const ids = map.get(key);
        ids?.delete(ind.id);
        if (ids && ids.size === 0) map.delete(key);
      },
      (set, c) => set.remove(c, ind.id),
    );
  }

  private forKey(
    ind: Indicator,
    onMap: (map: Map<string, Set<string>>, key: string) => void,
    onCidr: (set: CidrSet, c: NonNullable<ReturnType<typeof parseCidr>>) => void,
  ): void {
    const value = ind.value.trim();
    switch (ind.type) {
      case 'ipv4':
      case 'ipv6':
      case 'cidr': {
        const c = parseCidr(value);
        if (c) onCidr(c.version === 4 ? this.v4 : this.v6, c);
        return;
      }
      case 'domain':
        return onMap(this.domains, value.toLowerCase().replace(/\.$/, ''));
      case 'url':
        return onMap(this.urls, normalizeUrl(value));
      default:
        return onMap(this.hashes, value.toLowerCase());
    }
  }
}

function isNewer(next: Indicator, old: Indicator): boolean {
  if (!next.modified || !old.modified) return true;
  return Date.parse(next.modified) > Date.parse(old.modified);
}
