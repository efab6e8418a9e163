// Scoring against Presidio's recognizer vectors: texts with the spans Presidio expects for one
// entity, including texts that must not match. A finding counts when its span is exactly right.
import { readFileSync } from 'node:fs';

export interface VectorCase {
  entity: string[];
  text: string;
  expected_count: number | null;
  expected_spans: Array<[number, number]>;
  other_expectations?: Record<string, unknown>;
}

export interface Tally {
  tp: number;
  fp: number;
  fn: number;
  cases: number;
  wrongCases: number;
}

export type Detector = (
  text: string,
  entity: string,
) => Array<[number, number]> | Promise<Array<[number, number]>>;

export function loadVectors(file: string): VectorCase[] {
  const data = JSON.parse(readFileSync(file, 'utf8')) as { cases: VectorCase[] };
  return data.cases;
}

/** Cases usable for scoring: a known count, and no non-default Presidio leniency setting. */
export function scorable(c: VectorCase, types: ReadonlySet<string>): boolean {
  const leniency = c.other_expectations?.leniency;
  return (
    types.has(c.entity[0]) &&
    c.expected_count !== null &&
    (leniency === undefined || leniency === 1)
  );
}

function matchCase(
  c: VectorCase,
  found: Array<[number, number]>,
): Omit<Tally, 'cases' | 'wrongCases'> {
  const expected = c.expected_count ?? 0;
  // A few cases give a count without spans: score them by count alone.
  if (c.expected_spans.length === 0 && expected > 0) {
    const tp = Math.min(expected, found.length);
    return { tp, fp: found.length - tp, fn: expected - tp };
  }
  const key = (s: [number, number]) => `${s[0]}:${s[1]}`;
  const want = new Set(c.expected_spans.map(key));
  const tp = found.filter((s) => want.has(key(s))).length;
  return { tp, fp: found.length - tp, fn: want.size - tp };
}

export function f1(t: Tally): { p: number; r: number; f: number } {
  const p = t.tp + t.fp === 0 ? 1 : t.tp / (t.tp + t.fp);
  const r = t.tp + t.fn === 0 ? 1 : t.tp / (t.tp + t.fn);
  return { p, r, f: p + r === 0 ? 0 : (2 * p * r) / (p + r) };
}

/** Score a detector per entity type; `wrong` collects the texts of cases not exactly right. */
export async function evaluate(
  cases: VectorCase[],
  detect: Detector,
  wrong?: string[],
): Promise<Map<string, Tally>> {
  const tallies = new Map<string, Tally>();
  for (const c of cases) {
    const entity = c.entity[0];
    const t = tallies.get(entity) ?? { tp: 0, fp: 0, fn: 0, cases: 0, wrongCases: 0 };
    const r = matchCase(c, await detect(c.text, entity));
    t.tp += r.tp;
    t.fp += r.fp;
    t.fn += r.fn;
    t.cases++;
    if (r.fp + r.fn > 0) {
      t.wrongCases++;
      wrong?.push(`${entity}\t${JSON.stringify(c.text)}`);
    }
    tallies.set(entity, t);
  }
  return tallies;
}
