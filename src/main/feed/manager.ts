// The FeedManager: holds the configured sources, validates their options, starts and stops them
// one by one, and keeps the settings file (JSON, written atomically with fsync) in step.
import { NotFoundError } from '../errors';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { SourceStatus } from '../../shared/types';
import { sourceConfig, type QuarantineEntry, type SourceConfig } from '../../shared/api/feed';
import { logger } from '../log';
import type { IntelStore } from '../engine/intel/store';
import type { CursorStore } from '../engine/intel/persist';
import { EventPipe, type EventSink } from './pipe';
import { Quarantine } from './quarantine';
import type { Source, SourceEnv, SourceKind } from './sources/base';
import { fileTail } from './sources/file';
import { blocklistSource, mispSource, taxiiSource } from './sources/intel';
import { natsJetStream } from './sources/nats';
import { syslogTcp, syslogUdp } from './sources/syslog';
import { webSocketClient } from './sources/websocket';

const log = logger('feed');

export const SOURCE_KINDS: Record<SourceConfig['kind'], SourceKind> = {
  'syslog-tcp': syslogTcp,
  'syslog-udp': syslogUdp,
  file: fileTail,
  nats: natsJetStream,
  websocket: webSocketClient,
  taxii: taxiiSource,
  misp: mispSource,
  blocklist: blocklistSource,
};

export interface FeedManagerOptions {
  /** Resolves once the events are stored (acknowledged sources ack only after this). */
  sink: EventSink;
  /** Folder for sources.json and file positions. */
  dataDir: string;
  intel?: IntelStore;
  cursors?: CursorStore;
  /** Events queued between sources and the sink before sources are held back (default 10,000). */
  queueCapacity?: number;
  quarantineCapacity?: number;
}

type Stored = SourceConfig & { id: string };

export class FeedManager {
  readonly quarantine: Quarantine;
  readonly pipe: EventPipe;
  private readonly configs = new Map<string, Stored>();
  private readonly sources = new Map<string, Source>();
  private readonly settingsFile: string;

  constructor(private readonly opts: FeedManagerOptions) {
    this.quarantine = new Quarantine(opts.quarantineCapacity ?? 10_000);
    this.pipe = new EventPipe(opts.sink, opts.queueCapacity ?? 10_000);
    this.settingsFile = path.join(opts.dataDir, 'sources.json');
  }

  /** Read the settings file and start every enabled source (a failing one is reported, not fatal). */
  async load(): Promise<SourceStatus[]> {
    for (const raw of readSettings(this.settingsFile)) {
      const parsed = sourceConfig.safeParse(raw);
      if (!parsed.success) {
        log.error(`${this.settingsFile}: skipped a source: ${z.prettifyError(parsed.error)}`);
        continue;
      }
      const cfg = { ...parsed.data, id: parsed.data.id ?? newId() };
      this.configs.set(cfg.id, cfg);
      this.sources.set(cfg.id, this.build(cfg));
    }
    for (const cfg of this.configs.values())
      if (cfg.enabled) await this.start(cfg.id).catch(() => undefined);
    return this.list();
  }

  list(): SourceStatus[] {
    return [...this.sources.values()].map((s) => s.status());
  }

  get(id: string): Source | undefined {
    return this.sources.get(id);
  }

  /** Create or replace a source; its options are validated before anything runs. */
  async save(input: SourceConfig): Promise<SourceStatus> {
    const cfg: Stored = { ...input, id: input.id ?? newId() };
    const source = this.build(cfg);
    const old = this.sources.get(cfg.id);
    const wasRunning = old && old.state !== 'stopped';
    if (old) await old.stop();
    this.configs.set(cfg.id, cfg);
    this.sources.set(cfg.id, source);
    this.persist();
    if (cfg.enabled && (wasRunning || !old)) await source.start().catch(() => undefined);
    return source.status();
  }

  async remove(id: string): Promise<boolean> {
    const s = this.sources.get(id);
    if (!s) return false;
    await s.stop();
    this.sources.delete(id);
    this.configs.delete(id);
    this.persist();
    return true;
  }

  async start(id: string): Promise<SourceStatus> {
    const s = this.need(id);
    if (s.state === 'running' || s.state === 'starting') return s.status();
    await s.start();
    return s.status();
  }

  async stop(id: string): Promise<SourceStatus> {
    const s = this.need(id);
    await s.stop();
    return s.status();
  }

  /** Stop every source and wait until everything queued is stored. */
  async close(): Promise<void> {
    for (const s of this.sources.values())
      await s.stop().catch((err) => log.error(`stop ${s.config.name}: ${(err as Error).message}`));
    await this.pipe.drain();
  }

  listQuarantine(limit: number): QuarantineEntry[] {
    return this.quarantine.list(limit);
  }

  private need(id: string): Source {
    const s = this.sources.get(id);
    if (!s) throw new NotFoundError(`no source with id "${id}"`);
    return s;
  }

  private build(cfg: Stored): Source {
    const kind = SOURCE_KINDS[cfg.kind];
    const options = kind.options.safeParse(cfg.options);
    if (!options.success) {
      throw new Error(
        `source "${cfg.name}" (${cfg.kind}): invalid options: ${z.prettifyError(options.error)}`,
      );
    }
    const env: SourceEnv = {
      pipe: this.pipe,
      quarantine: this.quarantine,
      stateDir: this.opts.dataDir,
      intel: this.opts.intel,
      cursors: this.opts.cursors,
    };
    return kind.create(cfg, options.data, env);
  }

  private persist(): void {
    fs.mkdirSync(path.dirname(this.settingsFile), { recursive: true });
    const tmp = `${this.settingsFile}.tmp`;
    const fd = fs.openSync(tmp, 'w');
    fs.writeSync(fd, JSON.stringify([...this.configs.values()], null, 2));
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, this.settingsFile);
  }
}

function newId(): string {
  return crypto.randomUUID().slice(0, 8);
}

function readSettings(file: string): unknown[] {
  if (!fs.existsSync(file)) return [];
  const doc: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!Array.isArray(doc)) throw new Error(`${file}: expected a JSON array of sources`);
  return doc;
}
