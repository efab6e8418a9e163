// File tail: follows a growing log across rotation (new inode at the path) and truncation (size
// below our position). The position is saved, fsynced, only after the sink stored the events,
// so a restart resumes exactly there: nothing lost, a line replayed at most once after a crash.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { HaechiEvent } from '../../../shared/types';
import { FORMATS } from '../parsers';
import { Source, type SourceEnv, type SourceKind } from './base';
import type { SourceConfig } from '../../../shared/api/feed';

export const fileOptions = z
  .object({
    path: z.string().min(1),
    format: z.enum(FORMATS).default('auto'),
    /** Where to begin a file seen for the first time. */
    from: z.enum(['start', 'end']).default('start'),
    pollMs: z.coerce.number().int().min(20).max(60_000).default(250),
    chunkBytes: z.coerce
      .number()
      .int()
      .min(4096)
      .max(16 * 1024 * 1024)
      .default(1024 * 1024),
  })
  .strict();
type FileOptions = z.output<typeof fileOptions>;

interface Position {
  ino: number;
  offset: number;
  line: number;
  /** How often this inode was truncated: keeps event ids unique when offsets start over. */
  gen?: number;
}

/** The positions of every tailed file, in one small JSON file written atomically with fsync. */
export class PositionFile {
  private data: Record<string, Position> = {};

  constructor(private readonly file: string) {
    try {
      this.data = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, Position>;
    } catch {
      this.data = {};
    }
  }

  get(key: string): Position | undefined {
    return this.data[key];
  }

  set(key: string, pos: Position): void {
    this.data[key] = pos;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    const fd = fs.openSync(tmp, 'w');
    fs.writeSync(fd, JSON.stringify(this.data));
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, this.file);
  }
}

class FileTailSource extends Source {
  private timer?: NodeJS.Timeout;
  private running = false;
  private busy?: Promise<void>;
  private fd?: number;
  private pos: Position = { ino: 0, offset: 0, line: 0 };
  private partial = '';
  private session;
  private readonly positions: PositionFile;

  constructor(
    config: SourceConfig & { id: string },
    env: SourceEnv,
    private readonly opts: FileOptions,
  ) {
    super(config, env);
    this.session = this.newSession(opts.format);
    this.positions = new PositionFile(path.join(env.stateDir, 'file-positions.json'));
    this.detail = opts.path;
  }

  async start(): Promise<void> {
    this.running = true;
    this.state = 'running';
    const saved = this.positions.get(this.opts.path);
    if (saved) this.pos = { ...saved };
    this.schedule(0);
    this.log.info(`${this.config.name}: tailing ${this.opts.path} from offset ${this.pos.offset}`);
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.busy;
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
    this.state = 'stopped';
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.busy = this.tick()
        .catch((err) => this.fail(err, this.opts.path))
        .finally(() => this.schedule(this.opts.pollMs));
    }, ms);
  }

  /** One poll: handle rotation/truncation, then read everything new, chunk by chunk. */
  private async tick(): Promise<void> {
    let st: fs.Stats;
    try {
      st = fs.statSync(this.opts.path);
    } catch {
      return; // not there (yet, or between rotation steps)
    }
    if (this.fd === undefined || st.ino !== this.pos.ino) await this.reopen(st);
    else if (st.size < this.pos.offset) this.restartAt(st.ino, 'truncated');
    while (this.running && (await this.readChunk())) {
      /* keep reading while there is more */
    }
  }

  private async reopen(st: fs.Stats): Promise<void> {
    if (this.fd !== undefined) {
      // Rotated: finish the old file first (it may still have lines we have not read).
      while (this.running && (await this.readChunk())) {
        /* drain old inode */
      }
      fs.closeSync(this.fd);
      this.restartAt(st.ino, 'rotated');
    } else if (this.pos.ino !== st.ino) {
      const first = this.pos.ino === 0;
      this.pos = { ino: st.ino, offset: first && this.opts.from === 'end' ? st.size : 0, line: 0 };
    } else if (st.size < this.pos.offset) {
      this.restartAt(st.ino, 'truncated');
    }
    this.fd = fs.openSync(this.opts.path, 'r');
  }

  private restartAt(ino: number, why: string): void {
    this.log.info(`${this.config.name}: ${this.opts.path} ${why}; reading from the start`);
    this.pos = { ino, offset: 0, line: 0, gen: ino === this.pos.ino ? (this.pos.gen ?? 0) + 1 : 0 };
    this.partial = '';
    this.session = this.newSession(this.opts.format);
  }

  /** Read, parse and store one chunk; save the position once stored. False at end of file. */
  private async readChunk(): Promise<boolean> {
    const buf = Buffer.allocUnsafe(this.opts.chunkBytes);
    const n = fs.readSync(
      this.fd!,
      buf,
      0,
      buf.length,
      this.pos.offset + Buffer.byteLength(this.partial),
    );
    if (n <= 0) return false;
    const text = this.partial + buf.subarray(0, n).toString('utf8');
    const lastNl = text.lastIndexOf('\n');
    if (lastNl < 0) {
      this.partial = text;
      return n === buf.length;
    }
    this.partial = text.slice(lastNl + 1);
    const lines = text.slice(0, lastNl).split('\n');
    const events: HaechiEvent[] = [];
    let offset = this.pos.offset;
    let line = this.pos.line;
    for (const l of lines) {
      line += 1;
      const id = `file:${this.pos.ino}:${this.pos.gen ?? 0}:${offset}`;
      const ev = this.parseLine(this.session, l, {
        source: this.config.name,
        id,
        position: { file: this.opts.path, record: line, offset },
      });
      if (ev) events.push(ev);
      offset += Buffer.byteLength(l) + 1;
    }
    await this.env.pipe.waitRoom();
    await this.env.pipe.enqueue(events);
    this.pos = { ...this.pos, offset, line };
    this.positions.set(this.opts.path, this.pos);
    return true;
  }
}

export const fileTail: SourceKind<typeof fileOptions> = {
  kind: 'file',
  options: fileOptions,
  create: (config, options, env) =>
    new FileTailSource(config as SourceConfig & { id: string }, env, options),
};
