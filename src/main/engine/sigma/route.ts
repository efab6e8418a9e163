// Routing and prefiltering: for one event log source, the rules that may match, indexed by the
// literals they need, so most rules are never run on an event that cannot match them.
import { sourceMatches, type EventSource } from './logsource';
import { lowerOf } from './fields';
import { escapeLiteral } from './literals';
import type { CompiledRule, EvalCtx, Probe } from './types';

/** Longest prefix/suffix key for startswith/endswith probes (shorter literals use their length). */
const K = 12;

export interface Slot {
  rule: CompiledRule;
  mark: number;
  /** Filters that apply to the rule (null: none), set by the engine. */
  filters: ((c: EvalCtx) => boolean)[] | null;
  /** The rule's own matches are hidden (a correlation without `generate` uses it). */
  quiet: boolean;
}

interface FieldIndex {
  /** Rule field name, or `*` for keywords (every field of the event). */
  field: string;
  lower: Probe['lower'];
  raw: Probe['raw'];
  names: string[];
  /** Event generation this index was last looked at (byName visits it once per event). */
  mark: number;
  /** Every rule indexed on this field (visited when the event holds a list there). */
  all: Slot[];
  eq: Map<string, Slot[]>;
  sw: Map<string, Slot[]>;
  ew: Map<string, Slot[]>;
  /** sw / ew keyed by a hash of the key (see affixHash), so a lookup slices no string. */
  swByHash: Map<number, Affix[]>;
  ewByHash: Map<number, Affix[]>;
  /** Key lengths used in sw / ew (ascending), so an event is looked up only at those lengths. */
  swLens: number[];
  ewLens: number[];
  /** Length of the longest exact value: longer event values skip the (hashing) lookup. */
  eqMax: number;
  co: ContainsIndex | null;
}

/** A startswith / endswith key (at most K characters) and the rules indexed under it. */
interface Affix {
  key: string;
  slots: Slot[];
}

/** A `contains` literal keyed by one of its trigrams (the rarest among the field's literals). */
interface CoEntry {
  lit: string;
  /** Offset of the key trigram inside the literal. */
  off: number;
  slots: Slot[];
}

/**
 * Index of `contains` literals: the event value is scanned once; at each position a bit table of
 * trigram hashes rejects almost every position before the exact trigram map is consulted.
 */
interface ContainsIndex {
  /**
   * All literals as one case-insensitive alternation, a quick "is any literal present" test run by
   * V8's native regex code. It has no quantifier, so it is linear in the input (see regex.ts).
   */
  any: RegExp | null;
  /** Length of the shortest literal: shorter values cannot contain any. */
  minLen: number;
  /**
   * Field (not keyword) indexes with `any`: the rules of each literal and of its prefixes among
   * the literals, found from the alternation's own matches instead of the trigram scan.
   */
  hits: Map<string, Slot[]> | null;
  /**
   * Keywords: per field name, the last value seen to hold no literal. Values repeat from event to
   * event (channel, provider, host, image…); comparing with it is cheaper than the alternation.
   */
  clean: Map<string, string>;
  /** False when no literal can occur in the text of a number or boolean (see SCALAR_CHARS). */
  scalars: boolean;
  bits: Uint8Array;
  map: Map<number, CoEntry[]>;
  pending: { lit: string; slot: Slot }[];
}

const BITS = 1 << 16;
const tri = (s: string, i: number) =>
  s.charCodeAt(i) * 4294967296 + s.charCodeAt(i + 1) * 65536 + s.charCodeAt(i + 2);
const triHash = (a: number, b: number, c: number) => ((a * 961 + b * 31 + c) >>> 0) & (BITS - 1);

export interface Bucket {
  /** Rules run on every event of the source (no indexable literal). */
  always: Slot[];
  fields: FieldIndex[];
  size: number;
  /**
   * With many field indexes (Security: ~50, most absent from any one event), the indexes by event
   * field name: the event's own fields are walked instead of every index.
   */
  byName: Map<string, FieldIndex[]> | null;
  keywords: FieldIndex | null;
}

/** Field indexes above which a bucket is walked by the event's fields (see Bucket.byName). */
const BY_NAME_ABOVE = 24;

function indexable(p: Probe): boolean {
  return p.kind === 'co' ? p.lit.length >= 3 : p.lit.length > 0 || p.kind === 'eq';
}

function addLen(lens: number[], n: number): void {
  if (!lens.includes(n)) lens.push(n);
}

function push(map: Map<string, Slot[]>, key: string, slot: Slot): void {
  const list = map.get(key);
  if (!list) map.set(key, [slot]);
  else if (!list.includes(slot)) list.push(slot);
}

/** Builds the bucket of one log source from the detection rules. */
export function buildBucket(
  slots: Slot[],
  source: EventSource | null,
  usePrefilter: boolean,
): Bucket {
  const bucket: Bucket = { always: [], fields: [], size: 0, byName: null, keywords: null };
  const byField = new Map<string, FieldIndex>();
  for (const slot of slots) {
    if (source && !sourceMatches(slot.rule.logsource, source)) continue;
    bucket.size++;
    const probes = slot.rule.probes;
    if (!usePrefilter || !probes || !probes.every(indexable)) {
      bucket.always.push(slot);
      continue;
    }
    for (const p of probes) {
      let fi = byField.get(p.field);
      if (!fi) {
        fi = {
          field: p.field,
          lower: p.lower,
          raw: p.raw,
          names: p.names,
          mark: 0,
          all: [],
          eq: new Map(),
          sw: new Map(),
          ew: new Map(),
          swByHash: new Map(),
          ewByHash: new Map(),
          swLens: [],
          ewLens: [],
          eqMax: 0,
          co: null,
        };
        byField.set(p.field, fi);
      }
      if (!fi.all.includes(slot)) fi.all.push(slot);
      if (p.kind === 'eq') {
        push(fi.eq, p.lit, slot);
        fi.eqMax = Math.max(fi.eqMax, p.lit.length);
      } else if (p.kind === 'sw') {
        push(fi.sw, p.lit.slice(0, K), slot);
        addLen(fi.swLens, Math.min(K, p.lit.length));
      } else if (p.kind === 'ew') {
        push(fi.ew, p.lit.slice(-K), slot);
        addLen(fi.ewLens, Math.min(K, p.lit.length));
      } else {
        fi.co ??= {
          any: null,
          minLen: 0,
          hits: null,
          clean: new Map(),
          scalars: true,
          bits: new Uint8Array(BITS),
          map: new Map(),
          pending: [],
        };
        fi.co.pending.push({ lit: p.lit, slot });
      }
    }
  }
  bucket.fields = [...byField.values()];
  for (const fi of bucket.fields) finishAffixes(fi);
  if (bucket.fields.length > BY_NAME_ABOVE) indexByName(bucket);
  for (const fi of bucket.fields) if (fi.co) finishContains(fi.co, fi.field === '*');
  return bucket;
}

function indexByName(bucket: Bucket): void {
  const byName = new Map<string, FieldIndex[]>();
  for (const fi of bucket.fields) {
    if (fi.field === '*') {
      bucket.keywords = fi;
      continue;
    }
    for (const name of fi.names) {
      const list = byName.get(name);
      if (!list) byName.set(name, [fi]);
      else if (!list.includes(fi)) list.push(fi);
    }
  }
  bucket.byName = byName;
}

/**
 * Hash of the first n characters of s (from the end when `fromEnd`), computed one character at a
 * time so the lookups at every key length share the work.
 */
function affixHash(s: string, n: number, fromEnd: boolean): number {
  let h = 0;
  for (let i = 0; i < n; i++)
    h = (Math.imul(h, 31) + s.charCodeAt(fromEnd ? s.length - 1 - i : i)) | 0;
  return h;
}

function finishAffixes(fi: FieldIndex): void {
  const fill = (from: Map<string, Slot[]>, to: Map<number, Affix[]>, fromEnd: boolean) => {
    for (const [key, slots] of from) {
      const h = affixHash(key, key.length, fromEnd);
      const list = to.get(h);
      if (list) list.push({ key, slots });
      else to.set(h, [{ key, slots }]);
    }
  };
  fill(fi.sw, fi.swByHash, false);
  fill(fi.ew, fi.ewByHash, true);
  fi.swLens.sort((a, b) => a - b);
  fi.ewLens.sort((a, b) => a - b);
}

/** Visits the rules whose startswith keys begin s (a rolling hash, then an exact check). */
function visitPrefixes(fi: FieldIndex, s: string, gen: number, visit: (s: Slot) => void): void {
  let h = 0;
  let i = 0;
  for (const n of fi.swLens) {
    if (n > s.length) return;
    for (; i < n; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
    const list = fi.swByHash.get(h);
    if (list) for (const a of list) if (s.startsWith(a.key)) visitList(a.slots, gen, visit);
  }
}

/** Visits the rules whose endswith keys end s. */
function visitSuffixes(fi: FieldIndex, s: string, gen: number, visit: (s: Slot) => void): void {
  let h = 0;
  let i = 0;
  const last = s.length - 1;
  for (const n of fi.ewLens) {
    if (n > s.length) return;
    for (; i < n; i++) h = (Math.imul(h, 31) + s.charCodeAt(last - i)) | 0;
    const list = fi.ewByHash.get(h);
    if (list) for (const a of list) if (s.endsWith(a.key)) visitList(a.slots, gen, visit);
  }
}

/** Keys each contains literal by its rarest trigram, so few literals share a key. */
function finishContains(co: ContainsIndex, keywords: boolean): void {
  const freq = new Map<number, number>();
  for (const { lit } of co.pending) {
    for (let i = 0; i + 3 <= lit.length; i++)
      freq.set(tri(lit, i), (freq.get(tri(lit, i)) ?? 0) + 1);
  }
  const byLit = new Map<string, CoEntry>();
  for (const { lit, slot } of co.pending) {
    let entry = byLit.get(lit);
    if (!entry) {
      let off = 0;
      for (let i = 1; i + 3 <= lit.length; i++) {
        if ((freq.get(tri(lit, i)) ?? 0) < (freq.get(tri(lit, off)) ?? 0)) off = i;
      }
      entry = { lit, off, slots: [] };
      byLit.set(lit, entry);
      const key = tri(lit, off);
      const list = co.map.get(key);
      if (list) list.push(entry);
      else co.map.set(key, [entry]);
      co.bits[triHash(lit.charCodeAt(off), lit.charCodeAt(off + 1), lit.charCodeAt(off + 2))] = 1;
    }
    if (!entry.slots.includes(slot)) entry.slots.push(slot);
  }
  const lits = [...byLit.keys()];
  co.minLen = lits.reduce((n, l) => Math.min(n, l.length), Infinity);
  co.scalars = lits.some((l) => [...l].every((ch) => SCALAR_CHARS.includes(ch)));
  if (lits.length <= MAX_ALTERNATION) {
    // Longest first: at a position the regex reports the longest literal there; the others there
    // are its prefixes, whose rules `hits` adds (see scanMatches).
    lits.sort((a, b) => b.length - a.length);
    const alt = lits.map(escapeLiteral).join('|');
    // Field values are tested lower-cased: a plain alternation is exact, and its matches say
    // which literals are present. Keywords are tested on the original text: Unicode case folding
    // ('iu') agrees with toLowerCase except for U+0130 (whose lower case is two characters), so
    // U+0130 is one more alternative (a superset is safe), and the trigram scan decides.
    if (keywords) co.any = new RegExp(`${alt}|\u0130`, 'iu');
    else {
      co.any = new RegExp(alt, 'g');
      co.hits = new Map();
      for (const lit of lits) {
        const slots = new Set<Slot>();
        for (const [other, e] of byLit)
          if (lit.startsWith(other)) for (const x of e.slots) slots.add(x);
        co.hits.set(lit, [...slots]);
      }
    }
  }
  co.pending = [];
}

/** Bounds on ContainsIndex.clean: field names, and the length of a value (at most ~8 MB). */
const MAX_CLEAN = 4096;
const MAX_CLEAN_LENGTH = 1024;

/** Every character String() gives for a number or boolean, lower-cased (NaN, Infinity, 1e+21). */
const SCALAR_CHARS = '0123456789.+-einftyarusl';

/**
 * Bound on the size of one alternation. V8 tries the alternatives one by one at each position, so
 * a large one costs more than the trigram scan it would spare (1,887 CommandLine literals: 19 µs
 * for a 200-character value); larger sets go straight to the scan.
 */
const MAX_ALTERNATION = 64;

/** False only when no literal of the index can be in the text (see finishContains). */
function mayHold(co: ContainsIndex, s: string): boolean {
  return !co.any || co.any.test(s);
}

/** Keyword probes: every field value is scanned without lower-casing it first. */
function scanKeywords(fi: FieldIndex, c: EvalCtx, gen: number, visit: (s: Slot) => void): void {
  const co = fi.co as ContainsIndex;
  for (const name in c.fields) {
    const v = c.fields[name];
    if (typeof v === 'string') {
      if (v.length < co.minLen || co.clean.get(name) === v) continue;
      if (!mayHold(co, v)) {
        if (v.length <= MAX_CLEAN_LENGTH && (co.clean.size < MAX_CLEAN || co.clean.has(name)))
          co.clean.set(name, v);
        continue;
      }
      if (!scanAsciiFolded(co, v, gen, visit))
        scanContains(co, lowerOf(c, name) as string, gen, visit);
    } else if (typeof v === 'number' || typeof v === 'boolean') {
      if (co.scalars) scanScalar(co, String(v), gen, visit);
    } else if (Array.isArray(v)) {
      for (const x of v)
        if (x !== null && typeof x !== 'object') scanScalar(co, String(x), gen, visit);
    }
  }
}

/** A number, boolean or list element: the same quick rejection as a string value. */
function scanScalar(co: ContainsIndex, s: string, gen: number, visit: (s: Slot) => void): void {
  if (s.length >= co.minLen && mayHold(co, s)) scanContains(co, s.toLowerCase(), gen, visit);
}

const fold = (ch: number) => (ch >= 65 && ch <= 90 ? ch + 32 : ch);

/**
 * scanContains on an original-case string, folding ASCII letters on the fly. Returns false (having
 * done nothing that matters) when the string has a non-ASCII character: the caller then scans the
 * properly lower-cased string.
 */
function scanAsciiFolded(
  co: ContainsIndex,
  s: string,
  gen: number,
  visit: (s: Slot) => void,
): boolean {
  const n = s.length;
  if (n < 3) return n === 0 || (s.charCodeAt(0) < 128 && (n < 2 || s.charCodeAt(1) < 128));
  let a = s.charCodeAt(0);
  let b = s.charCodeAt(1);
  if (a > 127 || b > 127) return false;
  a = fold(a);
  b = fold(b);
  for (let i = 2; i < n; i++) {
    const raw = s.charCodeAt(i);
    if (raw > 127) return false;
    const c = fold(raw);
    if (co.bits[triHash(a, b, c)]) {
      const list = co.map.get(a * 4294967296 + b * 65536 + c);
      if (list) {
        for (const e of list) {
          const at = i - 2 - e.off;
          if (at >= 0 && s.substr(at, e.lit.length).toLowerCase() === e.lit)
            visitList(e.slots, gen, visit);
        }
      }
    }
    a = b;
    b = c;
  }
  return true;
}

function scanContains(co: ContainsIndex, s: string, gen: number, visit: (s: Slot) => void): void {
  const n = s.length;
  if (n < 3) return;
  let a = s.charCodeAt(0);
  let b = s.charCodeAt(1);
  for (let i = 2; i < n; i++) {
    const c = s.charCodeAt(i);
    if (co.bits[triHash(a, b, c)]) {
      const list = co.map.get(a * 4294967296 + b * 65536 + c);
      if (list) {
        for (const e of list)
          if (s.startsWith(e.lit, i - 2 - e.off)) visitList(e.slots, gen, visit);
      }
    }
    a = b;
    b = c;
  }
}

/**
 * Every position where a literal starts: the regex reports the longest literal there (the others
 * starting there are its prefixes, in `hits`), then the search resumes one character later.
 */
function scanMatches(co: ContainsIndex, s: string, gen: number, visit: (s: Slot) => void): void {
  const re = co.any as RegExp;
  const hits = co.hits as Map<string, Slot[]>;
  re.lastIndex = 0;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    visitList(hits.get(m[0]), gen, visit);
    re.lastIndex = m.index + 1;
  }
}

/** Calls visit for each rule of the bucket that may match the event, once per rule. */
export function candidates(b: Bucket, c: EvalCtx, gen: number, visit: (s: Slot) => void): void {
  if (b.byName) {
    // Only the indexes of fields the event has (an index without any of its fields visits none).
    for (const name in c.fields) {
      const list = b.byName.get(name);
      if (!list) continue;
      for (const fi of list) {
        if (fi.mark === gen) continue;
        fi.mark = gen;
        probeField(fi, c, gen, visit);
      }
    }
    if (b.keywords) scanKeywords(b.keywords, c, gen, visit);
  } else {
    for (const fi of b.fields) {
      if (fi.co && fi.field === '*') scanKeywords(fi, c, gen, visit);
      else probeField(fi, c, gen, visit);
    }
  }
  for (const slot of b.always) {
    slot.mark = gen;
    visit(slot);
  }
}

/** The rules one field index holds for the event's value of that field. */
function probeField(fi: FieldIndex, c: EvalCtx, gen: number, visit: (s: Slot) => void): void {
  const s = fi.lower(c);
  if (s === undefined) {
    if (Array.isArray(fi.raw(c))) visitList(fi.all, gen, visit);
    return;
  }
  if (fi.eq.size && s.length <= fi.eqMax) visitList(fi.eq.get(s), gen, visit);
  if (fi.swLens.length) visitPrefixes(fi, s, gen, visit);
  if (fi.ewLens.length) visitSuffixes(fi, s, gen, visit);
  const co = fi.co;
  if (!co || s.length < co.minLen) return;
  if (co.hits) scanMatches(co, s, gen, visit);
  else if (mayHold(co, s)) scanContains(co, s, gen, visit);
}

function visitList(list: Slot[] | undefined, gen: number, visit: (s: Slot) => void): void {
  if (!list) return;
  for (const slot of list) {
    if (slot.mark === gen) continue;
    slot.mark = gen;
    visit(slot);
  }
}
