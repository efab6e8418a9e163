// Compiles one detection item (`Field|mod|mod: value(s)`) into a closure and its probes.
import { compileCidr } from './cidr';
import { anyLower, heldObject, makeGetter, type Getter } from './fields';
import {
  applyTransforms,
  COMPARES,
  KNOWN_MODIFIERS,
  position,
  POSITIONS,
  TRANSFORMS,
} from './modifiers';
import { anyShape } from './literals';
import { shapeOf, type Shape } from './pattern';
import { compileRegex, requiredLiteral } from './regex';
import type { EvalCtx, Pred, Probe } from './types';

export interface ItemEnv {
  fieldNames: (field: string) => string[];
  placeholders: Record<string, string[]>;
}

export interface CompiledItem {
  pred: Pred;
  probes: Probe[] | null;
  /** Rough evaluation cost, so cheap tests run first inside and/or. */
  cost: number;
}

const COMPARE_COST: Record<string, number> = {
  exists: 1,
  gt: 2,
  gte: 2,
  lt: 2,
  lte: 2,
  fieldref: 3,
  cidr: 10,
  re: 20,
};
const SHAPE_COST = { eq: 1, sw: 2, ew: 2, co: 4, any: 1, glob: 8 };

type StrTest = (s: string) => boolean;

function allOf(tests: StrTest[]): StrTest {
  if (tests.length === 1) return tests[0];
  return (s) => {
    for (const t of tests) if (!t(s)) return false;
    return true;
  };
}

/** Splits `Field|mod|mod` and checks every modifier is known and used in a valid combination. */
export function splitKey(key: string): { field: string; mods: string[] } {
  const [field, ...mods] = key.split('|');
  for (const m of mods) {
    if (!KNOWN_MODIFIERS.has(m)) {
      throw new Error(
        `unknown modifier "${m}" in "${key}"; known modifiers: ${[...KNOWN_MODIFIERS].join(', ')}`,
      );
    }
  }
  const positions = mods.filter((m) => POSITIONS.has(m));
  const compares = mods.filter((m) => COMPARES.has(m));
  if (positions.length > 1)
    throw new Error(`"${key}" combines ${positions.join(' and ')}; use one`);
  if (compares.length > 1) throw new Error(`"${key}" combines ${compares.join(' and ')}; use one`);
  if (compares.length && compares[0] !== 'fieldref' && positions.length) {
    throw new Error(`"${key}": ${compares[0]} cannot be combined with ${positions[0]}`);
  }
  for (const flag of ['i', 'm', 's']) {
    if (mods.includes(flag) && !mods.includes('re'))
      throw new Error(`"${key}": modifier "${flag}" is a flag of "re"`);
  }
  return { field, mods };
}

/** Lower-cased unless `cased`: the string form a value is compared in. */
function caseFold(cased: boolean, s: string): string {
  return cased ? s : s.toLowerCase();
}

function stringPred(get: Getter, test: StrTest, cased: boolean): Pred {
  const one = (v: unknown): boolean =>
    v !== null && v !== undefined && typeof v !== 'object' && test(caseFold(cased, String(v)));
  if (!cased) {
    return (c) => {
      const s = get.lower(c);
      if (s !== undefined) return test(s);
      if (!heldObject(c, get)) return false;
      const raw = get.raw(c);
      return Array.isArray(raw) && raw.some(one);
    };
  }
  return (c) => {
    const raw = get.raw(c);
    return Array.isArray(raw) ? raw.some(one) : one(raw);
  };
}

function keywordPred(test: StrTest, cased: boolean): Pred {
  if (!cased) return (c: EvalCtx) => anyLower(c, test);
  const one = (v: unknown) =>
    v !== null && v !== undefined && typeof v !== 'object' && test(String(v));
  return (c: EvalCtx) => {
    for (const name in c.fields) {
      const v = c.fields[name];
      if (Array.isArray(v) ? v.some(one) : one(v)) return true;
    }
    return false;
  };
}

/** Keywords are searched in every field: probes on the pseudo-field `*` (see route.ts). */
function keywordProbes(shapes: Shape[]): Probe[] | null {
  const none = () => undefined;
  const out: Probe[] = [];
  for (const s of shapes) {
    const lits =
      s.kind === 'glob'
        ? s.tokens.filter((t): t is string => typeof t === 'string')
        : s.kind === 'any'
          ? []
          : [s.lit];
    if (!lits.length) return null;
    const longest = lits.reduce((a, b) => (b.length > a.length ? b : a));
    out.push({
      field: '*',
      kind: 'co',
      lit: longest.toLowerCase(),
      lower: none,
      raw: none,
      names: [],
    });
  }
  return out;
}

/** Compiles the values of one key: a scalar or a list (OR, or AND with `all`). */
export function compileItem(key: string, value: unknown, env: ItemEnv): CompiledItem {
  const { field, mods } = splitKey(key);
  const values = Array.isArray(value) ? value : [value];
  if (values.length === 0) throw new Error(`"${key}" has an empty value list`);
  const get = makeGetter(field ? env.fieldNames(field) : []);
  const compare = mods.find((m) => COMPARES.has(m));
  if (compare) {
    const pred = compileCompare(key, field, compare, mods, values, get, env);
    const indexable = compare === 're' && !mods.includes('all');
    const cost = COMPARE_COST[compare] * values.length;
    return { pred, probes: indexable ? regexProbes(field, values, get) : null, cost };
  }
  const all = mods.includes('all');
  const tests: StrTest[] = [];
  const probeSets: (Probe[] | null)[] = [];
  const valueShapes: Shape[][] = [];
  let cost = 0;
  const special: Pred[] = [];
  for (const v of values) {
    if (v === null) {
      special.push((c) => get.raw(c) === undefined || get.raw(c) === null);
      probeSets.push(null);
      continue;
    }
    if (typeof v === 'object')
      throw new Error(`"${key}" has a nested value; use a string, number or list`);
    const variants = valueVariants(String(v), mods, env, !field).map(shapeOf);
    for (const shape of variants) cost += SHAPE_COST[shape.kind];
    valueShapes.push(variants);
    probeSets.push(field ? shapeProbes(field, variants, get) : keywordProbes(variants));
  }
  if (valueShapes.length)
    tests.push(...(all ? valueShapes.map(anyShape) : [anyShape(valueShapes.flat())]));
  const item = assemble(field, get, tests, special, probeSets, all, mods.includes('cased'));
  return { ...item, cost: field ? cost : cost * 50 };
}

function valueVariants(v: string, mods: string[], env: ItemEnv, keyword: boolean) {
  const cased = mods.includes('cased');
  const variants = applyTransforms(
    v,
    mods.filter((m) => TRANSFORMS.has(m)),
    env.placeholders,
  );
  // A keyword (no field) is a full-text search: it matches inside a value, like `contains`.
  const pos = mods.find((m) => POSITIONS.has(m)) ?? (keyword ? 'contains' : undefined);
  return variants.map((t) =>
    position(t, pos).map((x) => (typeof x === 'string' && !cased ? x.toLowerCase() : x)),
  );
}

function shapeProbes(field: string, shapes: Shape[], get: Getter): Probe[] | null {
  const out: Probe[] = [];
  for (const s of shapes) {
    if (s.kind === 'any') return null;
    if (s.kind === 'glob') {
      const lits = s.tokens.filter((t): t is string => typeof t === 'string');
      if (!lits.length) return null;
      const longest = lits.reduce((a, b) => (b.length > a.length ? b : a));
      out.push({
        field,
        kind: 'co',
        lit: longest.toLowerCase(),
        lower: get.lower,
        raw: get.raw,
        names: get.names,
      });
    } else
      out.push({
        field,
        kind: s.kind,
        lit: s.lit.toLowerCase(),
        lower: get.lower,
        raw: get.raw,
        names: get.names,
      });
  }
  return out;
}

function assemble(
  field: string,
  get: Getter,
  tests: StrTest[],
  special: Pred[],
  probeSets: (Probe[] | null)[],
  all: boolean,
  cased: boolean,
): Omit<CompiledItem, 'cost'> {
  const preds: Pred[] = [...special];
  if (tests.length) {
    const t = allOf(tests);
    if (!field) preds.push(keywordPred(t, cased));
    else preds.push(stringPred(get, t, cased));
  }
  const probes = all
    ? (probeSets.find((p) => p !== null) ?? null)
    : probeSets.some((p) => p === null)
      ? null
      : (probeSets.flat() as Probe[]);
  if (all && special.length) {
    return { pred: (c) => preds.every((p) => p(c)), probes };
  }
  const pred = preds.length === 1 ? preds[0] : (c: EvalCtx) => preds.some((p) => p(c));
  return { pred, probes };
}

/** Probes for `re` values: the literal each pattern requires, when every pattern has one. */
function regexProbes(field: string, values: unknown[], get: Getter): Probe[] | null {
  const out: Probe[] = [];
  for (const v of values) {
    const lit = typeof v === 'string' ? requiredLiteral(v) : null;
    if (!lit) return null;
    out.push({
      field,
      kind: 'co',
      lit: lit.toLowerCase(),
      lower: get.lower,
      raw: get.raw,
      names: get.names,
    });
  }
  return out;
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string' || v.trim() === '') return NaN;
  return Number(v);
}

function compileCompare(
  key: string,
  field: string,
  compare: string,
  mods: string[],
  values: unknown[],
  get: Getter,
  env: ItemEnv,
): Pred {
  if (!field) throw new Error(`"${key}": ${compare} needs a field name`);
  const preds = values.map((v) => compareOne(key, compare, mods, v, get, env));
  if (mods.includes('all')) return (c) => preds.every((p) => p(c));
  return preds.length === 1 ? preds[0] : (c) => preds.some((p) => p(c));
}

function compareOne(
  key: string,
  compare: string,
  mods: string[],
  v: unknown,
  get: Getter,
  env: ItemEnv,
): Pred {
  switch (compare) {
    case 'exists': {
      if (typeof v !== 'boolean')
        throw new Error(`"${key}" expects true or false, got ${JSON.stringify(v)}`);
      return (c) => {
        const raw = get.raw(c);
        return (raw !== undefined && raw !== null) === v;
      };
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return numberCompare(key, compare, v, get);
    case 're': {
      if (typeof v !== 'string') throw new Error(`"${key}" expects a regular expression string`);
      const re = compileRegex(v, {
        i: mods.includes('i'),
        m: mods.includes('m'),
        s: mods.includes('s'),
      });
      return anyScalar(get, (s) => re.test(s));
    }
    case 'cidr': {
      const inNet = compileCidr(String(v));
      return anyScalar(get, inNet);
    }
    default:
      return fieldRef(key, mods, v, get, env);
  }
}

function numberCompare(key: string, op: string, v: unknown, get: Getter): Pred {
  const n = toNumber(v);
  if (Number.isNaN(n)) throw new Error(`"${key}" expects a number, got ${JSON.stringify(v)}`);
  const cmp: (x: number) => boolean =
    op === 'gt'
      ? (x) => x > n
      : op === 'gte'
        ? (x) => x >= n
        : op === 'lt'
          ? (x) => x < n
          : (x) => x <= n;
  return (c) => {
    const x = toNumber(get.raw(c));
    return !Number.isNaN(x) && cmp(x);
  };
}

/** Tests the raw (not lower-cased) string form of a scalar value, or of any element of a list. */
function anyScalar(get: Getter, test: StrTest): Pred {
  const one = (x: unknown) =>
    x !== null && x !== undefined && typeof x !== 'object' && test(String(x));
  return (c) => {
    const raw = get.raw(c);
    return Array.isArray(raw) ? raw.some(one) : one(raw);
  };
}

function fieldRef(key: string, mods: string[], v: unknown, get: Getter, env: ItemEnv): Pred {
  if (typeof v !== 'string' || !v) throw new Error(`"${key}" expects the name of another field`);
  const other = makeGetter(env.fieldNames(v));
  const cased = mods.includes('cased');
  const pos = mods.find((m) => POSITIONS.has(m));
  const read = (g: Getter, c: EvalCtx): string | undefined => {
    if (!cased) return g.lower(c);
    const raw = g.raw(c);
    return raw === undefined || raw === null || typeof raw === 'object' ? undefined : String(raw);
  };
  return (c) => {
    const a = read(get, c);
    const b = read(other, c);
    if (a === undefined || b === undefined) return false;
    if (pos === 'contains') return a.includes(b);
    if (pos === 'startswith') return a.startsWith(b);
    if (pos === 'endswith') return a.endsWith(b);
    return a === b;
  };
}
