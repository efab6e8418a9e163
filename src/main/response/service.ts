// The response service: matches playbooks against each new alert, moves actions through their
// lifecycle (pending → applied | failed; applied → expired | rolled-back; pending → rejected),
// audits every move with its actor and reason, and keeps the safety rules.
import { NotFoundError } from '../errors';
import { EventEmitter } from 'node:events';
import type { ContainStats, EnforcerInfo, PlaybookInfo } from '../../shared/api/response';
import type { Action, ActionState, Alert, AuditEntry, HaechiEvent } from '../../shared/types';
import { conditionMatches } from './condition';
import { DryRunEnforcer } from './enforcers/dry-run';
import { createLogger } from './log';
import { parsePlaybook, PlaybookError, type ActionSpec, type Playbook } from './playbook';
import { planActions } from './plan';
import { actionSummary, ResponseRepo, type AuditInput } from './repo';
import { Allowlist, type AllowlistOptions, type RetryOptions } from './safety';
import { containStats } from './stats';
import type { ActionRecord, Enforcer, Logger, ResponseStore } from './types';
import { EnforcerWorker, withTimeout, type WorkerHooks, type WorkerOptions } from './worker';
import { NotifyEnforcer } from './enforcers/notify';

export interface ResponseOptions {
  store: ResponseStore;
  enforcers: Enforcer[];
  playbooks?: Playbook[];
  allowlist?: AllowlistOptions;
  /** At most this many new blocks a minute per enforcer (default 60). */
  blocksPerMinute?: number;
  retry?: Partial<RetryOptions>;
  breaker?: { threshold?: number; cooldownMs?: number };
  concurrency?: number;
  confirmTimeoutMs?: number;
  logger?: Logger;
}

export interface ResponseEvents {
  action: [Action];
  audit: [AuditEntry];
  limit: [{ enforcer: string; perMinute: number; at: number }];
  notify: [{ channel: string; message: string; actionId: string; caseId?: string }];
  circuit: [{ enforcer: string; state: string; detail: string }];
}

const ACTIVE: ActionState[] = ['pending', 'applied'];
const MAX_TIMER_MS = 2 ** 31 - 1;

export class ResponseService extends EventEmitter<ResponseEvents> {
  private readonly repo: ResponseRepo;
  private readonly log: Logger;
  private readonly allowlist: Allowlist;
  private readonly records = new Map<string, ActionRecord>();
  private readonly active = new Map<string, string>();
  private readonly workers = new Map<string, EnforcerWorker>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly playbooks = new Map<string, Playbook>();
  private readonly pending: Promise<unknown>[] = [];

  private constructor(private readonly opts: ResponseOptions) {
    super();
    this.log = opts.logger ?? createLogger('response');
    this.repo = new ResponseRepo(opts.store);
    this.allowlist = new Allowlist(opts.allowlist);
    const all = [...opts.enforcers];
    if (!all.some((e) => e.kind === 'dry-run')) all.push(new DryRunEnforcer());
    if (!all.some((e) => e.kind !== 'dry-run' && e.supports('notify')))
      all.push(new NotifyEnforcer((n) => this.emit('notify', n)));
    for (const e of all)
      this.workers.set(e.name, new EnforcerWorker(e, this.workerOptions(), this.hooks(), this.log));
    for (const pb of opts.playbooks ?? []) this.playbooks.set(pb.name, pb);
  }

  /** Opens the service on a store: restores actions, re-queues pending ones, re-arms expiry. */
  static async create(opts: ResponseOptions): Promise<ResponseService> {
    const svc = new ResponseService(opts);
    svc.restore();
    return svc;
  }

  private workerOptions(): WorkerOptions {
    const o = this.opts;
    return {
      retry: { attempts: 3, baseMs: 100, maxMs: 5_000, ...o.retry },
      breakerThreshold: o.breaker?.threshold ?? 3,
      breakerCooldownMs: o.breaker?.cooldownMs ?? 5_000,
      blocksPerMinute: o.blocksPerMinute ?? 60,
      concurrency: o.concurrency ?? 16,
      confirmTimeoutMs: o.confirmTimeoutMs ?? 10_000,
    };
  }

  private restore(): void {
    for (const pb of this.repo.playbooks()) {
      try {
        this.playbooks.set(pb.name, parsePlaybook(pb.yaml, `saved:${pb.name}`));
      } catch (err) {
        this.log.error('saved playbook no longer valid', {
          playbook: pb.name,
          error: (err as Error).message,
        });
      }
    }
    const recs = this.repo.loadAll();
    for (const rec of recs) this.records.set(rec.action.id, rec);
    let requeued = 0;
    for (const rec of recs) {
      const a = rec.action;
      if (ACTIVE.includes(a.state)) this.active.set(rec.dedupeKey, a.id);
      if (a.state === 'applied') this.armExpiry(rec);
      if (a.state === 'pending' && (a.mode !== 'approve' || rec.approvedBy)) {
        this.worker(a.enforcer)?.enqueue(rec);
        requeued += 1;
      }
    }
    this.log.info('response started', {
      actions: recs.length,
      requeued,
      playbooks: this.playbooks.size,
      enforcers: this.workers.size,
    });
  }

  // ---- alerts in ------------------------------------------------------------------------------

  /** Matches every enabled playbook; returns at once, enforcement runs in the background. */
  onAlert(alert: Alert, event: HaechiEvent): void {
    for (const pb of this.playbooks.values()) {
      if (!pb.enabled || !conditionMatches(pb.when, alert, event)) continue;
      for (const planned of planActions(pb, alert, event, (s, m) => this.pickEnforcer(s, m))) {
        this.track(Promise.resolve().then(() => this.submit(planned.rec, planned.problem)));
      }
    }
  }

  private track(p: Promise<unknown>): void {
    const guarded = p.catch((err: Error) =>
      this.log.error('response step failed', { error: err.message }),
    );
    this.pending.push(guarded);
    void guarded.finally(() => this.pending.splice(this.pending.indexOf(guarded), 1));
  }

  private pickEnforcer(
    spec: ActionSpec,
    mode: Playbook['mode'],
  ): { name: string; problem?: string } {
    if (mode === 'dry-run')
      return {
        name: [...this.workers.values()].find((w) => w.enforcer.kind === 'dry-run')!.enforcer.name,
      };
    if (spec.enforcer) {
      const w = this.workers.get(spec.enforcer);
      if (!w)
        return { name: spec.enforcer, problem: `enforcer "${spec.enforcer}" is not configured` };
      if (!w.enforcer.supports(spec.action))
        return {
          name: spec.enforcer,
          problem: `enforcer "${spec.enforcer}" cannot carry out ${spec.action}`,
        };
      return { name: spec.enforcer };
    }
    const w = [...this.workers.values()].find(
      (x) => x.enforcer.kind !== 'dry-run' && x.enforcer.supports(spec.action),
    );
    return w
      ? { name: w.enforcer.name }
      : { name: 'none', problem: `no enforcer configured for ${spec.action}` };
  }

  private submit(rec: ActionRecord, problem?: string): void {
    const a = rec.action;
    const refusedBy = a.kind === 'block-ip' ? this.allowlist.protects(a.target) : null;
    if (refusedBy) problem = `refused: ${a.target} is in the allowlist (${refusedBy})`;
    if (problem) {
      this.log.warn('action refused', { playbook: a.playbook, kind: a.kind, error: problem });
      return this.failNew(rec, problem, refusedBy ? 'refused' : 'failed');
    }

    const existingId = this.active.get(rec.dedupeKey);
    if (existingId) return this.extend(this.records.get(existingId)!, a);

    this.records.set(a.id, rec);
    this.active.set(rec.dedupeKey, a.id);
    const awaiting = a.mode === 'approve';
    this.persist(rec, {
      actor: a.playbook,
      verb: awaiting ? 'awaiting-approval' : 'created',
      detail: `${actionSummary(a)}; ${a.reason}`,
    });
    if (!awaiting) this.workerOf(a).enqueue(rec);
  }

  private failNew(rec: ActionRecord, error: string, verb: string): void {
    Object.assign(rec.action, { state: 'failed', error, updatedAt: Date.now() });
    this.records.set(rec.action.id, rec);
    this.persist(rec, { actor: 'safety', verb, detail: error });
  }

  /** The same block again: one block, its TTL extended (never shortened). */
  private extend(rec: ActionRecord, again: Action): void {
    const a = rec.action;
    const until = Date.now() + again.ttlSec * 1000;
    const detail = `same ${a.kind} for alert ${again.alertId ?? '?'}: TTL extended to ${again.ttlSec}s from now`;
    if (a.state === 'pending') {
      a.ttlSec = Math.max(a.ttlSec, again.ttlSec);
      return this.persist(rec, { actor: again.playbook, verb: 'extended', detail });
    }
    if ((a.expiresAt ?? 0) + 1000 >= until) return; // already in force at least as long
    const enforcer = this.workerOf(a).enforcer;
    this.track(
      (async () => {
        if (enforcer.extend) await enforcer.extend(a, again.ttlSec);
        a.expiresAt = until;
        a.ttlSec = Math.round((until - (a.appliedAt ?? until)) / 1000);
        this.persist(rec, { actor: again.playbook, verb: 'extended', detail });
        this.armExpiry(rec);
      })(),
    );
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  private worker(name: string): EnforcerWorker | undefined {
    return this.workers.get(name);
  }

  /** The worker of an action's enforcer; throws when the configuration no longer has it. */
  private workerOf(a: Action): EnforcerWorker {
    const w = this.workers.get(a.enforcer);
    if (!w) throw new Error(`action ${a.id}: enforcer "${a.enforcer}" is not configured any more`);
    return w;
  }

  private persist(rec: ActionRecord, audit: AuditInput): void {
    rec.action.updatedAt = Date.now();
    const entry = this.repo.save(rec, audit);
    this.emit('audit', entry);
    this.emit('action', { ...rec.action });
  }

  private move(rec: ActionRecord, state: ActionState, audit: AuditInput): void {
    rec.action.state = state;
    if (!ACTIVE.includes(state) && this.active.get(rec.dedupeKey) === rec.action.id)
      this.active.delete(rec.dedupeKey);
    this.persist(rec, audit);
  }

  private hooks(): WorkerHooks {
    return {
      applied: (rec) => {
        const a = rec.action;
        const now = Date.now();
        Object.assign(a, {
          appliedAt: now,
          expiresAt: a.ttlSec ? now + a.ttlSec * 1000 : undefined,
          error: undefined,
        });
        if (a.mode !== 'dry-run' && a.kind !== 'notify') a.timeToContainMs = now - rec.receivedAt;
        const verb =
          a.mode === 'dry-run' ? 'recorded (dry-run, nothing enforced)' : 'confirmed in force';
        this.move(rec, 'applied', {
          actor: a.enforcer,
          verb: 'applied',
          detail: `${actionSummary(a)}: ${verb}`,
        });
        this.armExpiry(rec);
      },
      failed: (rec, error, actor) => {
        rec.action.error = error;
        this.move(rec, 'failed', { actor, verb: 'failed', detail: error });
      },
      deferred: (rec, error) => {
        rec.action.error = error;
        this.persist(rec, {
          actor: rec.action.enforcer,
          verb: 'retry-later',
          detail: `attempt ${rec.action.attempts}: ${error}`,
        });
      },
      limitReached: (enforcer, perMinute) => {
        const entry = this.repo.audit(enforcer, {
          actor: 'safety',
          verb: 'limit-reached',
          detail: `${perMinute} new blocks a minute`,
        });
        this.emit('audit', entry);
        this.emit('limit', { enforcer, perMinute, at: Date.now() });
      },
      circuit: (enforcer, state, detail) => {
        this.emit(
          'audit',
          this.repo.audit(enforcer, { actor: 'safety', verb: `circuit-${state}`, detail }),
        );
        this.emit('circuit', { enforcer, state, detail });
      },
    };
  }

  private armExpiry(rec: ActionRecord): void {
    const a = rec.action;
    clearTimeout(this.timers.get(a.id));
    if (!a.expiresAt) return;
    const wait = Math.max(0, a.expiresAt - Date.now());
    const timer = setTimeout(
      () =>
        this.track(wait > MAX_TIMER_MS ? Promise.resolve(this.armExpiry(rec)) : this.expire(rec)),
      Math.min(wait, MAX_TIMER_MS),
    );
    timer.unref();
    this.timers.set(a.id, timer);
  }

  private async expire(rec: ActionRecord, attempt = 1): Promise<void> {
    const a = rec.action;
    if (a.state !== 'applied' || (a.expiresAt ?? 0) > Date.now()) return;
    const enforcer = this.worker(a.enforcer)?.enforcer;
    try {
      // Targets with their own timeouts (nftables, CrowdSec) have already dropped the entry.
      if (enforcer && !enforcer.nativeTtl) await enforcer.rollback(a, rec.undo);
      this.move(rec, 'expired', {
        actor: 'ttl',
        verb: 'expired',
        detail: `${actionSummary(a)}: TTL of ${a.ttlSec}s ran out`,
      });
    } catch (err) {
      a.error = `expiry: ${(err as Error).message}`;
      this.log.warn('expiry failed, will retry', { action: a.id, attempt, error: a.error });
      const timer = setTimeout(
        () => this.track(this.expire(rec, attempt + 1)),
        Math.min(60_000, 500 * 2 ** attempt),
      );
      timer.unref();
      this.timers.set(a.id, timer);
    }
  }

  // ---- analyst commands -----------------------------------------------------------------------

  private require(id: string): ActionRecord {
    const rec = this.records.get(id);
    if (!rec) throw new NotFoundError(`action ${id} does not exist`);
    return rec;
  }

  private awaitingApproval(rec: ActionRecord, verb: string): void {
    const a = rec.action;
    if (a.state !== 'pending' || a.mode !== 'approve' || rec.approvedBy) {
      throw new Error(
        `action ${a.id} cannot be ${verb}: it is ${a.state}${rec.approvedBy ? `, approved by ${rec.approvedBy}` : ''}, not awaiting approval`,
      );
    }
  }

  approve(id: string, actor = 'analyst'): Action {
    const rec = this.require(id);
    this.awaitingApproval(rec, 'approved');
    const worker = this.workerOf(rec.action);
    rec.approvedBy = actor;
    rec.action.approvedBy = actor;
    this.persist(rec, { actor, verb: 'approved', detail: actionSummary(rec.action) });
    worker.enqueue(rec);
    return { ...rec.action };
  }

  reject(id: string, actor = 'analyst', reason = 'rejected by analyst'): Action {
    const rec = this.require(id);
    this.awaitingApproval(rec, 'rejected');
    this.move(rec, 'rejected', { actor, verb: 'rejected', detail: reason });
    return { ...rec.action };
  }

  /** One-click rollback: the enforcer restores the state it found before the action. */
  async rollback(id: string, actor = 'analyst'): Promise<Action> {
    const rec = this.require(id);
    const a = rec.action;
    if (a.state !== 'applied')
      throw new Error(`action ${id} cannot be rolled back: it is ${a.state}, not applied`);
    const enforcer = this.workerOf(a).enforcer;
    await withTimeout(enforcer.rollback(a, rec.undo), 30_000);
    clearTimeout(this.timers.get(id));
    this.move(rec, 'rolled-back', {
      actor,
      verb: 'rolled-back',
      detail: `${actionSummary(a)}: previous state restored`,
    });
    return { ...a };
  }

  // ---- reads ----------------------------------------------------------------------------------

  listActions(filter: { limit?: number; state?: string } = {}): Action[] {
    const out: Action[] = [];
    for (const rec of this.records.values())
      if (!filter.state || rec.action.state === filter.state) out.push({ ...rec.action });
    out.sort((x, y) => y.createdAt - x.createdAt);
    return out.slice(0, filter.limit ?? 500);
  }

  getAction(id: string): Action | undefined {
    const rec = this.records.get(id);
    return rec && { ...rec.action };
  }

  /** Audit entries, oldest first, for a case or one action. */
  audit(filter: { caseId?: string; subject?: string; limit?: number } = {}): AuditEntry[] {
    return this.repo.auditFor(filter);
  }

  containStats(): ContainStats {
    return containStats([...this.records.values()].map((r) => r.action));
  }

  listPlaybooks(): PlaybookInfo[] {
    return [...this.playbooks.values()].map((p) => ({
      name: p.name,
      mode: p.mode,
      enabled: p.enabled,
      yaml: p.yaml,
      problems: [],
    }));
  }

  /** Validates and saves a playbook (replacing one of the same name); problems leave it unsaved. */
  savePlaybook(yaml: string): PlaybookInfo {
    try {
      const pb = parsePlaybook(yaml, 'editor');
      this.repo.savePlaybook(pb.name, yaml);
      this.playbooks.set(pb.name, pb);
      this.log.info('playbook saved', { playbook: pb.name, mode: pb.mode });
      return { name: pb.name, mode: pb.mode, enabled: pb.enabled, yaml, problems: [] };
    } catch (err) {
      const problems = err instanceof PlaybookError ? err.problems : [(err as Error).message];
      const name = /^name:\s*(\S+)/m.exec(yaml)?.[1] ?? '';
      return { name, mode: 'dry-run', enabled: false, yaml, problems };
    }
  }

  async listEnforcers(): Promise<EnforcerInfo[]> {
    return Promise.all(
      [...this.workers.values()].map(async (w) => {
        const h = await withTimeout(w.enforcer.health(), 2_000).catch((err: Error) => ({
          ok: false,
          detail: err.message,
        }));
        const info: EnforcerInfo = {
          name: w.enforcer.name,
          kind: w.enforcer.kind,
          healthy: h.ok,
          circuit: w.breaker.state,
        };
        const lastError = h.ok ? w.breaker.lastError : h.detail;
        if (lastError) info.lastError = lastError;
        return info;
      }),
    );
  }

  /** Resolves once every queued step has finished (an enforcer behind an open circuit excepted). */
  async idle(): Promise<void> {
    for (let i = 0; i < 100; i += 1) {
      await Promise.all([...this.pending, ...[...this.workers.values()].map((w) => w.idle())]);
      if (
        !this.pending.length &&
        [...this.workers.values()].every((w) => w.queued === 0 || w.breaker.state === 'open')
      )
        return;
    }
  }

  async close(): Promise<void> {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const w of this.workers.values()) w.close();
    await Promise.allSettled(this.pending);
    await Promise.allSettled([...this.workers.values()].map((w) => w.enforcer.close?.()));
  }
}
