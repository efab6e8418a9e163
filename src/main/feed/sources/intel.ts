// Intel sources: poll a TAXII 2.1 collection, a MISP feed or a blocklist URL on the user's
// schedule and upsert what they return into the indicator store.
import { z } from 'zod';
import type { SourceConfig } from '../../../shared/api/feed';
import { pollTaxii, pollUrl, type PollResult, type TaxiiOptions } from '../../engine/intel/poll';
import { Source, type SourceEnv, type SourceKind } from './base';

const common = {
  intervalSec: z.coerce
    .number()
    .int()
    .min(10)
    .max(7 * 86_400)
    .default(3600),
  token: z.string().optional(),
  username: z.string().optional(),
  password: z.string().optional(),
  confidence: z.coerce.number().int().min(0).max(100).optional(),
};

export const taxiiOptions = z
  .object({
    url: z.string().regex(/^https?:\/\//),
    pageSize: z.coerce.number().int().min(1).max(10_000).default(500),
    ...common,
  })
  .strict();
export const urlOptions = z.object({ url: z.string().regex(/^https?:\/\//), ...common }).strict();

type Poll = (cursor: string | undefined) => Promise<PollResult>;

export class IntelPollSource extends Source {
  private timer?: NodeJS.Timeout;
  private running = false;
  private busy?: Promise<void>;
  lastPoll?: { at: number; added: number; updated: number; removed: number; requests: number };

  constructor(
    config: SourceConfig & { id: string },
    env: SourceEnv,
    private readonly intervalSec: number,
    private readonly poll: Poll,
  ) {
    super(config, env);
  }

  async start(): Promise<void> {
    if (!this.env.intel) throw new Error('no indicator store configured for intel sources');
    this.running = true;
    this.state = 'running';
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.busy = this.pollOnce().finally(() => this.schedule(this.intervalSec * 1000));
    }, ms);
  }

  /** One poll now: fetch, upsert, remember the cursor. */
  async pollOnce(): Promise<void> {
    const intel = this.env.intel!;
    const cursors = this.env.cursors;
    try {
      const r = await this.poll(cursors?.getCursor(this.id));
      this.read += r.indicators.length + r.errors.length;
      this.parsed += r.indicators.length;
      this.rejected += r.errors.length;
      for (const e of r.errors.slice(0, 50)) this.env.quarantine.add(this.config.name, 'poll', e);
      const u = intel.upsert(r.indicators);
      if (r.cursor) cursors?.setCursor(this.id, r.cursor);
      this.lastPoll = {
        at: Date.now(),
        added: u.added,
        updated: u.updated,
        removed: u.removed,
        requests: r.requests,
      };
      this.detail = `${intel.size} indicators; last poll +${u.added} ~${u.updated} -${u.removed}`;
      this.lastError = undefined;
      this.state = 'running';
    } catch (err) {
      this.state = 'error';
      this.fail(err, 'poll');
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.busy;
    this.state = 'stopped';
  }
}

type CommonOptions = Pick<
  z.output<typeof urlOptions>,
  'intervalSec' | 'token' | 'username' | 'password'
>;
/** What every poll takes from the source: its name (the indicators' source) and its credentials. */
type PollBase = Pick<TaxiiOptions, 'source' | 'token' | 'username' | 'password'>;

/** A source that runs `poll` every `intervalSec`, with the source's name and credentials. */
const polled =
  <O extends CommonOptions>(
    poll: (o: O, base: PollBase, cursor: string | undefined) => Promise<PollResult>,
  ) =>
  (config: SourceConfig, o: O, env: SourceEnv) =>
    new IntelPollSource(config as SourceConfig & { id: string }, env, o.intervalSec, (c) =>
      poll(
        o,
        { source: config.name, token: o.token, username: o.username, password: o.password },
        c,
      ),
    );

export const taxiiSource: SourceKind<typeof taxiiOptions> = {
  kind: 'taxii',
  options: taxiiOptions,
  create: polled((o: z.output<typeof taxiiOptions>, base, c) =>
    pollTaxii({ collection: o.url, pageSize: o.pageSize, ...base }, c),
  ),
};

const urlKind = (kind: 'misp' | 'blocklist'): SourceKind<typeof urlOptions> => ({
  kind,
  options: urlOptions,
  create: polled((o: z.output<typeof urlOptions>, base, c) =>
    pollUrl({ url: o.url, confidence: o.confidence, ...base }, c),
  ),
});

export const mispSource = urlKind('misp');
export const blocklistSource = urlKind('blocklist');
