// WebSocket client: receives JSON events (one per message, or NDJSON lines), reconnects with
// exponential backoff and jitter, and pauses the socket while the queue is full.
import WebSocket from 'ws';
import { z } from 'zod';
import type { HaechiEvent } from '../../../shared/types';
import type { SourceConfig } from '../../../shared/api/feed';
import { FORMATS } from '../parsers';
import { Source, type SourceEnv, type SourceKind } from './base';

export const wsOptions = z
  .object({
    url: z.string().regex(/^wss?:\/\//),
    format: z.enum(FORMATS).default('auto'),
    token: z.string().optional(),
    minBackoffMs: z.coerce.number().int().min(10).max(60_000).default(250),
    maxBackoffMs: z.coerce.number().int().min(100).max(600_000).default(30_000),
  })
  .strict();
type WsOptions = z.output<typeof wsOptions>;

/** Delay before reconnect attempt `n` (0-based): doubling from min to max, ±20% jitter. */
export function backoff(n: number, min: number, max: number): number {
  const base = Math.min(max, min * 2 ** Math.min(n, 20));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

class WebSocketSource extends Source {
  private ws?: WebSocket;
  private running = false;
  private attempts = 0;
  private timer?: NodeJS.Timeout;
  private seq = 0;
  reconnects = 0;
  private readonly session;

  constructor(
    config: SourceConfig & { id: string },
    env: SourceEnv,
    private readonly opts: WsOptions,
  ) {
    super(config, env);
    this.session = this.newSession(opts.format);
    // Shown in the status and the log: without the query or any user:password@ in the address.
    this.detail = opts.url.replace(/\?.*$/, '').replace(/^(wss?:\/\/)[^/@]*@/, '$1');
  }

  async start(): Promise<void> {
    this.running = true;
    this.state = 'starting';
    this.connect();
  }

  private connect(): void {
    if (!this.running) return;
    const headers = this.opts.token ? { Authorization: `Bearer ${this.opts.token}` } : undefined;
    const ws = new WebSocket(this.opts.url, { headers, maxPayload: 16 * 1024 * 1024 });
    this.ws = ws;
    ws.on('open', () => {
      this.attempts = 0;
      this.state = 'running';
      this.log.info(`${this.config.name}: connected to ${this.detail}`);
    });
    ws.on('message', (data) => this.onMessage(ws, data.toString()));
    ws.on('error', (err) => this.fail(err, 'websocket'));
    ws.on('close', () => this.retry());
  }

  private retry(): void {
    if (!this.running) return;
    this.state = 'error';
    const delay = backoff(this.attempts++, this.opts.minBackoffMs, this.opts.maxBackoffMs);
    this.reconnects += 1;
    this.timer = setTimeout(() => this.connect(), delay);
  }

  private onMessage(ws: WebSocket, text: string): void {
    const events: HaechiEvent[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      this.seq += 1;
      const ev = this.parseLine(this.session, line, {
        source: this.config.name,
        position: { seq: this.seq },
      });
      if (ev) events.push(ev);
    }
    const pipe = this.env.pipe;
    pipe.enqueue(events).catch((err) => this.fail(err, 'sink'));
    if (pipe.full && !ws.isPaused) {
      ws.pause();
      void pipe.waitRoom().then(() => ws.resume());
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    const ws = this.ws;
    this.ws = undefined;
    if (ws && ws.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        ws.terminate();
      });
    }
    this.state = 'stopped';
  }
}

export const webSocketClient: SourceKind<typeof wsOptions> = {
  kind: 'websocket',
  options: wsOptions,
  create: (config, options, env) =>
    new WebSocketSource(config as SourceConfig & { id: string }, env, options),
};
