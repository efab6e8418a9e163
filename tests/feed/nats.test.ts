// NATS JetStream against a real nats-server: a durable consumer that acknowledges only stored
// events, and a restart of the whole feed (new FeedManager from the settings file) mid-stream
// that loses nothing and delivers nothing twice.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedManager } from '../../src/main/feed/manager';
import { countingSink, hasCommand, startNats, tmpDir, waitFor, type Server } from './helpers';

const TOTAL = 20_000;

describe.skipIf(!hasCommand('nats-server'))(
  'NATS JetStream source (skipped: nats-server missing)',
  () => {
    let nats: Server;
    let nc: NatsConnection;

    beforeAll(async () => {
      nats = await startNats(tmpDir('nats-store'));
      nc = await connect({ servers: `nats://127.0.0.1:${nats.port}` });
      const jsm = await nc.jetstreamManager();
      await jsm.streams.add({ name: 'EVENTS', subjects: ['haechi.events'] });
    });

    afterAll(async () => {
      await nc?.close();
      await nats?.stop();
    });

    async function publish(from: number, to: number): Promise<void> {
      const js = nc.jetstream();
      for (let i = from; i < to; i += 500) {
        const acks = [];
        for (let j = i; j < Math.min(to, i + 500); j++) {
          const rec = {
            '@timestamp': '2026-12-03T10:00:00Z',
            src_ip: `198.51.100.${j % 250}`,
            user: `u${j}`,
            n: j,
          };
          acks.push(js.publish('haechi.events', JSON.stringify(rec)));
        }
        await Promise.all(acks);
      }
    }

    it('survives a restart of the feed mid-stream: every event stored exactly once', async () => {
      const dir = tmpDir('nats-feed');
      const counter = countingSink(2);
      const config = {
        name: 'broker',
        kind: 'nats' as const,
        enabled: true,
        options: {
          url: `nats://127.0.0.1:${nats.port}`,
          stream: 'EVENTS',
          subject: 'haechi.events',
          durable: 'haechi-test',
          batch: 250,
        },
      };

      // First run: the feed consumes while the publisher is still writing.
      const first = new FeedManager({ sink: counter.sink, dataDir: dir });
      const saved = await first.save(config);
      expect(saved.state).toBe('running');
      const publishing = publish(0, TOTAL);
      await waitFor(() => counter.events.length >= TOTAL / 4, 30_000, 'a quarter of the events');
      await first.close();
      const storedBeforeRestart = counter.events.length;
      expect(storedBeforeRestart).toBeLessThan(TOTAL);

      // Second run: a new manager reads the settings file and resumes the durable consumer.
      const second = new FeedManager({ sink: counter.sink, dataDir: dir });
      const loaded = await second.load();
      expect(loaded.map((s) => [s.name, s.state])).toEqual([['broker', 'running']]);
      await publishing;
      await waitFor(() => counter.events.length >= TOTAL, 60_000, `${TOTAL} events`);
      await new Promise((r) => setTimeout(r, 300)); // anything extra would arrive now
      await second.close();

      expect(counter.events.length).toBe(TOTAL);
      expect(counter.duplicates()).toEqual([]);
      const seqs = counter.events.map((e) => e.position?.seq ?? 0).sort((a, b) => a - b);
      expect(seqs[0]).toBe(1);
      expect(seqs[TOTAL - 1]).toBe(TOTAL);
      expect(new Set(counter.events.map((e) => e.id)).size).toBe(TOTAL);
      expect(counter.events.find((e) => e.id === 'nats:EVENTS:42')!.norm).toMatchObject({
        'source.ip': '198.51.100.41',
        'user.name': 'u41',
      });
    });

    it('quarantines an unparsable message, acks it, and goes on', async () => {
      const dir = tmpDir('nats-bad');
      const counter = countingSink();
      const jsm = await nc.jetstreamManager();
      await jsm.streams.add({ name: 'BAD', subjects: ['haechi.bad'] });
      const js = nc.jetstream();
      await js.publish('haechi.bad', '{"src_ip": "192.0.2.1", "user": "a"}');
      await js.publish('haechi.bad', '{"src_ip": broken');
      await js.publish('haechi.bad', '{"src_ip": "192.0.2.3", "user": "c"}');
      const feed = new FeedManager({ sink: counter.sink, dataDir: dir });
      const s = await feed.save({
        name: 'bad',
        kind: 'nats',
        enabled: true,
        options: {
          url: `nats://127.0.0.1:${nats.port}`,
          stream: 'BAD',
          subject: 'haechi.bad',
          durable: 'b',
        },
      });
      await waitFor(() => counter.events.length >= 2, 10_000, 'two events');
      await new Promise((r) => setTimeout(r, 200));
      expect(feed.get(s.id)!.status()).toMatchObject({ read: 3, parsed: 2, rejected: 1 });
      expect(
        feed.listQuarantine(10).map((q) => [q.source, q.position, q.reason.split(':')[0]]),
      ).toEqual([['bad', 'seq 2', 'json']]);
      await feed.close();
      const info = await jsm.consumers.info('BAD', 'b');
      expect([info.num_ack_pending, info.num_pending]).toEqual([0, 0]);
    });
  },
);

describe.skipIf(!hasCommand('nats-server'))(
  'NATS JetStream consumer killed mid-stream (skipped: nats-server missing)',
  () => {
    it('loses nothing after SIGKILL; redelivery is bounded and keeps the same event ids', async () => {
      const nats = await startNats(tmpDir('nats-crash'));
      const nc = await connect({ servers: `nats://127.0.0.1:${nats.port}` });
      try {
        const jsm = await nc.jetstreamManager();
        await jsm.streams.add({ name: 'CRASH', subjects: ['crash.events'] });
        const js = nc.jetstream();
        const N = 10_000;
        for (let i = 0; i < N; i += 500) {
          await Promise.all(
            Array.from({ length: 500 }, (_, j) =>
              js.publish('crash.events', JSON.stringify({ src_ip: '192.0.2.1', n: i + j })),
            ),
          );
        }
        const dir = tmpDir('nats-crash-feed');
        const out = path.join(dir, 'stored.txt');
        const child = () =>
          spawn(
            process.execPath,
            [
              '--import',
              'tsx',
              path.join(__dirname, 'nats-child.ts'),
              out,
              dir,
              `nats://127.0.0.1:${nats.port}`,
            ],
            { stdio: ['ignore', 'pipe', 'inherit'] },
          );
        const stored = () =>
          fs.existsSync(out) ? fs.readFileSync(out, 'utf8').split('\n').filter(Boolean) : [];

        const first = child();
        await waitFor(
          () => stored().length >= N / 5,
          30_000,
          'a fifth stored by the first consumer',
        );
        first.kill('SIGKILL');
        await new Promise((r) => first.once('exit', r));
        const atCrash = stored().length;
        expect(atCrash).toBeLessThan(N);

        const second = child();
        await waitFor(() => new Set(stored()).size >= N, 60_000, 'every event stored').catch(
          (err) => {
            throw new Error(
              `${(err as Error).message}: ${new Set(stored()).size} of ${N} stored (${atCrash} at the kill)`,
            );
          },
        );
        second.kill('SIGTERM');
        await new Promise((r) => second.once('exit', r));

        const ids = stored();
        const unique = new Set(ids);
        expect(unique.size).toBe(N);
        expect([...unique].every((id) => /^nats:CRASH:\d+$/.test(id))).toBe(true);
        // Stored-but-unacknowledged at the kill: at most the batch being acknowledged, redelivered once.
        expect(ids.length - unique.size).toBeLessThanOrEqual(200);
      } finally {
        await nc.close();
        await nats.stop();
      }
    }, 120_000);
  },
);
