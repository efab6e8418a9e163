// Guards that keep automated response from blocking the wrong thing or hammering a target: the
// allowlist, the per-enforcer block rate limit, retries with backoff and the circuit breaker.
import { BlockList, isIP } from 'node:net';

export const LOOPBACK_RANGES = ['127.0.0.0/8', '::1/128'];

export interface AllowlistOptions {
  /** The site's own addresses and ranges (CIDR or single addresses). */
  ranges?: string[];
  /** Loopback is protected unless this is explicitly false. */
  loopback?: boolean;
}

/** Addresses Haechi must never block. Bad entries throw, naming the entry. */
export class Allowlist {
  private readonly lists: { range: string; list: BlockList }[] = [];
  readonly ranges: string[];

  constructor(opts: AllowlistOptions = {}) {
    this.ranges = [...(opts.loopback === false ? [] : LOOPBACK_RANGES), ...(opts.ranges ?? [])];
    for (const r of this.ranges) this.lists.push({ range: r, list: rangeList(r) });
  }

  /** The range protecting `address`, or null when it may be blocked. */
  protects(address: string): string | null {
    const type = isIP(address);
    if (!type) return null;
    const family = type === 4 ? 'ipv4' : 'ipv6';
    return this.lists.find((l) => l.list.check(address, family))?.range ?? null;
  }
}

function rangeList(range: string): BlockList {
  const [addr, bits, extra] = range.split('/');
  const type = isIP(addr);
  const max = type === 4 ? 32 : 128;
  const prefix = bits === undefined ? max : Number(bits);
  if (!type || extra !== undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > max) {
    throw new Error(`allowlist: "${range}" is not an address or CIDR range`);
  }
  const list = new BlockList();
  list.addSubnet(addr, prefix, type === 4 ? 'ipv4' : 'ipv6');
  return list;
}

/** At most `perMinute` new blocks in any sliding minute. */
export class RateLimiter {
  private stamps: number[] = [];

  constructor(
    readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one slot; false when the limit is reached. */
  take(): boolean {
    const t = this.now();
    while (this.stamps.length && this.stamps[0] <= t - 60_000) this.stamps.shift();
    if (this.stamps.length >= this.perMinute) return false;
    this.stamps.push(t);
    return true;
  }
}

export type CircuitState = 'closed' | 'open' | 'half-open';

/** Opens after `threshold` consecutive failures; lets one trial through after `cooldownMs`. */
export class CircuitBreaker {
  state: CircuitState = 'closed';
  failures = 0;
  openedAt = 0;
  lastError?: string;

  constructor(
    readonly threshold: number,
    readonly cooldownMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  canTry(): boolean {
    if (this.state !== 'open') return true;
    if (this.now() - this.openedAt < this.cooldownMs) return false;
    this.state = 'half-open';
    return true;
  }

  success(): void {
    this.state = 'closed';
    this.failures = 0;
    this.lastError = undefined;
  }

  /** Records a failure; true when this failure opened the circuit. */
  failure(message: string): boolean {
    this.lastError = message;
    this.failures += 1;
    if (
      this.state === 'half-open' ||
      (this.state === 'closed' && this.failures >= this.threshold)
    ) {
      this.state = 'open';
      this.openedAt = this.now();
      return true;
    }
    return false;
  }
}

export interface RetryOptions {
  attempts: number;
  baseMs: number;
  maxMs: number;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Backoff before retry `n` (1-based): base·2^(n-1), capped, with ±20% jitter. */
export function backoffMs(n: number, opts: RetryOptions): number {
  const raw = Math.min(opts.maxMs, opts.baseMs * 2 ** (n - 1));
  return Math.round(raw * (0.8 + Math.random() * 0.4));
}
