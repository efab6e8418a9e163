// The source contract: a name, a zod-validated config and one job. Sources start and stop on
// their own and report state, events per second, lag, last error and their counts.
import type { z } from 'zod';
import type { HaechiEvent, SourceState, SourceStatus } from '../../../shared/types';
import type { SourceConfig } from '../../../shared/api/feed';
import { logger, type Logger } from '../../log';
import type { IntelStore } from '../../engine/intel/store';
import type { CursorStore } from '../../engine/intel/persist';
import { ParserSession, type FormatName, type ParseContext } from '../parsers';
import type { EventPipe } from '../pipe';
import { describePosition, type Quarantine } from '../quarantine';

export interface SourceEnv {
  pipe: EventPipe;
  quarantine: Quarantine;
  /** Folder for small state files (file positions). */
  stateDir: string;
  intel?: IntelStore;
  cursors?: CursorStore;
}

export interface SourceKind<O extends z.ZodType = z.ZodType> {
  kind: SourceConfig['kind'];
  options: O;
  create(config: SourceConfig, options: z.output<O>, env: SourceEnv): Source;
}

const EPS_WINDOW_MS = 5_000;

export abstract class Source {
  state: SourceState = 'stopped';
  lastError?: string;
  read = 0;
  parsed = 0;
  rejected = 0;
  dropped = 0;
  detail?: string;
  protected readonly log: Logger;
  private marks: [number, number][] = [];

  constructor(
    readonly config: SourceConfig & { id: string },
    protected readonly env: SourceEnv,
  ) {
    this.log = logger(`source:${config.kind}`);
  }

  get id(): string {
    return this.config.id;
  }

  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;

  status(): SourceStatus {
    return {
      id: this.id,
      name: this.config.name,
      kind: this.config.kind,
      state: this.state,
      eps: this.eps(),
      lagMs: this.env.pipe.lagMs,
      lastError: this.lastError,
      read: this.read,
      parsed: this.parsed,
      rejected: this.rejected,
      dropped: this.dropped,
      detail: this.detail,
    };
  }

  protected fail(err: unknown, where: string): void {
    this.lastError = `${where}: ${(err as Error)?.message ?? String(err)}`;
    this.log.error(`${this.config.name}: ${this.lastError}`);
  }

  /** Parse one line; a rejected line goes to the quarantine and never stops the source. */
  protected parseLine(
    session: ParserSession,
    line: string,
    ctx: ParseContext,
  ): HaechiEvent | undefined {
    this.read += 1;
    const out = session.parse(line, ctx);
    if (out.ok === true) {
      this.parsed += 1;
      return out.event;
    }
    if (out.ok === false) {
      this.rejected += 1;
      this.env.quarantine.add(this.config.name, describePosition(ctx.position), out.reason);
    }
    return undefined;
  }

  protected newSession(format: string | undefined): ParserSession {
    return new ParserSession((format ?? 'auto') as FormatName);
  }

  private eps(): number {
    const now = Date.now();
    this.marks.push([now, this.parsed]);
    this.marks = this.marks.filter(([t]) => now - t <= EPS_WINDOW_MS);
    const [t0, n0] = this.marks[0];
    return now - t0 > 0 ? Math.round(((this.parsed - n0) * 1000) / (now - t0)) : 0;
  }
}
