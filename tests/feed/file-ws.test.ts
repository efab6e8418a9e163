// File tail across rotation, truncation and restart; WebSocket client with reconnect.
import fs from 'node:fs';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import { describe, expect, it } from 'vitest';
import { FeedManager } from '../../src/main/feed/manager';
import { backoff } from '../../src/main/feed/sources/websocket';
import { countingSink, feedPort, tmpDir, waitFor } from './helpers';

const access = (i: number) =>
  `203.0.113.${i % 250} - - [03/Dec/2026:10:00:${String(i % 60).padStart(2, '0')} +0000] "GET /item?id=${i} HTTP/1.1" 200 ${i} "-" "curl/8"\n`;
const urls = (evs: { norm: Record<string, unknown> }[]) => evs.map((e) => e.norm['url.original']);
const want = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, k) => `/item?id=${from + k}`);

describe('file tail', () => {
  it('follows appends, rotation and truncation, and resumes at the saved position after a restart', async () => {
    const dir = tmpDir('tail');
    const log = path.join(dir, 'access.log');
    const counter = countingSink();
    const config = {
      name: 'web',
      kind: 'file' as const,
      enabled: true,
      options: { path: log, pollMs: 30 },
    };
    fs.writeFileSync(log, Array.from({ length: 50 }, (_, i) => access(i)).join(''));

    let feed = new FeedManager({ sink: counter.sink, dataDir: dir });
    await feed.save(config);
    await waitFor(() => counter.events.length >= 50, 5000, '50 lines');

    // Append, including a line written in two parts.
    fs.appendFileSync(log, access(50) + access(51).slice(0, 20));
    await waitFor(() => counter.events.length >= 51, 5000, 'line 51');
    fs.appendFileSync(log, access(51).slice(20));
    await waitFor(() => counter.events.length >= 52, 5000, 'line 52');

    // Rotation: the old file gets one more line before being renamed, then a new file appears.
    fs.appendFileSync(log, access(52));
    fs.renameSync(log, `${log}.1`);
    fs.writeFileSync(log, access(53) + access(54));
    await waitFor(() => counter.events.length >= 55, 5000, 'lines after rotation');

    // Restart: lines written while stopped are read from the saved position, none twice.
    await feed.close();
    fs.appendFileSync(log, access(55) + access(56));
    feed = new FeedManager({ sink: counter.sink, dataDir: dir });
    await feed.load();
    await waitFor(() => counter.events.length >= 57, 5000, 'lines written while stopped');

    // Truncation (copytruncate): start again from the top of the file.
    await new Promise((r) => setTimeout(r, 100));
    fs.truncateSync(log, 0);
    await new Promise((r) => setTimeout(r, 100));
    fs.appendFileSync(log, access(57) + 'not a log line\n');
    await waitFor(() => counter.events.length >= 58, 5000, 'line after truncation');
    await new Promise((r) => setTimeout(r, 150));
    const status = feed.list()[0];
    await feed.close();

    expect(urls(counter.events)).toEqual(want(0, 58));
    expect(counter.duplicates()).toEqual([]);
    expect(counter.events[53].position).toMatchObject({ file: log, record: 1, offset: 0 });
    expect(status).toMatchObject({ rejected: 1, detail: log });
    expect(feed.listQuarantine(5).map((q) => [q.position, q.reason])).toEqual([
      [
        `${log}, line 2, offset ${Buffer.byteLength(access(57))}`,
        'unrecognized line: not JSON, syslog, CEF, Zeek, an access log or a timestamped service log',
      ],
    ]);
  });
});

describe('WebSocket client', () => {
  it('doubles its backoff up to the ceiling, with jitter within ±20%', () => {
    const d = [0, 1, 2, 3, 10].map((n) => backoff(n, 100, 1000));
    expect(d[0]).toBeGreaterThanOrEqual(80);
    expect(d[0]).toBeLessThanOrEqual(120);
    expect(d[3]).toBeGreaterThanOrEqual(640);
    expect(d[4]).toBeLessThanOrEqual(1200);
    expect(d[4]).toBeGreaterThanOrEqual(800);
  });

  it('receives JSON events and reconnects when the server goes away and comes back', async () => {
    const port = await feedPort();
    const counter = countingSink();
    const serve = () => {
      const wss = new WebSocketServer({ host: '127.0.0.1', port });
      let next = 0;
      wss.on('connection', (ws, req) => {
        expect(req.headers.authorization).toBe('Bearer t0ken');
        ws.on('message', (m) => {
          const [from, to] = String(m).split('-').map(Number);
          for (next = from; next < to; next++)
            ws.send(JSON.stringify({ src_ip: '192.0.2.7', user: `w${next}` }));
        });
      });
      return wss;
    };
    let wss = serve();
    const feed = new FeedManager({ sink: counter.sink, dataDir: tmpDir('ws') });
    const s = await feed.save({
      name: 'ws',
      kind: 'websocket',
      enabled: true,
      options: {
        url: `ws://127.0.0.1:${port}/events`,
        token: 't0ken',
        minBackoffMs: 50,
        maxBackoffMs: 200,
      },
    });
    await waitFor(() => wss.clients.size === 1, 5000, 'a connection');
    [...wss.clients][0].emit('message', Buffer.from('0-100'));
    await waitFor(() => counter.events.length >= 100, 5000, '100 events');

    for (const c of wss.clients) c.terminate();
    await new Promise<void>((r) => wss.close(() => r()));
    await waitFor(() => feed.get(s.id)!.state === 'error', 5000, 'the source to notice');
    wss = serve();
    await waitFor(() => wss.clients.size === 1, 5000, 'a reconnection');
    [...wss.clients][0].emit('message', Buffer.from('100-150'));
    await waitFor(() => counter.events.length >= 150, 5000, '150 events');
    const status = feed.get(s.id)!.status();
    await feed.close();
    await new Promise<void>((r) => wss.close(() => r()));

    expect(counter.events.map((e) => e.norm['user.name'])).toEqual(
      Array.from({ length: 150 }, (_, i) => `w${i}`),
    );
    expect(status).toMatchObject({ state: 'running', read: 150, parsed: 150, rejected: 0 });
  });
});
