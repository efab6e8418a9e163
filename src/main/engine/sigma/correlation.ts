// Correlation rules on a stream of base-rule matches: event_count, value_count, temporal and
// temporal_ordered, grouped by field values within a timespan, with bounded memory.
//
// Windows are inclusive: two events whose times differ by exactly the timespan are in one window.
// After a correlation fires, its group starts over (one match per completed pattern).
// Known gap: `lt`/`lte` conditions are checked when a later event of the same group closes the
// window (or at flush()), not by a timer.
import type { HaechiEvent, RuleMatch } from '../../../shared/types';
import { conditionHolds } from './correlation-spec';
import type { CompiledRule, CorrelationSpec } from './types';

/** At most this many groups per correlation rule; the least recently used group is dropped. */
export const MAX_GROUPS = 10_000;
/** At most this many events remembered per group. */
export const MAX_PER_GROUP = 10_000;
const MAX_EVENT_IDS = 100;

interface Group {
  start: number;
  times: number[];
  values: Map<string, number>;
  ruleTimes: Map<string, number>;
  chain: (number | undefined)[];
  eventIds: string[];
}

export interface BaseHit {
  rule: CompiledRule;
  ev: HaechiEvent;
  time: number;
}

export class Correlator {
  private readonly groups = new Map<string, Group>();
  private readonly spec: CorrelationSpec;
  private readonly incremental: boolean;
  /** Event field names tried for a rule field name (the mapping's alternatives), memoised. */
  private readonly names = new Map<string, string[]>();

  /**
   * `fieldNames` gives the event field names a rule field resolves to, as for detection rules
   * (Mapping.fieldNames); without it a field is looked up by its own name only.
   */
  constructor(
    readonly rule: CompiledRule,
    private readonly fieldNames: (field: string) => string[] = (f) => [f],
  ) {
    this.spec = rule.correlation as CorrelationSpec;
    this.incremental = this.spec.conditions.every((c) => c.op !== 'lt' && c.op !== 'lte');
  }

  /** Index of the referenced rule this hit belongs to, or -1. */
  refIndex(rule: CompiledRule): number {
    return this.spec.rules.findIndex(
      (r) => r === rule.id || (rule.name !== undefined && r === rule.name),
    );
  }

  /** Feeds one base-rule match; returns the correlation match when the condition is met. */
  feed(hit: BaseHit): RuleMatch | null {
    const idx = this.refIndex(hit.rule);
    if (idx < 0 || Number.isNaN(hit.time)) return null;
    const key = this.groupKey(hit, this.spec.rules[idx]);
    if (key === null) return null;
    let g = this.groups.get(key);
    let closed: RuleMatch | null = null;
    if (g && hit.time - g.start > this.spec.timespanMs && !this.incremental) {
      closed = this.evaluate(key, g, true);
      g = undefined;
    }
    if (!g) g = this.newGroup(key, hit.time);
    else {
      this.groups.delete(key);
      this.groups.set(key, g);
    }
    this.record(g, hit, idx);
    const open = this.incremental ? this.evaluate(key, g, false) : null;
    return closed ?? open;
  }

  /** Evaluates windows that can only be judged once closed (lt/lte conditions). */
  flush(): RuleMatch[] {
    if (this.incremental) return [];
    const out: RuleMatch[] = [];
    for (const [key, g] of this.groups) {
      const m = this.evaluate(key, g, true);
      if (m) out.push(m);
    }
    this.groups.clear();
    return out;
  }

  get groupCount(): number {
    return this.groups.size;
  }

  private newGroup(key: string, time: number): Group {
    if (this.groups.size >= MAX_GROUPS) {
      const oldest = this.groups.keys().next().value as string;
      this.groups.delete(oldest);
    }
    const g: Group = {
      start: time,
      times: [],
      values: new Map(),
      ruleTimes: new Map(),
      chain: [],
      eventIds: [],
    };
    this.groups.set(key, g);
    return g;
  }

  /**
   * Value of a correlation field on a base rule's event: the alias for that rule when there is one,
   * then the field name through the mapping (its own name first, then the alternatives).
   */
  private fieldValue(hit: BaseHit, field: string, ref: string): unknown {
    const name = this.spec.aliases[field]?.[ref] ?? field;
    let names = this.names.get(name);
    if (!names) this.names.set(name, (names = this.fieldNames(name)));
    for (const n of names) {
      const v = hit.ev.fields[n];
      if (v !== undefined) return v;
    }
    return undefined;
  }

  private groupKey(hit: BaseHit, ref: string): string | null {
    const parts: string[] = [];
    for (const field of this.spec.groupBy) {
      const v = this.fieldValue(hit, field, ref);
      if (v === undefined || v === null) return null;
      parts.push(`${field}=${String(v)}`);
    }
    return parts.join(',');
  }

  private record(g: Group, hit: BaseHit, idx: number): void {
    const t = hit.time;
    const span = this.spec.timespanMs;
    const from = t - span;
    if (g.eventIds.length < MAX_EVENT_IDS) g.eventIds.push(hit.ev.id);
    switch (this.spec.type) {
      case 'event_count':
        g.times.push(t);
        g.times = g.times.filter((x) => x >= from && x <= t + span);
        if (g.times.length > MAX_PER_GROUP) g.times.splice(0, g.times.length - MAX_PER_GROUP);
        break;
      case 'value_count': {
        const field = this.spec.conditions[0].field as string;
        const v = this.fieldValue(hit, field, this.spec.rules[idx]);
        if (v !== undefined && v !== null) g.values.set(String(v), t);
        for (const [k, at] of g.values) if (at < from) g.values.delete(k);
        if (g.values.size > MAX_PER_GROUP) g.values.delete(g.values.keys().next().value as string);
        break;
      }
      case 'temporal':
        g.ruleTimes.set(this.spec.rules[idx], t);
        for (const [k, at] of g.ruleTimes) if (at < from) g.ruleTimes.delete(k);
        break;
      case 'temporal_ordered':
        this.advanceChain(g, idx, t);
        break;
    }
  }

  /** chain[i] is the start time of the latest in-order run of rules 0..i still in the window. */
  private advanceChain(g: Group, idx: number, t: number): void {
    if (idx === 0) g.chain[0] = t;
    else {
      const start = g.chain[idx - 1];
      if (start !== undefined && t - start <= this.spec.timespanMs) g.chain[idx] = start;
    }
  }

  private count(g: Group): number {
    switch (this.spec.type) {
      case 'event_count':
        return g.times.length;
      case 'value_count':
        return g.values.size;
      case 'temporal':
        return g.ruleTimes.size;
      case 'temporal_ordered': {
        let n = 0;
        while (n < this.spec.rules.length && g.chain[n] !== undefined) n++;
        return n;
      }
    }
  }

  private evaluate(key: string, g: Group, closing: boolean): RuleMatch | null {
    const n = this.count(g);
    if (!closing && !this.incremental) return null;
    if (!conditionHolds(this.spec.conditions, n)) return null;
    if (this.spec.type === 'temporal_ordered' && n < this.spec.rules.length) return null;
    this.groups.delete(key);
    const r = this.rule;
    return {
      ruleId: r.id,
      ruleTitle: r.title,
      level: r.level,
      tags: r.info.tags,
      selections: this.spec.rules,
      eventIds: g.eventIds,
      correlation: { type: this.spec.type, groupKey: key, count: n },
    };
  }
}
