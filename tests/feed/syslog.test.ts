// Syslog sources against real senders: `logger` straight to the TCP source (newline framing) and
// through a real rsyslogd that forwards over TCP (octet-counted RFC 5424) and UDP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedManager } from '../../src/main/feed/manager';
import { FrameSplitter } from '../../src/main/feed/sources/syslog';
import {
  countingSink,
  feedPort,
  hasCommand,
  logger,
  startRsyslog,
  tmpDir,
  waitFor,
  type Server,
} from './helpers';

const canRun = hasCommand('rsyslogd') && hasCommand('logger');
const N = 300;
const lines = (tag: string) =>
  Array.from(
    { length: N },
    (_, i) =>
      `Failed password for invalid user ${tag}${i} from 203.0.113.${i % 250} port ${40000 + i} ssh2`,
  );

describe('syslog TCP framing', () => {
  it('splits newline and octet-counted frames, across chunk boundaries', () => {
    const s = new FrameSplitter(1024);
    const msg = '<34>1 2003-10-11T22:14:15.003Z h su - - - héllo';
    const counted = `${Buffer.byteLength(msg)} ${msg}`;
    const stream = Buffer.from(`${counted}<13>plain line\n${counted}`);
    const out: (string | Error)[] = [];
    for (let i = 0; i < stream.length; i += 7) out.push(...s.push(stream.subarray(i, i + 7)));
    expect(out).toEqual([msg, '<13>plain line', msg]);
  });

  it('rejects an oversized frame with the reason and resynchronises', () => {
    const s = new FrameSplitter(256);
    const out = s.push(Buffer.from(`${'x'.repeat(300)}`));
    expect(out.map((o) => (o instanceof Error ? o.message : o))).toEqual([
      'frame longer than 256 bytes without a terminator',
    ]);
    expect(s.push(Buffer.from('<13>ok\n'))).toEqual(['<13>ok']);
  });
});

describe.skipIf(!canRun)(
  'syslog sources with logger and rsyslogd (skipped: rsyslogd or logger missing)',
  () => {
    const dir = tmpDir('syslog');
    const counter = countingSink();
    const feed = new FeedManager({ sink: counter.sink, dataDir: dir });
    let rsyslog: Server;
    let tcpPort = 0;
    let udpPort = 0;
    let ids: { tcp: string; udp: string };
    let udpIn = 0;

    beforeAll(async () => {
      [tcpPort, udpPort] = [await feedPort(), await feedPort()];
      const tcp = await feed.save({
        name: 'syslog-tcp',
        kind: 'syslog-tcp',
        enabled: true,
        options: { port: tcpPort },
      });
      const udp = await feed.save({
        name: 'syslog-udp',
        kind: 'syslog-udp',
        enabled: true,
        options: { port: udpPort },
      });
      ids = { tcp: tcp.id, udp: udp.id };
      expect([tcp.state, udp.state, tcp.detail]).toEqual([
        'running',
        'running',
        `127.0.0.1:${tcpPort}`,
      ]);
      udpIn = await feedPort();
      rsyslog = await startRsyslog(dir, {
        tcpIn: await feedPort(),
        udpIn,
        tcpOut: tcpPort,
        udpOut: udpPort,
      });
    });

    afterAll(async () => {
      await rsyslog?.stop();
      await feed.close();
    });

    it('receives every message logger sends straight over TCP (newline framing, RFC 5424)', async () => {
      const before = counter.events.length;
      logger(
        [
          '--tcp',
          '--server',
          '127.0.0.1',
          '--port',
          String(tcpPort),
          '-t',
          'sshd',
          '-p',
          'auth.warning',
        ],
        lines('direct'),
      );
      await waitFor(() => counter.events.length - before >= N, 20_000, `${N} events`);
      const got = counter.events.slice(before);
      expect(got.length).toBe(N);
      expect(got.map((e) => e.norm['user.name'])).toEqual(
        Array.from({ length: N }, (_, i) => `direct${i}`),
      );
      expect(
        got.every(
          (e) =>
            e.format === 'syslog' && e.fields.program === 'sshd' && e.fields.severity === 'warning',
        ),
      ).toBe(true);
      expect(got[7].norm).toMatchObject({
        'source.ip': '203.0.113.7',
        'source.port': 40007,
        'event.dataset': 'sshd',
      });
    });

    it('receives every message forwarded by rsyslogd over TCP with octet counting', async () => {
      const before = counter.events.length;
      logger(
        [
          '--tcp',
          '--server',
          '127.0.0.1',
          '--port',
          String(rsyslog.port),
          '-t',
          'sshd',
          '-p',
          'authpriv.notice',
        ],
        lines('relay'),
      );
      await waitFor(() => counter.events.length - before >= N, 20_000, `${N} relayed events`);
      const got = counter.events.slice(before);
      expect(got.length).toBe(N);
      expect(new Set(got.map((e) => e.norm['user.name'])).size).toBe(N);
      expect(
        got.every(
          (e) =>
            e.format === 'syslog' &&
            e.fields.program === 'sshd' &&
            e.fields.facility === 'authpriv',
        ),
      ).toBe(true);
      expect(got.find((e) => e.norm['user.name'] === 'relay42')!.norm['source.ip']).toBe(
        '203.0.113.42',
      );
      expect(feed.get(ids.tcp)!.status()).toMatchObject({ rejected: 0, dropped: 0 });
    });

    it('receives messages forwarded by rsyslogd over UDP (RFC 3164 forward format)', async () => {
      const before = counter.events.length;
      // logger sends one datagram per line, one after the other: loopback at this pace loses none.
      logger(
        ['-d', '--server', '127.0.0.1', '--port', String(udpIn), '-t', 'sshd', '-p', 'auth.info'],
        lines('udp').slice(0, 100),
      );
      await waitFor(() => counter.events.length - before >= 100, 20_000, '100 UDP events');
      const got = counter.events.slice(before);
      expect(got.length).toBe(100);
      expect(
        got.every(
          (e) =>
            e.format === 'syslog' && e.fields.program === 'sshd' && e.fields.facility === 'auth',
        ),
      ).toBe(true);
      expect(got.find((e) => e.norm['user.name'] === 'udp9')!.norm['source.ip']).toBe(
        '203.0.113.9',
      );
      expect(feed.get(ids.udp)!.status()).toMatchObject({
        read: 100,
        parsed: 100,
        rejected: 0,
        dropped: 0,
      });
    });
  },
);
