// Fast tests for long value lists: a list of `contains`, `startswith` or `endswith` literals becomes
// one regular expression alternation run by V8's native engine, and a list of exact values a Set.
//
// Why the alternations are safe: they consist of escaped literals only, with no quantifier, so the
// work at each start position is bounded by the pattern size and matching is linear in the input.
import { globMatch, type Shape } from './pattern';

export type StrTest = (s: string) => boolean;

/** Below this many literals of one kind, a plain loop is as fast as the alternation. */
const MIN_GROUP = 4;

export function escapeLiteral(lit: string): string {
  return lit.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function single(shape: Shape): StrTest {
  switch (shape.kind) {
    case 'eq': {
      const lit = shape.lit;
      return (s) => s === lit;
    }
    case 'sw': {
      const lit = shape.lit;
      return (s) => s.startsWith(lit);
    }
    case 'ew': {
      const lit = shape.lit;
      return (s) => s.endsWith(lit);
    }
    case 'co': {
      const lit = shape.lit;
      return (s) => s.includes(lit);
    }
    case 'any':
      return () => true;
    case 'glob': {
      const tokens = shape.tokens;
      return (s) => globMatch(tokens, s);
    }
  }
}

function group(kind: 'eq' | 'sw' | 'ew' | 'co', lits: string[]): StrTest {
  if (kind === 'eq') {
    const set = new Set(lits);
    return (s) => set.has(s);
  }
  const alt = lits.map(escapeLiteral).join('|');
  const re = new RegExp(kind === 'sw' ? `^(?:${alt})` : kind === 'ew' ? `(?:${alt})$` : alt);
  return (s) => re.test(s);
}

/** One test true when any of the shapes holds (the OR of a value list and its variants). */
export function anyShape(shapes: Shape[]): StrTest {
  const byKind = { eq: [] as string[], sw: [] as string[], ew: [] as string[], co: [] as string[] };
  const rest: StrTest[] = [];
  for (const s of shapes) {
    if (s.kind === 'any' || s.kind === 'glob') rest.push(single(s));
    else byKind[s.kind].push(s.lit);
  }
  const tests: StrTest[] = [];
  for (const kind of ['eq', 'sw', 'ew', 'co'] as const) {
    const lits = [...new Set(byKind[kind])];
    if (lits.length >= MIN_GROUP) tests.push(group(kind, lits));
    else for (const lit of lits) tests.push(single({ kind, lit }));
  }
  tests.push(...rest);
  if (tests.length === 1) return tests[0];
  return (s) => {
    for (const t of tests) if (t(s)) return true;
    return false;
  };
}
