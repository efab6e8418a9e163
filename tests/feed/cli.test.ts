// `haechi parse` and `haechi replay` as a user runs them: the real CLI in a child process, real
// sample files, and replay into the live sources (syslog TCP/UDP, NATS JetStream, WebSocket).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedManager } from '../../src/main/feed/manager';
import {
  countingSink,
  feedPort,
  hasCommand,
  startNats,
  tmpDir,
  waitFor,
  type Server,
} from './helpers';

const ROOT = path.resolve(__dirname, '../..');
const DATA = path.resolve(ROOT, '../shared/data');
const EVE = path.join(DATA, 'suricata/eve.json');
const hasEve = fs.existsSync(EVE);
const haechi = (args: string[]) =>
  spawnSync('node', [path.join(ROOT, 'bin/haechi.mjs'), ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
const runAsync = (args: string[]) => {
  const p = spawn('node', [path.join(ROOT, 'bin/haechi.mjs'), ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  p.stderr.on('data', (d) => (stderr += String(d)));
  const done = new Promise<[number | null, string]>((r) =>
    p.on('exit', (code) => r([code, stderr])),
  );
  return { proc: p, done };
};

describe('haechi parse', () => {
  it('prints one JSON object per event with ECS keys, raw and position; rejects on stderr', () => {
    const dir = tmpDir('cli-parse');
    const file = path.join(dir, 'auth.log');
    fs.writeFileSync(
      file,
      'Jan 29 05:32:50 mail sshd[22]: Failed password for root from 192.0.2.44 port 5022 ssh2\nwhat is this\n',
    );
    const r = haechi(['parse', file]);
    expect(r.status).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      'source.ip': '192.0.2.44',
      'source.port': 5022,
      'user.name': 'root',
      'host.name': 'mail',
      format: 'syslog-file',
      file,
      record: 1,
    });
    expect(lines[0].raw).toBe(
      'Jan 29 05:32:50 mail sshd[22]: Failed password for root from 192.0.2.44 port 5022 ssh2',
    );
    expect(r.stderr).toBe(
      `${file}:2: rejected: unrecognized line: not JSON, syslog, CEF, Zeek, an access log or a timestamped service log\n${file}: 1 events, 1 rejected\n`,
    );
  });

  it('refuses an unknown --format with the list of formats', () => {
    const r = haechi(['parse', 'x.log', '--format', 'bogus']);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(
      'haechi parse: unknown format "bogus"; choose one of auto, json, suricata-eve, zeek, syslog, cef, access-log, apache-error, nginx-error, text',
    );
  });

  it.skipIf(!hasEve)(
    'parses the Suricata sample end to end (skipped: no ../shared/data/suricata)',
    () => {
      const r = haechi(['parse', EVE, '--format', 'suricata-eve']);
      expect(r.stdout.trim().split('\n')).toHaveLength(266);
      expect(r.stderr).toBe(`${EVE}: 266 events, 0 rejected\n`);
    },
  );
});

describe.skipIf(!hasEve)(
  'haechi replay into live sources (skipped: no ../shared/data/suricata)',
  () => {
    const counter = countingSink();
    const dir = tmpDir('cli-replay');
    const feed = new FeedManager({ sink: counter.sink, dataDir: dir });
    let nats: Server | undefined;

    beforeAll(async () => {
      if (hasCommand('nats-server')) nats = await startNats(tmpDir('replay-nats'));
    });
    afterAll(async () => {
      await feed.close();
      await nats?.stop();
    });

    async function expectReplay(args: string[], n: number): Promise<void> {
      const before = counter.events.length;
      const r = runAsync(['replay', EVE, ...args]);
      const [code, stderr] = await r.done;
      expect([code, stderr.split(' in ')[0]]).toEqual([0, `sent ${n} lines to ${args[1]}`]);
      await waitFor(() => counter.events.length - before >= n, 20_000, `${n} events`);
      const got = counter.events.slice(before);
      expect(got.length).toBe(n);
      expect(got.every((e) => e.format === 'suricata-eve')).toBe(true);
    }

    it('streams the file to syslog TCP (newline and octet-counted) and UDP at the chosen rate', async () => {
      const tcp = await feedPort();
      const udp = await feedPort();
      await feed.save({ name: 'tcp', kind: 'syslog-tcp', enabled: true, options: { port: tcp } });
      await feed.save({ name: 'udp', kind: 'syslog-udp', enabled: true, options: { port: udp } });
      await expectReplay(['--to', `syslog+tcp://127.0.0.1:${tcp}`, '--rate', '0'], 266);
      await expectReplay(
        ['--to', `syslog+tcp://127.0.0.1:${tcp}`, '--rate', '0', '--octet-count', '--limit', '100'],
        100,
      );
      const t0 = Date.now();
      await expectReplay(['--to', `syslog+udp://127.0.0.1:${udp}`, '--rate', '500'], 266);
      expect(Date.now() - t0).toBeGreaterThan(400); // 266 lines at 500/s take about half a second
    });

    it.skipIf(!hasCommand('nats-server'))(
      'streams the file to a NATS JetStream subject',
      async () => {
        await feed.save({
          name: 'nats',
          kind: 'nats',
          enabled: true,
          options: {
            url: `nats://127.0.0.1:${nats!.port}`,
            stream: 'REPLAY',
            subject: 'replay.eve',
            createStream: true,
          },
        });
        await expectReplay(
          ['--to', `nats://127.0.0.1:${nats!.port}/replay.eve`, '--rate', '0'],
          266,
        );
      },
    );

    it('serves the file to a WebSocket source', async () => {
      const port = await feedPort();
      const before = counter.events.length;
      const r = runAsync(['replay', EVE, '--to', `ws://127.0.0.1:${port}`, '--rate', '0']);
      await new Promise((res) => setTimeout(res, 1500)); // the replay listens before the client connects
      await feed.save({
        name: 'ws',
        kind: 'websocket',
        enabled: true,
        options: { url: `ws://127.0.0.1:${port}` },
      });
      const [code] = await r.done;
      expect(code).toBe(0);
      await waitFor(() => counter.events.length - before >= 266, 20_000, '266 events');
      expect(counter.events.length - before).toBe(266);
    });
  },
);
