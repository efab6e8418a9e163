// CrowdSec Local API: a block is a `ban` decision, created as Haechi's machine (an alert carrying
// one decision, scenario `haechi/<action id>`), which every bouncer of the site then pulls from
// /v1/decisions/stream. Confirmation reads the bouncers' view. Decisions expire on their own;
// rollback deletes only the decisions this action created, so decisions made by others stay.
import { isIP } from 'node:net';
import { z } from 'zod';
import type { Action, ActionKind } from '../../../shared/types';
import { EnforcerError, type ApplyResult, type Enforcer, type EnforcerHealth } from '../types';

export const crowdsecConfig = z
  .object({
    url: z.string().url(),
    machineId: z.string().min(1).max(200),
    /** Names of credentials (sealed in the store), never the values themselves. */
    passwordSecret: z.string().min(1),
    bouncerKeySecret: z.string().min(1),
    timeoutMs: z.number().int().min(100).max(60_000).default(5_000),
  })
  .strict();
export type CrowdsecConfig = z.infer<typeof crowdsecConfig>;

export type SecretLookup = (name: string) => string;

// The Local API refuses a machine login whose user agent is not `name/version`.
const USER_AGENT = 'haechi/0.1';

interface Decision {
  id: number;
  duration: string;
  scenario: string;
  type: string;
  value: string;
}

/** Go's duration text ('9m59.76s', '-99ms', '1h0m0s') → ms. */
export function parseGoDuration(text: string): number {
  const sign = text.startsWith('-') ? -1 : 1;
  const unit: Record<string, number> = {
    h: 3_600_000,
    m: 60_000,
    s: 1000,
    ms: 1,
    µs: 0.001,
    us: 0.001,
    ns: 0.000001,
  };
  let total = 0;
  for (const m of text.matchAll(/([\d.]+)(ms|µs|us|ns|h|m|s)/g)) total += Number(m[1]) * unit[m[2]];
  return sign * total;
}

export class CrowdsecEnforcer implements Enforcer {
  readonly kind = 'crowdsec';
  readonly nativeTtl = true;
  readonly config: CrowdsecConfig;
  private token?: { value: string; until: number };

  constructor(
    readonly name: string,
    config: unknown,
    private readonly secret: SecretLookup,
  ) {
    this.config = crowdsecConfig.parse(config);
  }

  supports(kind: ActionKind): boolean {
    return kind === 'block-ip';
  }

  private async call(
    path: string,
    init: RequestInit & { auth: 'machine' | 'bouncer' },
  ): Promise<unknown> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
    };
    if (init.auth === 'bouncer') headers['x-api-key'] = this.secret(this.config.bouncerKeySecret);
    else headers.authorization = `Bearer ${await this.login()}`;
    let res: Response;
    try {
      res = await fetch(new URL(path, this.config.url), {
        ...init,
        headers,
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
      throw new EnforcerError(`${this.name}: cannot reach the Local API: ${cause}`);
    }
    if (res.status === 401 && init.auth === 'machine') this.token = undefined;
    const text = await res.text();
    if (!res.ok)
      throw new EnforcerError(
        `${this.name}: ${init.method ?? 'GET'} ${path.split('?')[0]} answered ${res.status}: ${text.slice(0, 200)}`,
        res.status < 500 && res.status !== 401,
      );
    return text ? JSON.parse(text) : null;
  }

  private async login(): Promise<string> {
    if (this.token && this.token.until > Date.now() + 30_000) return this.token.value;
    const body = JSON.stringify({
      machine_id: this.config.machineId,
      password: this.secret(this.config.passwordSecret),
      scenarios: [],
    });
    let res: Response;
    try {
      res = await fetch(new URL('/v1/watchers/login', this.config.url), {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT },
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
      throw new EnforcerError(`${this.name}: cannot reach the Local API: ${cause}`);
    }
    if (!res.ok)
      throw new EnforcerError(
        `${this.name}: machine login refused (${res.status})`,
        res.status === 403,
      );
    const out = (await res.json()) as { token: string; expire: string };
    this.token = { value: out.token, until: Date.parse(out.expire) || Date.now() + 600_000 };
    return out.token;
  }

  /** Decisions on `address` as the site's bouncers see them. */
  async decisions(address: string): Promise<Decision[]> {
    return (
      ((await this.call(`/v1/decisions?ip=${encodeURIComponent(address)}`, { auth: 'bouncer' })) as
        Decision[] | null) ?? []
    );
  }

  private async addDecision(action: Action, ttlSec: number): Promise<void> {
    const now = new Date().toISOString();
    const scenario = `haechi/${action.id}`;
    const alert = {
      scenario,
      scenario_hash: '',
      scenario_version: '',
      message: `Haechi: ${action.reason}`.slice(0, 500),
      events_count: 1,
      start_at: now,
      stop_at: now,
      capacity: 0,
      leakspeed: '0',
      simulated: false,
      events: [],
      source: { scope: 'Ip', value: action.target, ip: action.target },
      decisions: [
        {
          duration: `${ttlSec}s`,
          origin: 'haechi',
          scenario,
          scope: 'Ip',
          type: 'ban',
          value: action.target,
        },
      ],
    };
    await this.call('/v1/alerts', {
      method: 'POST',
      body: JSON.stringify([alert]),
      auth: 'machine',
    });
  }

  async apply(action: Action): Promise<ApplyResult> {
    if (!isIP(action.target))
      throw new EnforcerError(`${this.name}: "${action.target}" is not an IP address`, true);
    const bans = (await this.decisions(action.target)).filter((d) => d.type === 'ban');
    // A ban as long or longer is already in force (ours from before a restart, or the site's).
    if (bans.some((d) => parseGoDuration(d.duration) >= action.ttlSec * 1000 - 1000))
      return { undo: { present: true } };
    await this.addDecision(action, action.ttlSec);
    return { undo: { present: false } };
  }

  async confirm(action: Action): Promise<boolean> {
    return (await this.decisions(action.target)).some((d) => d.type === 'ban');
  }

  async extend(action: Action, ttlSec: number): Promise<void> {
    await this.addDecision(action, ttlSec);
  }

  /** Deletes the decisions this action created (and its extensions); others stay. */
  async rollback(action: Action): Promise<void> {
    const q = `/v1/alerts?scenario=${encodeURIComponent(`haechi/${action.id}`)}&ip=${encodeURIComponent(action.target)}`;
    const alerts =
      ((await this.call(q, { auth: 'machine' })) as { decisions?: Decision[] }[] | null) ?? [];
    for (const d of alerts.flatMap((a) => a.decisions ?? [])) {
      await this.call(`/v1/decisions/${d.id}`, { method: 'DELETE', auth: 'machine' });
    }
  }

  async health(): Promise<EnforcerHealth> {
    try {
      await this.decisions('192.0.2.1');
      return { ok: true, detail: this.config.url };
    } catch (err) {
      return { ok: false, detail: (err as Error).message };
    }
  }
}
