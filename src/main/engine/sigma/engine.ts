// The Sigma engine: routes each event to the rules of its log source, runs the compiled rules,
// applies filters, and feeds correlation rules.
import type { HaechiEvent, RuleInfo, RuleMatch } from '../../../shared/types';
import { Correlator } from './correlation';
import { newCache } from './fields';
import { loadMapping, type EventSource, type Mapping } from './logsource';
import { buildBucket, candidates, type Bucket, type Slot } from './route';
import type { CompiledRule, EvalCtx, Pred } from './types';

export interface EngineOptions {
  mapping?: Mapping;
  /** Route events by log source (default true; false only to measure what routing buys). */
  routing?: boolean;
  /** Index rules by required literals (default true; false only to measure it). */
  prefilter?: boolean;
}

export class SigmaEngine {
  private readonly mapping: Mapping;
  private readonly routing: boolean;
  private readonly prefilter: boolean;
  private rules: CompiledRule[] = [];
  private slots: Slot[] = [];
  private buckets = new Map<string, Bucket>();
  /** The same buckets by (interned) event source object: one identity lookup per event. */
  private bucketOf = new Map<EventSource | null, Bucket>();
  /** Matches of the event being matched (read by onCandidate). */
  private out: RuleMatch[] = [];
  private filtersOf = new Map<string, Pred[]>();
  private correlators: Correlator[] = [];
  private refsTo = new Map<string, Correlator[]>();
  private quiet = new Set<string>();
  private gen = 0;
  /** Evaluation state reused from event to event (see fields.ts: no allocation per event). */
  private readonly ctx: EvalCtx = { ev: null as unknown as HaechiEvent, fields: {}, ...newCache() };

  constructor(rules: CompiledRule[], opts: EngineOptions = {}) {
    this.mapping = opts.mapping ?? loadMapping();
    this.routing = opts.routing ?? true;
    this.prefilter = opts.prefilter ?? true;
    this.rules = [...rules];
    this.rebuild();
  }

  /** Every match of one event: detection rules, then correlation rules they complete. */
  match(ev: HaechiEvent): RuleMatch[] {
    const c = this.ctx;
    c.ev = ev;
    c.fields = ev.fields;
    c.gen++;
    const out: RuleMatch[] = [];
    this.out = out;
    candidates(this.bucketFor(ev), c, ++this.gen, this.onCandidate);
    return out;
  }

  /** Runs one candidate rule on the current event (one function for all events, no closure). */
  private readonly onCandidate = (slot: Slot): void => {
    const rule = slot.rule;
    const c = this.ctx;
    if (!(rule.test as Pred)(c)) return;
    const filters = slot.filters;
    if (filters && !filters.every((f) => f(c))) return;
    if (!slot.quiet) this.out.push(this.detectionMatch(rule, c));
    if (this.refsTo.size) this.correlate(rule, c.ev, this.out, 0);
  };

  /** Closes open correlation windows (end of an offline scan); returns what they produce. */
  flush(): RuleMatch[] {
    return this.correlators.flatMap((c) => c.flush());
  }

  ruleInfos(): RuleInfo[] {
    return this.rules.map((r) => r.info);
  }

  ruleSource(id: string): { id: string; file: string; yaml: string } | null {
    const r = this.rules.find((x) => x.id === id);
    return r ? { id: r.id, file: r.file, yaml: r.yaml } : null;
  }

  get size(): number {
    return this.rules.length;
  }

  /** Adds a rule, or replaces the rule with the same id. */
  addRule(rule: CompiledRule): void {
    this.rules = this.rules.filter((r) => r.id !== rule.id);
    this.rules.push(rule);
    this.rebuild();
  }

  replaceRule(rule: CompiledRule): void {
    this.addRule(rule);
  }

  removeRule(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    this.rebuild();
    return this.rules.length < before;
  }

  /** Number of rules an event of this source is checked against (for the benchmark's report). */
  bucketSize(ev: HaechiEvent): number {
    return this.bucketFor(ev).size;
  }

  private bucketFor(ev: HaechiEvent): Bucket {
    const source: EventSource | null = this.routing ? this.mapping.sourceOf(ev) : null;
    const known = this.bucketOf.get(source);
    if (known) return known;
    const key = source ? source.key : '*';
    let b = this.buckets.get(key);
    if (!b) {
      b = buildBucket(this.slots, source, this.prefilter);
      this.buckets.set(key, b);
    }
    this.bucketOf.set(source, b);
    return b;
  }

  private detectionMatch(rule: CompiledRule, c: EvalCtx): RuleMatch {
    return {
      ruleId: rule.id,
      ruleTitle: rule.title,
      level: rule.level,
      tags: rule.info.tags,
      selections: rule.selections ? rule.selections(c) : [],
      eventIds: [c.ev.id],
    };
  }

  private correlate(rule: CompiledRule, ev: HaechiEvent, out: RuleMatch[], depth: number): void {
    const targets = [
      ...(this.refsTo.get(rule.id) ?? []),
      ...(rule.name ? (this.refsTo.get(rule.name) ?? []) : []),
    ];
    if (!targets.length || depth > 8) return;
    const time = Date.parse(ev.time);
    for (const corr of new Set(targets)) {
      const m = corr.feed({ rule, ev, time });
      if (!m) continue;
      if (!this.quiet.has(corr.rule.id)) out.push(m);
      this.correlate(corr.rule, ev, out, depth + 1);
    }
  }

  private rebuild(): void {
    this.buckets.clear();
    this.bucketOf.clear();
    this.slots = this.rules
      .filter((r) => r.kind === 'detection')
      .map((rule): Slot => ({ rule, mark: 0, filters: null, quiet: false }));
    this.buildFilters();
    this.buildCorrelations();
    for (const slot of this.slots) {
      slot.filters = this.filtersOf.get(slot.rule.id) ?? null;
      slot.quiet = this.quiet.has(slot.rule.id);
    }
  }

  private buildFilters(): void {
    this.filtersOf.clear();
    const filters = this.rules.filter((r) => r.kind === 'filter');
    for (const f of filters) {
      const spec = f.filter as NonNullable<CompiledRule['filter']>;
      for (const r of this.rules) {
        if (r.kind !== 'detection') continue;
        const named =
          spec.rules.length === 0 ||
          spec.rules.includes(r.id) ||
          (!!r.name && spec.rules.includes(r.name));
        if (!named || !sameSource(f, r)) continue;
        const list = this.filtersOf.get(r.id) ?? [];
        list.push(spec.test);
        this.filtersOf.set(r.id, list);
      }
    }
  }

  private buildCorrelations(): void {
    this.correlators = this.rules
      .filter((r) => r.kind === 'correlation')
      .map((r) => new Correlator(r, (f) => this.mapping.fieldNames(f)));
    this.refsTo.clear();
    this.quiet.clear();
    for (const c of this.correlators) {
      const spec = c.rule.correlation as NonNullable<CompiledRule['correlation']>;
      for (const ref of spec.rules) {
        const list = this.refsTo.get(ref) ?? [];
        list.push(c);
        this.refsTo.set(ref, list);
      }
      if (!spec.generate) {
        for (const r of this.rules)
          if (spec.rules.includes(r.id) || (r.name && spec.rules.includes(r.name)))
            this.quiet.add(r.id);
      }
    }
  }
}

/** A filter applies to a rule when every key of the filter's log source equals the rule's. */
function sameSource(filter: CompiledRule, rule: CompiledRule): boolean {
  const f = filter.logsource;
  return (
    (f.product === undefined || f.product === rule.logsource.product) &&
    (f.category === undefined || f.category === rule.logsource.category) &&
    (f.service === undefined || f.service === rule.logsource.service)
  );
}
