// The analyzer: runs the recognizers over one text, applies context words, drops what scores
// under the threshold and keeps the best of overlapping candidates.
import { applyContext } from './context';
import { cryptoRecognizers } from './recognizers/crypto';
import { financeRecognizers } from './recognizers/finance';
import { koreanRecognizers } from './recognizers/korean';
import { nameRecognizers } from './recognizers/names';
import { networkRecognizers } from './recognizers/network';
import { phoneRecognizers } from './recognizers/phone';
import {
  DEFAULT_MIN_SCORE,
  PII_TYPES,
  type Candidate,
  type Finding,
  type Recognizer,
  type ScanOptions,
} from './types';

export const recognizers: Recognizer[] = [
  ...koreanRecognizers,
  ...financeRecognizers,
  ...networkRecognizers,
  ...phoneRecognizers,
  ...cryptoRecognizers,
  ...nameRecognizers,
];

const MODEL_TYPES = new Set(['PERSON', 'LOCATION']);

/** Types a scan looks for: the asked ones, else every pattern type (+ names when asked). */
export function wantedTypes(options: ScanOptions = {}): Set<string> {
  if (options.types && options.types.length > 0) return new Set(options.types);
  return new Set(PII_TYPES.filter((t) => options.names || !MODEL_TYPES.has(t)));
}

/** Throws on a type name that no recognizer knows, naming it and the known ones. */
export function checkTypes(types: readonly string[]): void {
  const known = new Set<string>(PII_TYPES);
  const bad = types.filter((t) => !known.has(t));
  if (bad.length > 0) {
    throw new Error(`unknown PII type ${bad.join(', ')}; known types: ${PII_TYPES.join(', ')}`);
  }
}

/** Index of the first kept span that ends after `start` (kept is sorted and disjoint). */
function firstEndingAfter(kept: Candidate[], start: number): number {
  let lo = 0;
  let hi = kept.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (kept[mid].end <= start) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Keep the strongest of overlapping candidates: higher score, then longer span. */
function resolve(candidates: Candidate[]): Candidate[] {
  const ranked = [...candidates].sort(
    (a, b) => b.score - a.score || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const kept: Candidate[] = [];
  for (const c of ranked) {
    const at = firstEndingAfter(kept, c.start);
    if (at < kept.length && kept[at].start < c.end) continue;
    kept.splice(at, 0, c);
  }
  return kept;
}

/** Find personal data in one text. Offsets are UTF-16 indices into `text`. */
export function analyze(text: string, options: ScanOptions = {}): Finding[] {
  const types = wantedTypes(options);
  const minScore = options.minScore ?? DEFAULT_MIN_SCORE;
  const candidates: Candidate[] = [];
  // Lower-case once for the context words, unless that changes offsets (e.g. 'İ').
  const lower = text.toLowerCase();
  const contextText = lower.length === text.length ? lower : text;
  const lowered = contextText === lower;
  for (const recognizer of recognizers) {
    if (!recognizer.types.some((t) => types.has(t))) continue;
    for (const c of recognizer.find(text)) {
      if (!types.has(c.type)) continue;
      const scored = c.contextApplied ? c : applyContext(contextText, c, lowered);
      if (scored.score >= minScore) candidates.push(scored);
    }
  }
  return resolve(candidates).map((c) => ({
    type: c.type,
    start: c.start,
    end: c.end,
    score: Math.round(c.score * 100) / 100,
    reasons: c.reasons,
  }));
}
