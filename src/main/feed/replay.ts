// Replay: stream the lines of a real log file to a syslog receiver (TCP or UDP), a NATS subject
// (JetStream-acknowledged publishes) or WebSocket clients, at a chosen rate. For demos, tests and
// benchmarks; every run is bounded by the file (or --limit) and by time.
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import readline from 'node:readline';
import { createGunzip } from 'node:zlib';
import { connect } from 'nats';
import { WebSocketServer, type WebSocket } from 'ws';

export interface ReplayTarget {
  kind: 'syslog-tcp' | 'syslog-udp' | 'nats' | 'ws';
  host: string;
  port: number;
  subject?: string;
}

export function parseTarget(url: string): ReplayTarget {
  const m = /^(syslog\+tcp|syslog\+udp|nats|ws):\/\/([^/:]+|\[[^\]]+\]):(\d+)(?:\/(.*))?$/.exec(
    url,
  );
  if (!m)
    throw new Error(
      `bad --to "${url}": use syslog+tcp://HOST:PORT, syslog+udp://HOST:PORT, nats://HOST:PORT/SUBJECT or ws://HOST:PORT`,
    );
  const kind = (
    { 'syslog+tcp': 'syslog-tcp', 'syslog+udp': 'syslog-udp', nats: 'nats', ws: 'ws' } as const
  )[m[1] as 'nats'];
  const host = m[2].replace(/^\[|\]$/g, '');
  if (kind === 'nats' && !m[4])
    throw new Error(`--to ${url}: a NATS target needs a subject: nats://HOST:PORT/SUBJECT`);
  return { kind, host, port: Number(m[3]), subject: m[4] };
}

/** Sends lines; `send` may return a promise to apply backpressure. */
export interface Sender {
  send(lines: string[]): Promise<void> | void;
  close(): Promise<void>;
}

async function tcpSender(t: ReplayTarget, octet: boolean): Promise<Sender> {
  const socket = net.connect(t.port, t.host);
  await new Promise<void>(
    (resolve, reject) => (socket.once('connect', resolve), socket.once('error', reject)),
  );
  socket.setNoDelay(true);
  return {
    send: (lines) => {
      const text = lines.map((l) => (octet ? `${Buffer.byteLength(l)} ${l}` : `${l}\n`)).join('');
      if (!socket.write(text)) return new Promise<void>((r) => socket.once('drain', () => r()));
    },
    // Wait until everything is flushed to the kernel, then close without waiting for the peer.
    close: () => new Promise<void>((r) => socket.end(() => (socket.destroy(), r()))),
  };
}

async function udpSender(t: ReplayTarget): Promise<Sender> {
  const socket = dgram.createSocket(net.isIPv6(t.host) ? 'udp6' : 'udp4');
  return {
    send: async (lines) => {
      for (const l of lines)
        await new Promise<void>((r, j) => socket.send(l, t.port, t.host, (e) => (e ? j(e) : r())));
    },
    close: () => new Promise<void>((r) => socket.close(() => r())),
  };
}

async function natsSender(t: ReplayTarget): Promise<Sender> {
  const nc = await connect({ servers: `nats://${t.host}:${t.port}`, name: 'haechi-replay' });
  const js = nc.jetstream();
  return {
    send: async (lines) => {
      await Promise.all(lines.map((l) => js.publish(t.subject!, l)));
    },
    close: () => nc.drain(),
  };
}

/** Listens on the ws:// address and sends to every client connected when lines go out. */
async function wsSender(t: ReplayTarget, waitMs: number): Promise<Sender> {
  const wss = new WebSocketServer({ host: t.host, port: t.port });
  await new Promise<void>(
    (resolve, reject) => (wss.once('listening', resolve), wss.once('error', reject)),
  );
  const first = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
  const timeout = new Promise<never>((_, j) =>
    setTimeout(
      () => j(new Error(`no WebSocket client connected within ${waitMs} ms`)),
      waitMs,
    ).unref(),
  );
  await Promise.race([first, timeout]);
  return {
    send: (lines) => {
      for (const c of wss.clients) for (const l of lines) c.send(l);
    },
    close: () =>
      new Promise<void>((r) => (wss.clients.forEach((c) => c.close()), wss.close(() => r()))),
  };
}

export async function openSender(
  t: ReplayTarget,
  opts: { octet?: boolean; waitMs?: number } = {},
): Promise<Sender> {
  if (t.kind === 'syslog-tcp') return tcpSender(t, opts.octet ?? false);
  if (t.kind === 'syslog-udp') return udpSender(t);
  if (t.kind === 'nats') return natsSender(t);
  return wsSender(t, opts.waitMs ?? 60_000);
}

export interface ReplayOptions {
  /** Lines per second; 0 sends as fast as the target accepts. */
  rate: number;
  /** Stop after this many lines (repeating the file if `loop`). */
  limit?: number;
  loop?: boolean;
  /** Called with each line just before it is sent (the benchmark stamps send times here). */
  onSend?: (line: string, index: number) => string;
}

const MAX_CACHED = 64 * 1024 * 1024;

/** The file's lines; a looping replay keeps a file up to 64 MB in memory instead of rereading. */
async function* fileLines(file: string, cache?: string[][]): AsyncGenerator<string> {
  if (cache?.[0]) return yield* cache[0];
  const lines: string[] = [];
  const keep = cache !== undefined && fs.statSync(file).size <= MAX_CACHED && !file.endsWith('.gz');
  for await (const line of readLines(file)) {
    if (keep) lines.push(line);
    yield line;
  }
  if (keep) cache.push(lines);
}

async function* readLines(file: string): AsyncGenerator<string> {
  const raw = fs.createReadStream(file);
  const input = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  for await (const line of readline.createInterface({ input, crlfDelay: Infinity }))
    if (line.trim()) yield line;
}

/** Stream the file's non-empty lines to the sender at the rate; returns how many were sent. */
export async function replay(file: string, sender: Sender, opts: ReplayOptions): Promise<number> {
  const limit = opts.limit ?? Infinity;
  const tickMs = 10;
  const perTick = opts.rate > 0 ? Math.max(1, Math.round((opts.rate * tickMs) / 1000)) : 1000;
  const started = Date.now();
  let sent = 0;
  let batch: string[] = [];
  const cache: string[][] | undefined = opts.loop ? [] : undefined;
  do {
    let any = false;
    for await (const line of fileLines(file, cache)) {
      any = true;
      batch.push(opts.onSend ? opts.onSend(line, sent + batch.length) : line);
      if (batch.length >= perTick || sent + batch.length >= limit) {
        await sender.send(batch);
        sent += batch.length;
        batch = [];
        if (sent >= limit) return sent;
        if (opts.rate > 0) {
          const due = started + (sent / opts.rate) * 1000;
          if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
        }
      }
    }
    if (!any) break;
  } while (opts.loop && sent + batch.length < limit);
  if (batch.length) await sender.send(batch);
  return sent + batch.length;
}
