// Field lookup: a rule's field name resolves to the event's own field or one of its mapped names
// (resources/mappings/sigma.yml), with a per-event cache of lower-cased values.
//
// The cache is two arrays indexed by a slot number given to each field name (and each list of
// alternative names) when rules are compiled; an entry is valid when its generation equals the
// event's. Nothing is allocated or cleared per event.
import type { EvalCtx } from './types';

/** A cached lookup: the lower-cased string, null when absent or null, false for objects/lists. */
export type Lowered = string | null | false;

const slots = new Map<string, number>();

/** The cache slot of a field name or name list (given at compile time, stable afterwards). */
export function slotOf(key: string): number {
  let n = slots.get(key);
  if (n === undefined) {
    n = slots.size;
    slots.set(key, n);
  }
  return n;
}

/** Per-event cache state; the engine keeps one and moves it to the next event with nextEvent. */
export function newCache(): Pick<EvalCtx, 'gen' | 'gens' | 'vals'> {
  return { gen: 0, gens: [], vals: [] };
}

/** True when the field (as last looked up with lower()) holds an object or a list. */
export function heldObject(c: EvalCtx, get: Getter): boolean {
  return c.gens[get.slot] === c.gen && c.vals[get.slot] === false;
}

export interface Getter {
  /** Slot of the cached lower-cased value in EvalCtx.vals. */
  slot: number;
  /** The event field names tried, in order. */
  names: string[];
  raw: (c: EvalCtx) => unknown;
  /** Lower-cased string form of a scalar value; undefined when absent, null or not a scalar. */
  lower: (c: EvalCtx) => string | undefined;
}

function lowerValue(v: unknown): Lowered {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v.toLowerCase();
  if (typeof v === 'object') return false;
  return String(v).toLowerCase();
}

function lowerAt(c: EvalCtx, slot: number, name: string): string | undefined {
  let s: Lowered;
  if (c.gens[slot] === c.gen) s = c.vals[slot];
  else {
    s = lowerValue(c.fields[name]);
    c.gens[slot] = c.gen;
    c.vals[slot] = s;
  }
  return typeof s === 'string' ? s : undefined;
}

/** Lower-cased scalar value of an event field by name (cached when rules use the name). */
export function lowerOf(c: EvalCtx, name: string): string | undefined {
  const slot = slots.get(name);
  if (slot !== undefined) return lowerAt(c, slot, name);
  const s = lowerValue(c.fields[name]);
  return typeof s === 'string' ? s : undefined;
}

/** Builds the lookup of one rule field over its candidate event field names, in order. */
export function makeGetter(names: string[]): Getter {
  if (names.length === 1) {
    const n = names[0];
    const slot = slotOf(n);
    return { slot, names, raw: (c) => c.fields[n], lower: (c) => lowerAt(c, slot, n) };
  }
  const first = (c: EvalCtx): string | undefined => {
    for (const n of names) if (c.fields[n] !== undefined) return n;
    return undefined;
  };
  // The resolved value is cached in a slot of its own, so later lookups cost one array read.
  const slot = slotOf(`\u0001${names.join('\u0001')}`);
  return {
    slot,
    names,
    raw: (c) => {
      const n = first(c);
      return n === undefined ? undefined : c.fields[n];
    },
    lower: (c) => {
      let s: Lowered;
      if (c.gens[slot] === c.gen) s = c.vals[slot];
      else {
        const n = first(c);
        s = n === undefined ? null : lowerValue(c.fields[n]);
        c.gens[slot] = c.gen;
        c.vals[slot] = s;
      }
      return typeof s === 'string' ? s : undefined;
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
