// Field lookup: a rule's field name resolves to the event's own field or one of its mapped names
// (resources/mappings/sigma-fields.yml), with a per-event cache of lower-cased values.
import type { EvalCtx } from './types';

/** True when the field (as last looked up with lower()) holds an object or a list. */
export function heldObject(c: EvalCtx, get: Getter): boolean {
  return c.lower.get(get.key) === false;
}

export interface Getter {
  /** Key of the cached lower-cased value in EvalCtx.lower. */
  key: string;
  raw: (c: EvalCtx) => unknown;
  /** Lower-cased string form of a scalar value; undefined when absent, null or not a scalar. */
  lower: (c: EvalCtx) => string | undefined;
}

export function lowerOf(c: EvalCtx, name: string): string | undefined {
  const cached = c.lower.get(name);
  if (cached !== undefined) return typeof cached === 'string' ? cached : undefined;
  const v = c.fields[name];
  if (v === undefined || v === null || typeof v === 'object') {
    c.lower.set(name, v !== undefined && v !== null ? false : null);
    return undefined;
  }
  const s = typeof v === 'string' ? v.toLowerCase() : String(v).toLowerCase();
  c.lower.set(name, s);
  return s;
}

/** Builds the lookup of one rule field over its candidate event field names, in order. */
export function makeGetter(names: string[]): Getter {
  if (names.length === 1) {
    const n = names[0];
    return { key: n, raw: (c) => c.fields[n], lower: (c) => lowerOf(c, n) };
  }
  const first = (c: EvalCtx): string | undefined => {
    for (const n of names) if (c.fields[n] !== undefined) return n;
    return undefined;
  };
  // The resolved value is cached under a key of its own, so later lookups cost one map read.
  const key = `\u0001${names.join('\u0001')}`;
  return {
    key,
    raw: (c) => {
      const n = first(c);
      return n === undefined ? undefined : c.fields[n];
    },
    lower: (c) => {
      const cached = c.lower.get(key);
      if (cached !== undefined) return typeof cached === 'string' ? cached : undefined;
      const n = first(c);
      const s = n === undefined ? undefined : lowerOf(c, n);
      c.lower.set(key, s ?? (n === undefined ? null : false));
      return s;
    },
  };
}

/** True when a test holds on any scalar field value (or list element), lower-cased: keywords. */
export function anyLower(c: EvalCtx, test: (s: string) => boolean): boolean {
  for (const name in c.fields) {
    const s = lowerOf(c, name);
    if (s !== undefined) {
      if (test(s)) return true;
      continue;
    }
    const v = c.fields[name];
    if (!Array.isArray(v)) continue;
    for (const x of v)
      if (x !== null && typeof x !== 'object' && test(String(x).toLowerCase())) return true;
  }
  return false;
}
