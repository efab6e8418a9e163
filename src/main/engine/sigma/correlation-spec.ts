// Reads the `correlation` section of a Sigma correlation rule into a CorrelationSpec.
import type { Locator } from './rule';
import {
  RuleError,
  type CorrelationSpec,
  type CorrelationType,
  type CountCondition,
} from './types';

const TYPES: CorrelationType[] = ['event_count', 'value_count', 'temporal', 'temporal_ordered'];
const OPS = ['gt', 'gte', 'lt', 'lte', 'eq', 'neq'] as const;
const UNITS: Record<string, number> = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3 };

/** `30s`, `5m`, `1h`, `2d`, `1w` → milliseconds. */
export function parseTimespan(v: unknown): number | null {
  const m = /^(\d+)\s*([smhdw])$/.exec(String(v ?? '').trim());
  return m ? Number(m[1]) * UNITS[m[2]] : null;
}

function list(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

export function compileCorrelation(section: unknown, loc: Locator): CorrelationSpec {
  const at = (k?: string) => loc.at(k ? ['correlation', k] : ['correlation']);
  if (typeof section !== 'object' || section === null || Array.isArray(section)) {
    throw new RuleError(
      '"correlation" must be a mapping with type, rules, timespan and condition',
      at(),
    );
  }
  const s = section as Record<string, unknown>;
  const type = s.type as CorrelationType;
  if (!TYPES.includes(type)) {
    throw new RuleError(
      `correlation type ${JSON.stringify(s.type)} is not one of ${TYPES.join(', ')}`,
      at(s.type === undefined ? undefined : 'type'),
    );
  }
  const rules = list(s.rules);
  if (!rules.length)
    throw new RuleError(
      'the correlation has no "rules"; list the ids or names of the rules it correlates',
      at(),
    );
  const timespanMs = parseTimespan(s.timespan);
  if (timespanMs === null || timespanMs <= 0) {
    throw new RuleError(
      `timespan ${JSON.stringify(s.timespan)} is not a duration such as 30s, 5m, 1h or 2d`,
      at(s.timespan === undefined ? undefined : 'timespan'),
    );
  }
  const conditions = readConditions(type, s.condition, rules.length, () => at('condition'));
  return {
    type,
    rules,
    groupBy: list(s['group-by']),
    timespanMs,
    conditions,
    generate: s.generate === true,
    aliases: readAliases(s.aliases),
  };
}

function readConditions(
  type: CorrelationType,
  v: unknown,
  nRules: number,
  where: () => ReturnType<Locator['at']>,
): CountCondition[] {
  if (v === undefined) {
    if (type === 'temporal' || type === 'temporal_ordered') return [{ op: 'gte', value: nRules }];
    throw new RuleError(
      `a ${type} correlation needs a condition such as "condition: {gte: 10}"`,
      where(),
    );
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new RuleError('the correlation condition must be a mapping such as {gte: 10}', where());
  }
  const o = v as Record<string, unknown>;
  const field = o.field === undefined ? undefined : String(o.field);
  if (type === 'value_count' && !field) {
    throw new RuleError(
      'a value_count correlation needs "field" in its condition (the field whose distinct values are counted)',
      where(),
    );
  }
  const out: CountCondition[] = [];
  for (const [k, val] of Object.entries(o)) {
    if (k === 'field') continue;
    if (!(OPS as readonly string[]).includes(k) || typeof val !== 'number') {
      throw new RuleError(
        `correlation condition "${k}: ${JSON.stringify(val)}" is not one of ${OPS.join(', ')} with a number`,
        where(),
      );
    }
    out.push({ op: k as CountCondition['op'], value: val, field });
  }
  if (!out.length)
    throw new RuleError('the correlation condition has no comparison such as gte: 10', where());
  return out;
}

function readAliases(v: unknown): Record<string, Record<string, string>> {
  if (typeof v !== 'object' || v === null) return {};
  const out: Record<string, Record<string, string>> = {};
  for (const [alias, m] of Object.entries(v as Record<string, unknown>)) {
    if (typeof m === 'object' && m !== null) {
      out[alias] = Object.fromEntries(
        Object.entries(m as Record<string, unknown>).map(([r, f]) => [r, String(f)]),
      );
    }
  }
  return out;
}

export function conditionHolds(conds: CountCondition[], n: number): boolean {
  return conds.every((c) => {
    switch (c.op) {
      case 'gt':
        return n > c.value;
      case 'gte':
        return n >= c.value;
      case 'lt':
        return n < c.value;
      case 'lte':
        return n <= c.value;
      case 'eq':
        return n === c.value;
      case 'neq':
        return n !== c.value;
    }
  });
}
