// NATS JetStream: a durable pull consumer. Each message is acknowledged only after the sink has
// stored its event and the acks are flushed to the server, so a restart resumes after the last
// stored message. Event ids are `nats:STREAM:SEQ`, stable across redelivery, so a sink can
// ignore the rare duplicate a crash between "stored" and "acked" would cause.
import { AckPolicy, DeliverPolicy, connect, type JsMsg, type NatsConnection } from 'nats';
import { z } from 'zod';
import type { HaechiEvent } from '../../../shared/types';
import type { SourceConfig } from '../../../shared/api/feed';
import { FORMATS } from '../parsers';
import { Source, type SourceEnv, type SourceKind } from './base';

export const natsOptions = z
  .object({
    url: z
      .string()
      .regex(/^(nats|tls):\/\//)
      .default('nats://127.0.0.1:4222'),
    stream: z.string().regex(/^[\w-]+$/),
    subject: z.string().min(1),
    durable: z
      .string()
      .regex(/^[\w-]+$/)
      .default('haechi'),
    format: z.enum(FORMATS).default('auto'),
    batch: z.coerce.number().int().min(1).max(10_000).default(1000),
    flushMs: z.coerce.number().int().min(0).max(1000).default(2),
    createStream: z.boolean().default(false),
    /** How long the server waits for an ack before redelivering (after a crash, the resume delay). */
    ackWaitSec: z.coerce.number().int().min(1).max(3600).default(30),
    token: z.string().optional(),
  })
  .strict();
type NatsOptions = z.output<typeof natsOptions>;

class NatsSource extends Source {
  private nc?: NatsConnection;
  private running = false;
  private loop?: Promise<void>;
  private chain: Promise<void> = Promise.resolve();
  /** Set when a batch could not be stored before stop: nothing after it may be acknowledged. */
  private broken = false;
  private readonly session;

  constructor(
    config: SourceConfig & { id: string },
    env: SourceEnv,
    private readonly opts: NatsOptions,
  ) {
    super(config, env);
    this.session = this.newSession(opts.format);
    // Shown in the status and the log: without any user:password@ in the address.
    const url = opts.url.replace(/^((?:nats|tls):\/\/)[^/@]*@/, '$1');
    this.detail = `${url} ${opts.stream}/${opts.durable}`;
  }

  async start(): Promise<void> {
    this.state = 'starting';
    try {
      this.nc = await connect({
        servers: this.opts.url,
        name: `haechi:${this.config.name}`,
        token: this.opts.token,
        reconnect: true,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 500,
        reconnectJitter: 250,
      });
      await this.ensureConsumer(this.nc);
    } catch (err) {
      this.state = 'error';
      this.fail(err, 'connect');
      await this.nc?.close();
      throw err;
    }
    this.running = true;
    this.broken = false;
    this.state = 'running';
    this.loop = this.run(this.nc);
    this.log.info(`${this.config.name}: consuming ${this.detail}`);
  }

  private async ensureConsumer(nc: NatsConnection): Promise<void> {
    const jsm = await nc.jetstreamManager();
    const { stream, subject, durable } = this.opts;
    if (this.opts.createStream) {
      await jsm.streams
        .info(stream)
        .catch(() => jsm.streams.add({ name: stream, subjects: [subject] }));
    }
    await jsm.consumers.info(stream, durable).catch(() =>
      jsm.consumers.add(stream, {
        durable_name: durable,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        filter_subject: subject,
        max_ack_pending: Math.max(this.opts.batch * 4, 1000),
        ack_wait: this.opts.ackWaitSec * 1_000_000_000,
      }),
    );
  }

  /**
   * Pull batches until stopped; each pull ends when full or after 1 s without messages. Receiving
   * overlaps storing: while batch N is stored (and then acked), batch N+1 is read, but never more
   * than that one batch ahead, and batches are stored and acked strictly in order.
   */
  private async run(nc: NatsConnection): Promise<void> {
    const consumer = await nc.jetstream().consumers.get(this.opts.stream, this.opts.durable);
    while (this.running && !this.broken) {
      try {
        const iter = await consumer.fetch({ max_messages: this.opts.batch, expires: 1000 });
        let pending: JsMsg[] = [];
        let timer: NodeJS.Timeout | undefined;
        const cut = () => {
          clearTimeout(timer);
          timer = undefined;
          const batch = pending;
          pending = [];
          return this.flush(batch);
        };
        for await (const m of iter) {
          pending.push(m);
          // A full batch waits for the one before it to be stored (backpressure); a partial one
          // is cut after flushMs.
          if (pending.length >= this.opts.batch) await cut();
          else timer ??= setTimeout(() => void cut(), this.opts.flushMs);
        }
        await cut();
      } catch (err) {
        this.fail(err, 'fetch');
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    await this.chain;
  }

  /** Queue a batch behind the ones before it; resolves when those earlier batches are stored. */
  private flush(msgs: JsMsg[]): Promise<void> {
    if (msgs.length === 0) return this.chain;
    const before = this.chain;
    this.chain = before.then(() => this.store(msgs));
    return before;
  }

  private toEvents(msgs: JsMsg[]): HaechiEvent[] {
    const events: HaechiEvent[] = [];
    const receivedAt = Date.now();
    const source = this.config.name;
    const prefix = `nats:${this.opts.stream}:`;
    for (const m of msgs) {
      const text = m.string();
      // The ack subject is on the message (JsMsgImpl.reply); m.seq would parse the full info.
      const seq = streamSeq((m as JsMsg & { reply?: string }).reply ?? '') ?? m.seq;
      const position = { seq };
      if (!text.includes('\n')) {
        const ev = this.parseLine(this.session, text, {
          source,
          id: prefix + seq,
          receivedAt,
          position,
        });
        if (ev) events.push(ev);
        continue;
      }
      const lines = text.split('\n').filter((l) => l.trim());
      for (let i = 0; i < lines.length; i++) {
        const id = lines.length > 1 ? `${prefix}${seq}:${i}` : prefix + seq;
        const ev = this.parseLine(this.session, lines[i], { source, id, receivedAt, position });
        if (ev) events.push(ev);
      }
    }
    return events;
  }

  /**
   * Store the batch through the pipe, then ack each message and flush the acks to the server. If
   * the sink fails, retry with backoff; if stopped meanwhile, ack nothing more, so the server
   * redelivers everything that was not stored.
   */
  private async store(msgs: JsMsg[]): Promise<void> {
    if (msgs.length === 0 || this.broken) return;
    const events = this.toEvents(msgs);
    for (let attempt = 0; ; attempt++) {
      try {
        await this.env.pipe.waitRoom();
        await this.env.pipe.enqueue(events);
        break;
      } catch (err) {
        this.fail(err, 'sink');
        if (!this.running) {
          this.broken = true;
          return;
        }
        await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** attempt)));
      }
    }
    // Explicit acks, one per message: AckAll would also acknowledge messages that a crashed
    // consumer had received but not stored (the SIGKILL test showed it) and other instances' ones.
    for (const m of msgs) m.ack();
    await this.nc?.flush();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop?.catch(() => undefined);
    await this.nc?.drain().catch(() => undefined);
    this.nc = undefined;
    this.state = 'stopped';
  }
}

/**
 * The stream sequence from a JetStream ack subject, without building the whole delivery info:
 * `$JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.…` (9 tokens) or, with domain and account hash,
 * `$JS.ACK.<domain>.<hash>.<stream>.<consumer>.<delivered>.<sseq>.…` (11 or 12 tokens).
 */
export function streamSeq(reply: string): number | undefined {
  if (!reply.startsWith('$JS.ACK.')) return undefined;
  let dots = 0;
  for (let i = 0; i < reply.length; i++) if (reply.charCodeAt(i) === 46) dots++;
  const index = dots === 8 ? 5 : 7;
  let start = 0;
  for (let k = 0; k < index; k++) start = reply.indexOf('.', start) + 1;
  const seq = Number(reply.slice(start, reply.indexOf('.', start)));
  return Number.isSafeInteger(seq) && seq > 0 ? seq : undefined;
}

export const natsJetStream: SourceKind<typeof natsOptions> = {
  kind: 'nats',
  options: natsOptions,
  create: (config, options, env) =>
    new NatsSource(config as SourceConfig & { id: string }, env, options),
};
