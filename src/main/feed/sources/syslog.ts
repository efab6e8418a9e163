// Syslog receivers: TCP (RFC 6587 newline and octet-counted framing, detected per frame) and UDP
// (one message per datagram). Loopback by default; TCP pauses a sender while the queue is full,
// UDP cannot, so it drops and counts.
import dgram from 'node:dgram';
import net from 'node:net';
import { z } from 'zod';
import type { HaechiEvent } from '../../../shared/types';
import { FORMATS } from '../parsers';
import { Source, type SourceKind } from './base';

export const syslogOptions = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.coerce.number().int().min(0).max(65535).default(5140),
    format: z.enum(FORMATS).default('auto'),
    maxFrame: z.coerce
      .number()
      .int()
      .min(256)
      .max(1024 * 1024)
      .default(64 * 1024),
  })
  .strict();
type SyslogOptions = z.output<typeof syslogOptions>;

/** Splits a TCP byte stream into syslog frames: "LEN SP MSG" (octet-counted) or MSG "\n". */
export class FrameSplitter {
  private buf: Buffer = Buffer.alloc(0);
  private octet = false;

  constructor(private readonly maxFrame: number) {}

  /** Frames completed by this chunk; an oversized frame is returned as an Error. */
  push(chunk: Buffer): (string | Error)[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: (string | Error)[] = [];
    for (;;) {
      const frame = this.next();
      if (frame === undefined) break;
      out.push(frame);
    }
    if (this.buf.length > this.maxFrame) {
      out.push(new Error(`frame longer than ${this.maxFrame} bytes without a terminator`));
      this.buf = Buffer.alloc(0);
    }
    return out;
  }

  /**
   * Octet counting (RFC 6587 3.4.1) when a frame starts with digits and a space followed by the
   * start of a message ("<" syslog, "{" or "[" JSON); once seen, the connection stays in it.
   */
  private next(): string | Error | undefined {
    const head = this.buf.subarray(0, 9).toString('latin1');
    const m = (this.octet ? /^(\d{1,7}) / : /^(\d{1,7}) [<{[]/).exec(head);
    if (m) {
      this.octet = true;
      const len = Number(m[1]);
      const start = m[1].length + 1;
      if (len > this.maxFrame) {
        this.buf = this.buf.subarray(start);
        return new Error(`octet count ${len} exceeds ${this.maxFrame}`);
      }
      if (this.buf.length < start + len) return undefined;
      const frame = this.buf.subarray(start, start + len).toString('utf8');
      this.buf = this.buf.subarray(start + len);
      return frame.replace(/\r?\n$/, '');
    }
    if (/^\d{1,7} ?$/.test(head)) return undefined; // a count whose message has not arrived yet
    const nl = this.buf.indexOf(10);
    if (nl < 0) return undefined;
    const frame = this.buf.subarray(0, nl).toString('utf8');
    this.buf = this.buf.subarray(nl + 1);
    return frame;
  }
}

/** What both receivers share: their options, a frame counter and the wait for the port. */
abstract class SyslogSource extends Source {
  protected seq = 0;

  constructor(
    config: ConstructorParameters<typeof Source>[0],
    env: ConstructorParameters<typeof Source>[1],
    protected readonly opts: SyslogOptions,
  ) {
    super(config, env);
  }

  /** Waits for `open` to call back; on an error, marks the source failed (`where`) and rethrows. */
  protected async opened(
    emitter: { once(event: 'error', fn: (err: Error) => void): unknown },
    open: (done: () => void) => void,
    where: string,
  ): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      emitter.once('error', reject);
      open(() => resolve());
    }).catch((err) => {
      this.state = 'error';
      this.fail(err, where);
      throw err;
    });
  }
}

class SyslogTcpSource extends SyslogSource {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();

  async start(): Promise<void> {
    this.state = 'starting';
    const server = net.createServer((socket) => this.accept(socket));
    await this.opened(
      server,
      (done) => server.listen(this.opts.port, this.opts.host, done),
      'listen',
    );
    server.on('error', (err) => this.fail(err, 'server'));
    this.server = server;
    const addr = server.address() as net.AddressInfo;
    this.detail = `${addr.address}:${addr.port}`;
    this.state = 'running';
    this.log.info(`${this.config.name}: listening on tcp ${this.detail}`);
  }

  private accept(socket: net.Socket): void {
    this.sockets.add(socket);
    const splitter = new FrameSplitter(this.opts.maxFrame);
    const session = this.newSession(this.opts.format);
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    socket.on('data', (chunk: Buffer) => {
      const events: HaechiEvent[] = [];
      for (const frame of splitter.push(chunk)) {
        this.seq += 1;
        if (frame instanceof Error) {
          this.read += 1;
          this.rejected += 1;
          this.env.quarantine.add(
            this.config.name,
            `tcp ${peer}, frame ${this.seq}`,
            frame.message,
          );
          continue;
        }
        const ev = this.parseLine(session, frame, {
          source: this.config.name,
          position: { seq: this.seq },
        });
        if (ev) events.push(ev);
      }
      this.deliver(socket, events);
    });
    socket.on('error', (err) => this.fail(err, `connection ${peer}`));
    socket.on('close', () => this.sockets.delete(socket));
  }

  private deliver(socket: net.Socket, events: HaechiEvent[]): void {
    const pipe = this.env.pipe;
    pipe.enqueue(events).catch((err) => this.fail(err, 'sink'));
    if (pipe.full && !socket.isPaused()) {
      socket.pause();
      void pipe.waitRoom().then(() => socket.resume());
    }
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
    this.server = undefined;
    this.state = 'stopped';
  }
}

class SyslogUdpSource extends SyslogSource {
  private socket?: dgram.Socket;

  async start(): Promise<void> {
    this.state = 'starting';
    const socket = dgram.createSocket(net.isIPv6(this.opts.host) ? 'udp6' : 'udp4');
    const session = this.newSession(this.opts.format);
    socket.on('message', (msg) => {
      this.seq += 1;
      if (this.env.pipe.full) {
        this.read += 1;
        this.dropped += 1;
        return;
      }
      const text = msg.toString('utf8').replace(/\r?\n$/, '');
      const ev = this.parseLine(session, text, {
        source: this.config.name,
        position: { seq: this.seq },
      });
      if (ev) this.env.pipe.enqueue([ev]).catch((err) => this.fail(err, 'sink'));
    });
    await this.opened(socket, (done) => socket.bind(this.opts.port, this.opts.host, done), 'bind');
    socket.on('error', (err) => this.fail(err, 'socket'));
    this.socket = socket;
    const addr = socket.address();
    this.detail = `${addr.address}:${addr.port}`;
    this.state = 'running';
    this.log.info(`${this.config.name}: listening on udp ${this.detail}`);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.socket ? this.socket.close(() => resolve()) : resolve(),
    );
    this.socket = undefined;
    this.state = 'stopped';
  }
}

export const syslogTcp: SourceKind<typeof syslogOptions> = {
  kind: 'syslog-tcp',
  options: syslogOptions,
  create: (config, options, env) => new SyslogTcpSource(config as never, env, options),
};

export const syslogUdp: SourceKind<typeof syslogOptions> = {
  kind: 'syslog-udp',
  options: syslogOptions,
  create: (config, options, env) => new SyslogUdpSource(config as never, env, options),
};
