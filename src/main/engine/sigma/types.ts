// Internal types of the Sigma engine: compiled rules, predicates, probes.
import type { HaechiEvent, Level, RuleInfo } from '../../../shared/types';

/** Per-event evaluation state: the fields and a cache of lower-cased string values. */
export interface EvalCtx {
  ev: HaechiEvent;
  fields: Record<string, unknown>;
  /** Generation of the current event: a cache slot is valid when gens[slot] === gen. */
  gen: number;
  gens: number[];
  /** Lower-cased values by field slot (see fields.ts; null: absent; false: an object or list). */
  vals: (string | null | false)[];
}

export type Pred = (c: EvalCtx) => boolean;

/** A literal a rule needs in one field, used to route events to the rule without running it. */
export interface Probe {
  field: string;
  kind: 'eq' | 'sw' | 'ew' | 'co';
  /** Lower-cased literal. */
  lit: string;
  /** Lower-cased value of the field on an event (the same lookup the rule uses). */
  lower: (c: EvalCtx) => string | undefined;
  raw: (c: EvalCtx) => unknown;
  /** Event field names the lookup tries (empty for keywords). */
  names: string[];
}

export interface LogSource {
  product?: string;
  category?: string;
  service?: string;
}

/** Where a problem was found inside the rule text (1-based). */
export interface Where {
  line?: number;
  column?: number;
}

export class RuleError extends Error {
  constructor(
    message: string,
    public readonly where: Where = {},
  ) {
    super(message);
  }
}

export type CorrelationType = 'event_count' | 'value_count' | 'temporal' | 'temporal_ordered';

export interface CountCondition {
  op: 'gt' | 'gte' | 'lt' | 'lte' | 'eq' | 'neq';
  value: number;
  field?: string;
}

export interface CorrelationSpec {
  type: CorrelationType;
  /** Referenced rules by id or name. */
  rules: string[];
  groupBy: string[];
  timespanMs: number;
  conditions: CountCondition[];
  generate: boolean;
  /** alias name → (rule id or name → field). */
  aliases: Record<string, Record<string, string>>;
}

export interface FilterSpec {
  /** Rule ids or names the filter applies to; empty means every rule of its log source. */
  rules: string[];
  test: Pred;
}

export interface CompiledRule {
  kind: 'detection' | 'correlation' | 'filter';
  id: string;
  /** The optional `name` used by correlation rules to reference a rule. */
  name?: string;
  title: string;
  level: Level;
  info: RuleInfo;
  file: string;
  yaml: string;
  logsource: LogSource;
  /** Detection: true when the condition holds. */
  test?: Pred;
  /** Detection: names of the selections true on an event (computed only on a match). */
  selections?: (c: EvalCtx) => string[];
  /** Detection: literals one of which must be present for the rule to match; null when unknown. */
  probes?: Probe[] | null;
  correlation?: CorrelationSpec;
  filter?: FilterSpec;
}
