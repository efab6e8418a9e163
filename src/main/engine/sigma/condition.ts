// The detection condition: `and`, `or`, `not`, parentheses, `1 of` / `all of` with wildcard names
// and `them`. Precedence, lowest first: or, and, not. Compiled to one closure per rule.
import type { EvalCtx, Pred, Probe } from './types';

export type Cond =
  | { t: 'and' | 'or'; a: Cond; b: Cond }
  | { t: 'not'; a: Cond }
  | { t: 'sel'; name: string }
  | { t: 'of'; all: boolean; names: string[] };

export interface Selection {
  pred: Pred;
  probes: Probe[] | null;
  /** Rough evaluation cost; and/or run their cheaper parts first (the result is the same). */
  cost: number;
}

function byCost(parts: Selection[]): Selection[] {
  return [...parts].sort((a, b) => a.cost - b.cost);
}

function costOf(parts: Selection[]): number {
  return parts.reduce((n, p) => n + p.cost, 0);
}

/** A condition error with the 0-based offset of the token it concerns. */
export class ConditionError extends Error {
  constructor(
    message: string,
    public readonly offset: number,
  ) {
    super(message);
  }
}

interface Tok {
  text: string;
  at: number;
}

function tokenize(text: string): Tok[] {
  const out: Tok[] = [];
  const re = /\s*([()]|\|[^]*|[^\s()]+)/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < text.length && (m = re.exec(text))) {
    out.push({ text: m[1], at: m.index + m[0].length - m[1].length });
  }
  return out;
}

function aggregationMessage(rest: string): string {
  const by = /\bby\s+([\w.-]+)/.exec(rest);
  const count = /count\(\s*([\w.-]*)\s*\)/.exec(rest);
  const type = count && count[1] ? `value_count (field: ${count[1]})` : 'event_count';
  return (
    `the aggregation "${rest.trim()}" is deprecated Sigma syntax; write a correlation rule of ` +
    `type ${type}` +
    (by ? ` with group-by: [${by[1]}]` : '') +
    ' and a timespan that references this rule, and keep only the selection in this condition'
  );
}

/** Parses a condition against the selection names defined in the rule. */
export function parseCondition(text: string, names: string[]): Cond {
  const toks = tokenize(text);
  let i = 0;
  const peek = () => toks[i]?.text.toLowerCase();
  const fail = (msg: string, tok = toks[i]): never => {
    throw new ConditionError(msg, tok ? tok.at : text.length);
  };

  const primary = (): Cond => {
    const tok = toks[i];
    if (!tok) return fail(`condition "${text}" ends where a selection name was expected`);
    const word = tok.text.toLowerCase();
    if (tok.text.startsWith('|')) return fail(aggregationMessage(tok.text.slice(1)));
    if (word === '(') {
      i++;
      const inner = orExpr();
      if (peek() !== ')') fail(`missing ")" in condition "${text}"`);
      i++;
      return inner;
    }
    if (word === '1' || word === 'all' || word === 'any') return quantified(word);
    if (['and', 'or', ')', 'of', 'them'].includes(word)) {
      return fail(`unexpected "${tok.text}" in condition "${text}"`);
    }
    if (!names.includes(tok.text)) {
      fail(
        `condition uses "${tok.text}", which is not a selection of this rule (selections: ${names.join(', ')})`,
      );
    }
    i++;
    return { t: 'sel', name: tok.text };
  };

  const quantified = (word: string): Cond => {
    const start = toks[i];
    i++;
    if (peek() !== 'of') fail(`expected "of" after "${start.text}" in condition "${text}"`);
    i++;
    const target = toks[i];
    if (!target) return fail(`"${start.text} of" needs a selection pattern or "them"`);
    i++;
    const matched = matchNames(target.text, names);
    if (!matched.length) fail(`"${target.text}" matches no selection of this rule`, target);
    return { t: 'of', all: word === 'all', names: matched };
  };

  const notExpr = (): Cond => {
    if (peek() === 'not') {
      i++;
      return { t: 'not', a: notExpr() };
    }
    return primary();
  };
  const andExpr = (): Cond => {
    let a = notExpr();
    while (peek() === 'and') {
      i++;
      a = { t: 'and', a, b: notExpr() };
    }
    return a;
  };
  const orExpr = (): Cond => {
    let a = andExpr();
    while (peek() === 'or') {
      i++;
      a = { t: 'or', a, b: andExpr() };
    }
    return a;
  };

  const tree = orExpr();
  if (i < toks.length) {
    const tok = toks[i];
    if (tok.text.startsWith('|')) fail(aggregationMessage(tok.text.slice(1)));
    fail(`unexpected "${tok.text}" in condition "${text}" (missing "and"/"or"?)`);
  }
  return tree;
}

/** `them` is every selection except those starting with `_`; `*` and `?` are wildcards. */
export function matchNames(pattern: string, names: string[]): string[] {
  if (pattern === 'them') return names.filter((n) => !n.startsWith('_'));
  const re = new RegExp(
    '^' +
      pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.') +
      '$',
  );
  return names.filter((n) => re.test(n));
}

/** Compiles a condition tree into a closure; also returns the probes one of which must hit. */
export function compileCondition(cond: Cond, sels: Map<string, Selection>): Selection {
  switch (cond.t) {
    case 'sel':
      return sels.get(cond.name) as Selection;
    case 'not': {
      const inner = compileCondition(cond.a, sels);
      const a = inner.pred;
      return { pred: (c) => !a(c), probes: null, cost: inner.cost };
    }
    case 'and':
    case 'or': {
      const a = compileCondition(cond.a, sels);
      const b = compileCondition(cond.b, sels);
      return cond.t === 'and' ? andOf([a, b]) : orOf([a, b]);
    }
    case 'of': {
      const parts = cond.names.map((n) => sels.get(n) as Selection);
      return cond.all ? andOf(parts) : orOf(parts);
    }
  }
}

export function andOf(parts: Selection[]): Selection {
  const preds = byCost(parts).map((p) => p.pred);
  const pred: Pred =
    preds.length === 1
      ? preds[0]
      : preds.length === 2
        ? (
            (a, b) => (c: EvalCtx) =>
              a(c) && b(c)
          )(preds[0], preds[1])
        : (c) => {
            for (const p of preds) if (!p(c)) return false;
            return true;
          };
  return { pred, probes: bestProbes(parts.map((p) => p.probes)), cost: costOf(parts) };
}

export function orOf(parts: Selection[]): Selection {
  const preds = byCost(parts).map((p) => p.pred);
  const pred: Pred =
    preds.length === 1
      ? preds[0]
      : preds.length === 2
        ? (
            (a, b) => (c: EvalCtx) =>
              a(c) || b(c)
          )(preds[0], preds[1])
        : (c) => {
            for (const p of preds) if (p(c)) return true;
            return false;
          };
  const probes = parts.some((p) => p.probes === null)
    ? null
    : parts.flatMap((p) => p.probes as Probe[]);
  return { pred, probes, cost: costOf(parts) };
}

/**
 * Of several necessary probe sets (AND), keep the most selective: the one whose shortest literal is
 * longest (a long literal rarely occurs by chance), then the one with fewer probes.
 */
export function bestProbes(sets: (Probe[] | null)[]): Probe[] | null {
  let best: Probe[] | null = null;
  let bestScore = -Infinity;
  for (const set of sets) {
    if (!set || !set.length) continue;
    const shortest = set.reduce((n, p) => Math.min(n, p.lit.length), Infinity);
    const score = Math.min(shortest, 24) - set.length / 1000;
    if (score > bestScore) {
      best = set;
      bestScore = score;
    }
  }
  return best;
}
