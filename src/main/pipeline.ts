// The foundation loop: events → evidence (segments + index rows) → rule matches → intel hits →
// model → score → alerts → cases → response. One store transaction per batch; live ticks (events
// per second, newest alerts, touched cases) throttled to four a second so a fast feed never floods
// the window.
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Store } from './store';
import type { CaseService, EventArchive } from './cases';
import type { VerdictModel } from './engine/model';
import { indicatorMatch, LEVEL_BASE, scoreMatch, type IntelHit } from './engine/score';
import { logger } from './log';
import type { Alert, Case, HaechiEvent, Level, RuleMatch } from '../shared/types';
import type { LiveTick } from '../shared/api/core';

const log = logger('pipeline');

/** The detection engine as the pipeline sees it: matches (and correlations) for a batch. */
export interface DetectionEngine {
  match(events: HaechiEvent[]): RuleMatch[];
}

/** Threat intelligence as the pipeline sees it: the indicators found in one event. */
export interface IntelMatcher {
  hits(event: HaechiEvent): IntelHit[];
}

/** The response side as the pipeline sees it: told of every new alert, after it is stored. */
export interface AlertResponder {
  onAlert(alert: Alert, event: HaechiEvent): void;
}

export interface PipelineDeps {
  store: Store;
  archive: EventArchive;
  cases: CaseService;
  model: VerdictModel;
  /** Read per batch, so the rule editor can swap the loaded rules at any time. */
  engine: () => DetectionEngine | null;
  intel?: () => IntelMatcher | null;
  responder?: () => AlertResponder | null;
  /** Default SNAPSHOT_EVERY_EVENTS. */
  snapshotEveryEvents?: number;
}

export interface BatchResult {
  events: number;
  matches: number;
  alerts: Alert[];
  cases: Set<string>;
}

export interface PipelineEvents {
  live: [LiveTick];
  case: [Case];
}

/** Events handled in one store transaction at most. */
export const MAX_BATCH = 2000;
/** Queued events beyond this are dropped (and counted) rather than exhausting memory. */
export const MAX_QUEUE = 200_000;
/** Ask the store for a snapshot after this many events (about 40 MB of journal). */
export const SNAPSHOT_EVERY_EVENTS = 250_000;
const TICK_MS = 250;
const TICK_ALERTS = 50;

export class Pipeline extends EventEmitter<PipelineEvents> {
  private queue: HaechiEvent[][] = [];
  private queued = 0;
  private draining = false;
  private dropped = 0;
  private second = 0;
  private secondCount = 0;
  private previousCount = 0;
  private newAlerts: Alert[] = [];
  private touched = new Set<string>();
  private ticker: NodeJS.Timeout | null = null;
  private lastTicked = -1;
  private idle: (() => void)[] = [];
  private sinceSnapshot = 0;

  constructor(private readonly deps: PipelineDeps) {
    super();
  }

  /** Events counted over the last full second. */
  eps(): number {
    this.rollSecond(Date.now());
    return this.previousCount;
  }

  droppedEvents(): number {
    return this.dropped;
  }

  /** Queue events from a live source; they are processed in batches off the caller's stack. */
  submit(events: HaechiEvent[]): void {
    if (events.length === 0) return;
    if (this.queued + events.length > MAX_QUEUE) {
      if (this.dropped === 0 || this.dropped % 100_000 < events.length) {
        log.warn(
          `queue full (${this.queued} events): dropping, ${this.dropped + events.length} so far`,
        );
      }
      this.dropped += events.length;
      return;
    }
    this.queue.push(events);
    this.queued += events.length;
    if (!this.draining) {
      this.draining = true;
      setImmediate(() => this.drain());
    }
  }

  /** Resolves once every submitted event has been processed. */
  whenIdle(): Promise<void> {
    if (!this.draining) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Process events now, in batches of MAX_BATCH (imports call this directly). */
  ingest(events: HaechiEvent[]): BatchResult {
    const total: BatchResult = { events: 0, matches: 0, alerts: [], cases: new Set() };
    for (let i = 0; i < events.length; i += MAX_BATCH) {
      const r = this.processBatch(events.slice(i, i + MAX_BATCH));
      total.events += r.events;
      total.matches += r.matches;
      total.alerts.push(...r.alerts);
      for (const id of r.cases) total.cases.add(id);
    }
    return total;
  }

  stop(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
  }

  private drain(): void {
    const batch: HaechiEvent[] = [];
    while (this.queue.length > 0 && batch.length < MAX_BATCH) {
      const next = this.queue[0];
      const room = MAX_BATCH - batch.length;
      if (next.length <= room) {
        batch.push(...next);
        this.queue.shift();
      } else {
        batch.push(...next.slice(0, room));
        this.queue[0] = next.slice(room);
      }
    }
    this.queued -= batch.length;
    try {
      this.processBatch(batch);
    } catch (err) {
      log.error(`batch of ${batch.length} events failed: ${(err as Error).message}`);
    }
    if (this.queue.length > 0) {
      setImmediate(() => this.drain());
      return;
    }
    this.draining = false;
    for (const resolve of this.idle.splice(0)) resolve();
  }

  private processBatch(events: HaechiEvent[]): BatchResult {
    const result: BatchResult = { events: events.length, matches: 0, alerts: [], cases: new Set() };
    if (events.length === 0) return result;

    // Match first: a rule that throws must not leave half a batch stored.
    const engine = this.deps.engine();
    const matches = engine ? engine.match(events) : [];
    matches.push(...this.indicatorMatches(events, matches));
    result.matches = matches.length;
    const byId = new Map(events.map((e) => [e.id, e]));
    const perEvent = countPerEvent(matches);

    // Store the evidence, the alerts and their cases in one transaction (one fsync).
    const alertEvents: [Alert, HaechiEvent][] = [];
    this.deps.store.transaction(() => {
      this.deps.archive.append(events);
      for (const match of matches) {
        const matched = this.eventsOf(match, byId);
        if (matched.length === 0) continue;
        const alert = this.alertFor(match, matched, perEvent);
        const touched = this.deps.cases.addAlert(alert, matched);
        if (touched) result.cases.add(touched.id);
        result.alerts.push(alert);
        alertEvents.push([alert, matched[matched.length - 1]]);
      }
    });

    this.maybeSnapshot(events.length);

    // Then tell the response side and the live view.
    const responder = this.deps.responder?.();
    for (const [alert, event] of alertEvents) {
      try {
        responder?.onAlert(alert, event);
      } catch (err) {
        log.error(`response to alert ${alert.id} failed: ${(err as Error).message}`);
      }
    }
    this.noteLive(events.length, result);
    return result;
  }

  /**
   * An alert about Haechi itself (an enforcer's block limit reached, its circuit opened): stored
   * in a case of its own and shown live like any other, with no event behind it.
   */
  raiseNotice(notice: { ruleId: string; title: string; level: Level; detail: string }): Alert {
    const points = LEVEL_BASE[notice.level];
    const alert: Alert = {
      id: `A-${randomBytes(6).toString('hex')}`,
      time: new Date().toISOString(),
      createdAt: Date.now(),
      score: points,
      severity: notice.level,
      title: notice.title,
      ruleId: notice.ruleId,
      tags: ['haechi.response'],
      parts: [{ kind: 'context', label: 'Raised by Haechi', points, detail: notice.detail }],
      eventIds: [],
    };
    const touched = this.deps.cases.addAlert(alert, []);
    this.noteLive(0, {
      events: 0,
      matches: 0,
      alerts: [alert],
      cases: new Set([touched?.id ?? '']),
    });
    return alert;
  }

  /** Alerts of their own for events that no rule matched but that carry known indicators. */
  private indicatorMatches(events: HaechiEvent[], matches: RuleMatch[]): RuleMatch[] {
    const intel = this.deps.intel?.();
    if (!intel) return [];
    const matched = new Set(matches.flatMap((m) => m.eventIds));
    const out: RuleMatch[] = [];
    for (const event of events) {
      if (matched.has(event.id)) continue;
      const hits = intel.hits(event);
      if (hits.length > 0) out.push(indicatorMatch(event.id, hits));
    }
    return out;
  }

  /** The events of a match: from this batch, or (correlations) from the evidence archive. */
  private eventsOf(match: RuleMatch, byId: Map<string, HaechiEvent>): HaechiEvent[] {
    const out: HaechiEvent[] = [];
    const missing: string[] = [];
    for (const id of match.eventIds) {
      const e = byId.get(id);
      if (e) out.push(e);
      else missing.push(id);
    }
    if (missing.length > 0) out.unshift(...this.deps.archive.getMany(missing.slice(-20)));
    return out;
  }

  private alertFor(match: RuleMatch, events: HaechiEvent[], perEvent: Map<string, number>): Alert {
    const last = events[events.length - 1];
    const sourceIp = pickString(events, 'source.ip');
    const host = pickString(events, 'host.name');
    const intel = this.deps.intel?.();
    const hits = intel ? events.slice(-20).flatMap((e) => intel.hits(e)) : [];
    const model = this.deps.model.adjust({
      ruleId: match.ruleId,
      tags: match.tags,
      sourceIp,
      host,
    });
    const others = Math.max(0, ...match.eventIds.map((id) => (perEvent.get(id) ?? 1) - 1));
    const scored = scoreMatch({ match, intel: hits, model, otherMatches: others });
    const alert: Alert = {
      id: `A-${randomBytes(6).toString('hex')}`,
      time: last.time,
      createdAt: Date.now(),
      score: scored.score,
      severity: scored.severity,
      title: match.ruleTitle,
      ruleId: match.ruleId,
      tags: match.tags,
      parts: scored.parts,
      eventIds: match.eventIds,
    };
    if (host) alert.host = host;
    if (sourceIp) alert.sourceIp = sourceIp;
    return alert;
  }

  /**
   * The store snapshots after a number of journal entries, however big they are; a fast feed
   * writes big entries, so the pipeline also asks for a snapshot every SNAPSHOT_EVERY_EVENTS
   * events, which keeps the journal (and the replay at start) bounded in bytes.
   */
  private maybeSnapshot(count: number): void {
    this.sinceSnapshot += count;
    if (this.sinceSnapshot < (this.deps.snapshotEveryEvents ?? SNAPSHOT_EVERY_EVENTS)) return;
    this.sinceSnapshot = 0;
    this.deps.store
      .snapshot()
      .catch((err) => log.error(`snapshot failed: ${(err as Error).message}`));
  }

  private noteLive(count: number, result: BatchResult): void {
    this.rollSecond(Date.now());
    this.secondCount += count;
    this.newAlerts.push(...result.alerts);
    if (this.newAlerts.length > TICK_ALERTS) this.newAlerts = this.newAlerts.slice(-TICK_ALERTS);
    for (const id of result.cases) this.touched.add(id);
    if (!this.ticker) {
      this.ticker = setInterval(() => this.tick(), TICK_MS);
      this.ticker.unref?.();
    }
  }

  private tick(): void {
    const events = this.deps.archive.count();
    const eps = this.eps();
    if (this.newAlerts.length === 0 && this.touched.size === 0 && events === this.lastTicked) {
      if (eps === 0) this.stop();
      return;
    }
    this.lastTicked = events;
    const alerts = this.newAlerts.reverse();
    this.newAlerts = [];
    this.emit('live', { at: Date.now(), eps, events, alerts });
    for (const id of [...this.touched].slice(0, TICK_ALERTS)) {
      const c = this.deps.cases.getCase(id);
      if (c) this.emit('case', c);
    }
    this.touched.clear();
  }

  private rollSecond(now: number): void {
    const second = Math.floor(now / 1000);
    if (second === this.second) return;
    this.previousCount = second === this.second + 1 ? this.secondCount : 0;
    this.second = second;
    this.secondCount = 0;
  }
}

function countPerEvent(matches: RuleMatch[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of matches) {
    if (m.correlation) continue;
    for (const id of m.eventIds) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/** The newest non-empty value of a normalized field among the events. */
function pickString(events: HaechiEvent[], field: string): string | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const v = events[i].norm[field];
    if (typeof v === 'string' && v !== '' && v !== '-') return v;
  }
  return undefined;
}
