// A WebSocket source's address is shown in its status and written to the log: never with the
// user:password@ part or the query (where a token may be).
import { describe, expect, it } from 'vitest';
import { FeedManager } from '../../src/main/feed/manager';
import { countingSink, tmpDir } from './helpers';

describe('WebSocket source status detail', () => {
  it('drops user:password@ and the query from the address', async () => {
    const feed = new FeedManager({ sink: countingSink().sink, dataDir: tmpDir('ws-detail') });
    const s = await feed.save({
      name: 'ws-creds',
      kind: 'websocket',
      enabled: false,
      options: { url: 'wss://analyst:hunter2-s3cret@127.0.0.1:9/events?key=k3y' },
    });
    const detail = feed.get(s.id)!.status().detail;
    await feed.close();
    expect(detail).toBe('wss://127.0.0.1:9/events');
  });

  it('drops user:password@ from a NATS address', async () => {
    const feed = new FeedManager({ sink: countingSink().sink, dataDir: tmpDir('nats-detail') });
    const s = await feed.save({
      name: 'nats-creds',
      kind: 'nats',
      enabled: false,
      options: {
        url: 'nats://analyst:hunter2-s3cret@127.0.0.1:9',
        stream: 'EV',
        subject: 'ev.>',
        durable: 'haechi',
      },
    });
    const detail = feed.get(s.id)!.status().detail;
    await feed.close();
    expect(detail).toBe('nats://127.0.0.1:9 EV/haechi');
  });
});
