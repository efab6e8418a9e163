// Polling on loopback: a small TAXII 2.1 server in the test serves the real STIX samples with
// paging and the date-added headers; a MISP feed (manifest + events) and a blocklist with ETag.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedManager } from '../../src/main/feed/manager';
import type { IntelPollSource } from '../../src/main/feed/sources/intel';
import { FileIntelPersistence } from '../../src/main/engine/intel/persist';
import { IntelStore } from '../../src/main/engine/intel/store';
import { TAXII_MEDIA } from '../../src/main/engine/intel/poll';
import { countingSink, tmpDir, waitFor } from '../feed/helpers';

const TI = path.resolve(__dirname, '../../../shared/data/threat_intel');
const hasTi = fs.existsSync(TI);
type Obj = Record<string, unknown>;

/** Every object of every sample bundle, each with the time it was "added" to the collection. */
function sampleObjects(): { obj: Obj; added: string }[] {
  const dir = path.join(TI, 'stix');
  const out: { obj: Obj; added: string }[] = [];
  for (const f of fs
    .readdirSync(dir)
    .filter((x) => x.endsWith('.json'))
    .sort()) {
    const doc = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Obj;
    for (const obj of (doc.objects as Obj[]) ?? [doc])
      out.push({ obj, added: new Date(Date.UTC(2026, 0, 1, 0, 0, out.length)).toISOString() });
  }
  return out;
}

describe.skipIf(!hasTi)(
  'TAXII 2.1, MISP feed and blocklist polling (skipped: ../shared/data/threat_intel absent)',
  () => {
    const collection: { obj: Obj; added: string }[] = hasTi ? sampleObjects() : [];
    const requests: string[] = [];
    let etagHits = 0;
    let server: http.Server;
    let base = '';

    function taxii(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
      if (req.headers.authorization !== 'Bearer s3cret') return void res.writeHead(401).end();
      if (!String(req.headers.accept).includes('application/taxii+json'))
        return void res.writeHead(406).end();
      const after = url.searchParams.get('added_after');
      const limit = Number(url.searchParams.get('limit') ?? 100);
      const start = Number(url.searchParams.get('next') ?? 0);
      const rows = collection.filter((r) => !after || Date.parse(r.added) > Date.parse(after));
      const page = rows.slice(start, start + limit);
      const more = start + limit < rows.length;
      const headers: Record<string, string> = { 'Content-Type': TAXII_MEDIA };
      if (page.length) {
        headers['X-TAXII-Date-Added-First'] = page[0].added;
        headers['X-TAXII-Date-Added-Last'] = page[page.length - 1].added;
      }
      res.writeHead(200, headers).end(
        JSON.stringify({
          more,
          ...(more ? { next: String(start + limit) } : {}),
          objects: page.map((r) => r.obj),
        }),
      );
    }

    beforeAll(async () => {
      const misp = (f: string) => fs.readFileSync(path.join(TI, 'misp', f), 'utf8');
      server = http.createServer((req, res) => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        requests.push(`${url.pathname}${url.search}`);
        if (url.pathname === '/api1/collections/c1/objects/') return taxii(req, res, url);
        if (url.pathname === '/feed/manifest.json') {
          return void res.end(
            JSON.stringify({
              '5a3c2fdd-ef0c-47f1-a7e2-4422950d210f': { info: 'existing', timestamp: '1514456096' },
              '575c8598-f1f0-4c16-a94a-0612c0a83866': { info: 'url', timestamp: '1465681304' },
            }),
          );
        }
        if (url.pathname === '/feed/5a3c2fdd-ef0c-47f1-a7e2-4422950d210f.json')
          return void res.end(misp('existing_event.json'));
        if (url.pathname === '/feed/575c8598-f1f0-4c16-a94a-0612c0a83866.json')
          return void res.end(misp('misp_event.json'));
        if (url.pathname === '/ipsum.txt') {
          if (req.headers['if-none-match'] === '"v1"')
            return void (etagHits++, res.writeHead(304).end());
          return void res
            .writeHead(200, { ETag: '"v1"' })
            .end(fs.readFileSync(path.join(TI, 'ipsum/levels_4.txt')));
        }
        res.writeHead(404).end();
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    afterAll(async () => {
      await new Promise<void>((r) => server.close(() => r()));
    });

    it('pages through the collection, then asks only for what was added since', async () => {
      const dir = tmpDir('taxii');
      const intel = new IntelStore();
      const cursors = new FileIntelPersistence(path.join(dir, 'cursors.json'));
      const feed = new FeedManager({ sink: countingSink().sink, dataDir: dir, intel, cursors });
      const s = await feed.save({
        name: 'oasis',
        kind: 'taxii',
        enabled: true,
        options: {
          url: `${base}/api1/collections/c1/`,
          token: 's3cret',
          pageSize: 10,
          intervalSec: 3600,
        },
      });
      const source = feed.get(s.id) as IntelPollSource;
      await waitFor(() => source.lastPoll !== undefined, 10_000, 'the first poll');

      const pages = Math.ceil(collection.length / 10);
      expect(requests.filter((r) => r.startsWith('/api1/')).length).toBe(pages);
      expect(requests[1]).toBe('/api1/collections/c1/objects/?limit=10&next=10');
      // 17 matchable indicator patterns; two sample bundles share one indicator id (same version).
      expect(source.lastPoll).toMatchObject({ added: 16, updated: 0, removed: 0, requests: pages });
      expect(source.status()).toMatchObject({ parsed: 17, state: 'running' });
      expect(
        intel
          .match({ norm: { 'source.ip': '58.247.1.1' }, fields: {} } as never)
          .map((h) => [h.source, h.indicator.value]),
      ).toEqual([['oasis', '58.246.0.0/15']]);
      const lastAdded = collection[collection.length - 1].added;
      expect(cursors.getCursor(s.id)).toBe(lastAdded);

      // The server gets an updated and a revoked version of two indicators.
      const ind = collection.find((r) => String(r.obj.pattern).includes('hugesoft.org'))!.obj;
      const url = collection.find((r) => String(r.obj.pattern).includes('x4z9arb.cn'))!.obj;
      collection.push({
        obj: { ...ind, modified: '2026-02-01T00:00:00.000Z', confidence: 90 },
        added: '2026-02-01T00:00:00.000Z',
      });
      collection.push({
        obj: { ...url, modified: '2026-02-01T00:00:00.000Z', revoked: true },
        added: '2026-02-01T00:00:01.000Z',
      });
      requests.length = 0;
      await source.pollOnce();
      expect(requests).toEqual([
        `/api1/collections/c1/objects/?added_after=${encodeURIComponent(lastAdded)}&limit=10`,
      ]);
      expect(source.lastPoll).toMatchObject({ added: 0, updated: 1, removed: 1 });
      expect(
        intel.match({ norm: { 'dns.question.name': 'hugesoft.org' }, fields: {} } as never)[0]
          .confidence,
      ).toBe(90);
      expect(
        intel.match({ norm: { 'url.original': 'http://x4z9arb.cn/4712/' }, fields: {} } as never),
      ).toEqual([]);
      await feed.close();
    });

    it('reports a refused TAXII request as the source error', async () => {
      const dir = tmpDir('taxii-bad');
      const feed = new FeedManager({
        sink: countingSink().sink,
        dataDir: dir,
        intel: new IntelStore(),
      });
      const s = await feed.save({
        name: 'nope',
        kind: 'taxii',
        enabled: true,
        options: { url: `${base}/api1/collections/c1/`, token: 'wrong' },
      });
      await waitFor(() => feed.get(s.id)!.state === 'error', 10_000, 'the error');
      expect(feed.get(s.id)!.status().lastError).toBe(
        'poll: TAXII /api1/collections/c1/objects/: HTTP 401 Unauthorized',
      );
      await feed.close();
    });

    it('follows a MISP feed manifest to its events, and honours a blocklist ETag', async () => {
      const dir = tmpDir('misp');
      const intel = new IntelStore();
      const cursors = new FileIntelPersistence(path.join(dir, 'c.json'));
      const feed = new FeedManager({ sink: countingSink().sink, dataDir: dir, intel, cursors });
      const m = await feed.save({
        name: 'misp',
        kind: 'misp',
        enabled: true,
        options: { url: `${base}/feed/manifest.json` },
      });
      const b = await feed.save({
        name: 'ipsum',
        kind: 'blocklist',
        enabled: true,
        options: { url: `${base}/ipsum.txt`, confidence: 60 },
      });
      const misp = feed.get(m.id) as IntelPollSource;
      const list = feed.get(b.id) as IntelPollSource;
      await waitFor(
        () => misp.lastPoll !== undefined && list.lastPoll !== undefined,
        10_000,
        'both polls',
      );
      expect(misp.lastPoll).toMatchObject({ added: 69, requests: 3 });
      expect(cursors.getCursor(m.id)).toBe('ts:1514456096');
      const ipsumCount = fs
        .readFileSync(path.join(TI, 'ipsum/levels_4.txt'), 'utf8')
        .split('\n')
        .filter((l) => l.trim()).length;
      expect(list.lastPoll).toMatchObject({ added: ipsumCount });
      await list.pollOnce();
      await misp.pollOnce();
      expect(etagHits).toBe(1);
      expect(list.lastPoll).toMatchObject({ added: 0, updated: 0 });
      expect(misp.lastPoll).toMatchObject({ added: 0, requests: 1 });
      await feed.close();
    });
  },
);
