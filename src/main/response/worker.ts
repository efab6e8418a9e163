// One worker per enforcer: a queue of actions to apply, with a concurrency limit, retries with
// backoff, confirmation and a circuit breaker. While the circuit is open actions wait (pending);
// a health check after the cooldown lets them through again.
import type { Action } from '../../shared/types';
import { backoffMs, CircuitBreaker, RateLimiter, sleep, type RetryOptions } from './safety';
import { EnforcerError, type ActionRecord, type Enforcer, type Logger } from './types';

export interface WorkerOptions {
  retry: RetryOptions;
  breakerThreshold: number;
  breakerCooldownMs: number;
  blocksPerMinute: number;
  concurrency: number;
  confirmTimeoutMs: number;
}

/** What the worker reports back; the service persists and audits each outcome. */
export interface WorkerHooks {
  applied(rec: ActionRecord): void;
  failed(rec: ActionRecord, error: string, actor: string): void;
  deferred(rec: ActionRecord, error: string): void;
  limitReached(enforcer: string, perMinute: number): void;
  circuit(enforcer: string, state: string, detail: string): void;
}

export class EnforcerWorker {
  readonly breaker: CircuitBreaker;
  private readonly limiter: RateLimiter;
  private readonly queue: ActionRecord[] = [];
  private running = 0;
  private probeTimer?: NodeJS.Timeout;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  private limitAnnounced = 0;

  constructor(
    readonly enforcer: Enforcer,
    private readonly opts: WorkerOptions,
    private readonly hooks: WorkerHooks,
    private readonly log: Logger,
  ) {
    this.breaker = new CircuitBreaker(opts.breakerThreshold, opts.breakerCooldownMs);
    this.limiter = new RateLimiter(opts.blocksPerMinute);
  }

  get queued(): number {
    return this.queue.length + this.running;
  }

  enqueue(rec: ActionRecord): void {
    if (this.queue.some((r) => r.action.id === rec.action.id)) return;
    this.queue.push(rec);
    this.pump();
  }

  private pump(): void {
    while (!this.closed && this.running < this.opts.concurrency && this.queue.length) {
      if (!this.breaker.canTry()) return this.scheduleProbe();
      // Half-open: one trial at a time until it succeeds.
      if (this.breaker.state === 'half-open' && this.running > 0) return;
      const rec = this.queue.shift()!;
      this.running += 1;
      void this.process(rec).finally(() => {
        this.running -= 1;
        this.pump();
        if (this.isIdle()) this.idleWaiters.splice(0).forEach((w) => w());
      });
    }
  }

  private async process(rec: ActionRecord): Promise<void> {
    const a = rec.action;
    // A retry is not a new block: only the first attempt takes a slot.
    const fresh = !a.attempts;
    if (fresh && a.kind !== 'notify' && this.enforcer.kind !== 'dry-run' && !this.limiter.take()) {
      this.announceLimit();
      return this.hooks.failed(
        rec,
        `rate limit reached: at most ${this.opts.blocksPerMinute} new blocks a minute on ${this.enforcer.name}`,
        'safety',
      );
    }
    let lastError = '';
    for (let attempt = 1; attempt <= this.opts.retry.attempts; attempt += 1) {
      a.attempts = (a.attempts ?? 0) + 1;
      try {
        await this.applyAndConfirm(rec);
        if (this.breaker.state !== 'closed')
          this.hooks.circuit(this.enforcer.name, 'closed', 'enforcer answered again');
        this.breaker.success();
        return this.hooks.applied(rec);
      } catch (err) {
        lastError = (err as Error).message;
        if (err instanceof EnforcerError && err.permanent)
          return this.hooks.failed(rec, lastError, this.enforcer.name);
        this.log.warn('apply failed', {
          enforcer: this.enforcer.name,
          action: a.id,
          attempt,
          error: lastError,
        });
        if (attempt < this.opts.retry.attempts && !this.closed)
          await sleep(backoffMs(attempt, this.opts.retry));
      }
    }
    this.defer(rec, lastError);
  }

  private async applyAndConfirm(rec: ActionRecord): Promise<void> {
    const res = await this.enforcer.apply(rec.action);
    // The first attempt saw the state before Haechi touched it; a retry (after a failed
    // confirmation, or a restart) sees Haechi's own change, so the first undo is kept.
    if (res.undo && rec.undo === undefined) rec.undo = res.undo;
    const ok = await withTimeout(this.enforcer.confirm(rec.action), this.opts.confirmTimeoutMs);
    if (!ok) throw new EnforcerError(`${this.enforcer.name}: applied but not confirmed in force`);
  }

  private defer(rec: ActionRecord, error: string): void {
    const opened = this.breaker.failure(error);
    if (opened) {
      this.log.error('circuit opened', {
        enforcer: this.enforcer.name,
        failures: this.breaker.failures,
        error,
      });
      this.hooks.circuit(this.enforcer.name, 'open', error);
    }
    this.hooks.deferred(rec, error);
    if (this.closed) return;
    this.queue.push(rec);
    if (this.breaker.state === 'open') this.scheduleProbe();
  }

  private scheduleProbe(): void {
    if (this.probeTimer || this.closed) return;
    const wait = Math.max(10, this.opts.breakerCooldownMs - (Date.now() - this.breaker.openedAt));
    this.probeTimer = setTimeout(() => void this.probe(), wait);
    this.probeTimer.unref();
  }

  private async probe(): Promise<void> {
    this.probeTimer = undefined;
    const h = await this.enforcer
      .health()
      .catch((err: Error) => ({ ok: false, detail: err.message }));
    if (h.ok) {
      this.hooks.circuit(this.enforcer.name, 'half-open', h.detail ?? 'healthy');
      this.breaker.canTry();
      return this.pump();
    }
    this.breaker.failure(h.detail ?? 'unhealthy');
    this.scheduleProbe();
  }

  private announceLimit(): void {
    if (Date.now() - this.limitAnnounced < 60_000) return;
    this.limitAnnounced = Date.now();
    this.log.warn('block rate limit reached', {
      enforcer: this.enforcer.name,
      perMinute: this.opts.blocksPerMinute,
    });
    this.hooks.limitReached(this.enforcer.name, this.opts.blocksPerMinute);
  }

  /** Resolves when nothing is queued or running (an open circuit counts as idle). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private isIdle(): boolean {
    return !this.running && (!this.queue.length || this.breaker.state === 'open');
  }

  close(): void {
    this.closed = true;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.queue.length = 0;
    this.idleWaiters.splice(0).forEach((w) => w());
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new EnforcerError(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

export type { Action };
