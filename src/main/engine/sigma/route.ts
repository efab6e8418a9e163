// Routing and prefiltering: for one event log source, the rules that may match, indexed by the
// literals they need, so most rules are never run on an event that cannot match them.
import { sourceMatches, type EventSource } from './logsource';
import type { CompiledRule, EvalCtx, Probe } from './types';

/** Length of the prefix/suffix key for startswith/endswith probes. */
const K = 4;

export interface Slot {
  rule: CompiledRule;
  mark: number;
}

interface FieldIndex {
  lower: Probe['lower'];
  raw: Probe['raw'];
  /** Every rule indexed on this field (visited when the event holds a list there). */
  all: Slot[];
  eq: Map<string, Slot[]>;
  sw: Map<string, Slot[]>;
  ew: Map<string, Slot[]>;
}

export interface Bucket {
  /** Rules run on every event of the source (no indexable literal). */
  always: Slot[];
  fields: FieldIndex[];
  size: number;
}

function indexable(p: Probe): boolean {
  return p.kind === 'eq' || ((p.kind === 'sw' || p.kind === 'ew') && p.lit.length >= K);
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
  const bucket: Bucket = { always: [], fields: [], size: 0 };
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
        fi = { lower: p.lower, raw: p.raw, all: [], eq: new Map(), sw: new Map(), ew: new Map() };
        byField.set(p.field, fi);
      }
      if (!fi.all.includes(slot)) fi.all.push(slot);
      if (p.kind === 'eq') push(fi.eq, p.lit, slot);
      else if (p.kind === 'sw') push(fi.sw, p.lit.slice(0, K), slot);
      else push(fi.ew, p.lit.slice(-K), slot);
    }
  }
  bucket.fields = [...byField.values()];
  return bucket;
}

/** Calls visit for each rule of the bucket that may match the event, once per rule. */
export function candidates(b: Bucket, c: EvalCtx, gen: number, visit: (s: Slot) => void): void {
  for (const fi of b.fields) {
    const s = fi.lower(c);
    if (s === undefined) {
      if (Array.isArray(fi.raw(c))) visitList(fi.all, gen, visit);
      continue;
    }
    visitList(fi.eq.get(s), gen, visit);
    if (s.length >= K) {
      if (fi.sw.size) visitList(fi.sw.get(s.slice(0, K)), gen, visit);
      if (fi.ew.size) visitList(fi.ew.get(s.slice(s.length - K)), gen, visit);
    }
  }
  for (const slot of b.always) {
    slot.mark = gen;
    visit(slot);
  }
}

function visitList(list: Slot[] | undefined, gen: number, visit: (s: Slot) => void): void {
  if (!list) return;
  for (const slot of list) {
    if (slot.mark === gen) continue;
    slot.mark = gen;
    visit(slot);
  }
}
