// The indicator store on the real threat-intel samples: imports, upsert rules, expiry,
// revocation, matching (ranges, subdomains, URLs, Sysmon hashes) and persistence in the Store.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importIntel } from '../../src/main/engine/intel/formats';
import { IntelStore } from '../../src/main/engine/intel/store';
import { StoreIntelPersistence } from '../../src/main/engine/intel/persist';
import { Store } from '../../src/main/store';
import type { HaechiEvent, Indicator } from '../../src/shared/types';

const TI = path.resolve(__dirname, '../../../shared/data/threat_intel');
const hasTi = fs.existsSync(TI);
const read = (p: string) => fs.readFileSync(path.join(TI, p), 'utf8');

function ev(norm: Record<string, unknown>, fields: Record<string, unknown> = {}): HaechiEvent {
  return {
    id: 'e1',
    time: '2026-01-01T00:00:00Z',
    source: 't',
    format: 'json',
    fields,
    norm,
    raw: '',
    receivedAt: 0,
  } as HaechiEvent;
}

describe.skipIf(!hasTi)(
  'imports of the sample feeds (skipped: ../shared/data/threat_intel absent)',
  () => {
    it('imports the STIX APT1 bundle: ranges, domains and hashes; AND patterns skipped with the reason', () => {
      const r = importIntel('apt1', read('stix/schemas_apt1.json'));
      expect(r.format).toBe('stix');
      expect(r.indicators.map((i) => `${i.type}:${i.value}`)).toEqual([
        'cidr:223.166.0.0/15',
        'cidr:58.246.0.0/15',
        'cidr:112.64.0.0/15',
        'cidr:139.226.0.0/15',
        'domain:hugesoft.org',
        'domain:arrowservice.net',
        'domain:msnhome.org',
        'md5:001dd76872d80801692ff942308c64e6',
        'md5:002325a0a67fded0381b5648d7fe9b8e',
        'md5:00dbb9e1c09dbdafb360f3163ba5a3de',
      ]);
      expect(r.errors).toEqual([
        'apt1: indicator--b3b6b540-d838-41e2-853b-005056c00008: skipped: pattern combines observations with AND/FOLLOWEDBY/NOT',
        'apt1: indicator--b3b7035e-d838-41e2-8d38-005056c00008: skipped: pattern combines observations with AND/FOLLOWEDBY/NOT',
      ]);
    });

    it('keeps TLP from marking definitions and the SHA-256 of a STIX file pattern', () => {
      const marked = importIntel('m', read('stix/doc_using-marking-definitions.json')).indicators;
      expect(marked.map((i) => [i.value, i.tlp])).toEqual([['10.0.0.0', 'TLP:AMBER']]);
      const coa = importIntel('c', read('stix/schemas_indicators-for-C2-with-COA.json')).indicators;
      expect(coa.map((i) => i.type)).toEqual(['ipv4', 'sha256']);
    });

    it('imports MISP events with attributes and objects, and the MISP CSV', () => {
      const ev1 = importIntel('misp', read('misp/existing_event.json'));
      const types: Record<string, number> = {};
      for (const i of ev1.indicators) types[i.type] = (types[i.type] ?? 0) + 1;
      expect(types).toEqual({ domain: 19, sha1: 37, ipv4: 12 });
      const url = importIntel('misp', read('misp/misp_event.json')).indicators;
      expect(url).toMatchObject([
        {
          id: '575c8598-f1f0-4c16-a94a-0612c0a83866',
          type: 'url',
          value: 'http://fake.website.com/malware/is/here',
          confidence: 40,
          modified: '2016-06-11T21:41:44.000Z',
        },
      ]);
      const csv = importIntel('csv', read('misp/valid_fieldnames.csv'));
      expect([csv.format, csv.indicators.length, csv.errors]).toEqual(['csv', 9, []]);
    });

    it('imports the ipsum blocklist and rejects junk lines with their line numbers', () => {
      const r = importIntel('ipsum', read('ipsum/levels_4.txt'));
      const lines = read('ipsum/levels_4.txt')
        .split('\n')
        .filter((l) => l.trim() && !l.startsWith('#'));
      expect(r.indicators.length).toBe(lines.length);
      expect(r.indicators.every((i) => i.type === 'ipv4')).toBe(true);
      const bad = importIntel(
        'list',
        '# comment\n198.51.100.1\nnot-an-indicator!\n2001:db8::/32\nevil.example\n',
      );
      expect(bad.indicators.map((i) => i.type)).toEqual(['ipv4', 'cidr', 'domain']);
      expect(bad.errors).toEqual([
        'list:3: "not-an-indicator!" is not an address, range, domain, URL or hash',
      ]);
    });

    it('raises hits on events that match the sample feeds', () => {
      const store = new IntelStore();
      for (const f of [
        'stix/schemas_apt1.json',
        'stix/doc_indicator-for-malicious-url.json',
        'misp/existing_event.json',
        'ipsum/levels_4.txt',
      ]) {
        store.upsert(importIntel(path.basename(f), read(f)).indicators);
      }
      const firstIpsum = read('ipsum/levels_4.txt').split('\n')[0].trim();
      const hit = (e: HaechiEvent) =>
        store.match(e).map((h) => [h.field, h.indicator.value, h.source]);
      expect(hit(ev({ 'source.ip': firstIpsum }))).toEqual([
        ['source.ip', firstIpsum, 'levels_4.txt'],
      ]);
      expect(hit(ev({ 'destination.ip': '223.167.255.255' }))).toEqual([
        ['destination.ip', '223.166.0.0/15', 'schemas_apt1.json'],
      ]);
      expect(hit(ev({ 'destination.ip': '223.168.0.0' }))).toEqual([]);
      expect(hit(ev({ 'dns.question.name': 'mail.hugesoft.org' }))).toEqual([
        ['dns.question.name', 'hugesoft.org', 'schemas_apt1.json'],
      ]);
      expect(hit(ev({ 'dns.question.name': 'nothugesoft.org' }))).toEqual([]);
      expect(hit(ev({ 'url.original': 'HTTP://x4z9arb.cn:80/4712/' }))).toEqual([
        ['url.original', 'http://x4z9arb.cn/4712/', 'doc_indicator-for-malicious-url.json'],
      ]);
      expect(
        hit(
          ev({}, { Hashes: 'SHA1=ABC,MD5=001DD76872D80801692FF942308C64E6,SHA256=00,IMPHASH=11' }),
        ),
      ).toEqual([['Hashes', '001dd76872d80801692ff942308c64e6', 'schemas_apt1.json']]);
    });
  },
);

describe('indicator lifecycle', () => {
  const base: Indicator = {
    id: 'indicator--1',
    type: 'ipv4',
    value: '192.0.2.10',
    source: 'feed',
    confidence: 70,
    modified: '2026-01-01T00:00:00.000Z',
  };

  it('upserts by id and modification time, removes revoked, expires at valid_until', () => {
    const store = new IntelStore();
    expect(store.upsert([base])).toEqual({ added: 1, updated: 0, unchanged: 0, removed: 0 });
    expect(store.upsert([{ ...base, value: '192.0.2.99' }])).toEqual({
      added: 0,
      updated: 0,
      unchanged: 1,
      removed: 0,
    });
    expect(
      store.upsert([{ ...base, value: '192.0.2.11', modified: '2026-02-01T00:00:00.000Z' }]),
    ).toEqual({ added: 0, updated: 1, unchanged: 0, removed: 0 });
    expect(store.match(ev({ 'source.ip': '192.0.2.10' }))).toEqual([]);
    expect(store.match(ev({ 'source.ip': '192.0.2.11' })).map((h) => h.confidence)).toEqual([70]);
    expect(
      store.upsert([{ ...base, revoked: true, modified: '2026-03-01T00:00:00.000Z' }]),
    ).toEqual({ added: 0, updated: 0, unchanged: 0, removed: 1 });
    expect(store.size).toBe(0);

    const now = Date.parse('2026-06-01T00:00:00Z');
    store.upsert([{ ...base, id: 'x', validUntil: '2026-06-01T00:00:10Z' }], now);
    expect(store.match(ev({ 'source.ip': '192.0.2.10' }), now + 5_000)).toHaveLength(1);
    expect(store.match(ev({ 'source.ip': '192.0.2.10' }), now + 10_000)).toEqual([]);
    expect(store.size).toBe(0);
  });

  it('matches IPv6 ranges', () => {
    const store = new IntelStore();
    store.upsert([{ ...base, id: 'v6', type: 'cidr', value: '2001:db8:abcd::/48' }]);
    expect(store.match(ev({ 'source.ip': '2001:db8:abcd:12::1' }))).toHaveLength(1);
    expect(store.match(ev({ 'source.ip': '2001:db8:abce::1' }))).toEqual([]);
  });

  it('keeps indicators in the Store across a reopen', async () => {
    const dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'haechi-intel-'));
    let db = await Store.open(dir);
    const store = new IntelStore(new StoreIntelPersistence(db));
    store.upsert([base, { ...base, id: 'gone', value: '192.0.2.20' }]);
    store.upsert([
      {
        ...base,
        id: 'gone',
        value: '192.0.2.20',
        revoked: true,
        modified: '2026-05-01T00:00:00.000Z',
      },
    ]);
    await db.close();
    db = await Store.open(dir);
    const again = new IntelStore(new StoreIntelPersistence(db));
    expect(again.list().indicators.map((i) => i.id)).toEqual(['indicator--1']);
    expect(again.match(ev({ 'source.ip': '192.0.2.10' })).map((h) => h.indicator.id)).toEqual([
      'indicator--1',
    ]);
    await db.close();
  });
});
