// STIX 2.1: indicators whose pattern compares an address, domain, URL or file hash for equality.
// Other patterns (AND across objects, MATCHES, x509 fields) are counted as skipped, not guessed.
import type { Indicator, IndicatorType } from '../../../shared/types';
import { classify, toIso } from './classify';
import { makeIndicator, pushError, type ImportResult } from './formats';

type Obj = Record<string, unknown>;

// TLP 1.0 marking definitions with fixed ids in the STIX 2.1 specification.
const TLP_IDS: Record<string, string> = {
  'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9': 'TLP:WHITE',
  'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da': 'TLP:GREEN',
  'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82': 'TLP:AMBER',
  'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed': 'TLP:RED',
};

const COMPARISON =
  /([\w-]+):([\w.'-]+)\s*(=|!=|>=|<=|>|<|MATCHES|LIKE|IN|ISSUBSET|ISSUPERSET)\s*'((?:[^'\\]|\\.)*)'/g;

function pathType(objectType: string, path: string, value: string): IndicatorType | undefined {
  const p = path.replace(/'/g, '').toLowerCase();
  if (objectType === 'ipv4-addr' || objectType === 'ipv6-addr')
    return p === 'value' ? classify(value) : undefined;
  if (objectType === 'domain-name') return p === 'value' ? 'domain' : undefined;
  if (objectType === 'url') return p === 'value' ? 'url' : undefined;
  if (objectType === 'file' && p.startsWith('hashes.')) {
    const algo = p.slice(7).replace('-', '');
    if (algo === 'md5' || algo === 'sha1' || algo === 'sha256') return algo;
  }
  if (objectType === 'network-traffic' && /^(dst|src)_ref\.value$/.test(p)) return classify(value);
  return undefined;
}

/** The equality comparisons of a pattern, or a reason it cannot be matched value by value. */
export function patternValues(pattern: string): { type: IndicatorType; value: string }[] | string {
  if (/\bAND\b|\bFOLLOWEDBY\b|\bNOT\b/.test(pattern.replace(COMPARISON, ''))) {
    return 'pattern combines observations with AND/FOLLOWEDBY/NOT';
  }
  const out: { type: IndicatorType; value: string }[] = [];
  COMPARISON.lastIndex = 0;
  for (let m = COMPARISON.exec(pattern); m; m = COMPARISON.exec(pattern)) {
    const value = m[4].replace(/\\(['\\])/g, '$1');
    if (m[3] !== '=') return `operator ${m[3]} is not an equality`;
    const type = pathType(m[1], m[2], value);
    if (!type) return `${m[1]}:${m[2]} is not an address, domain, URL or file hash`;
    out.push({ type, value });
  }
  return out.length ? out : 'no comparison found in pattern';
}

function tlpOf(o: Obj, markings: Map<string, string>): string | undefined {
  const refs = Array.isArray(o.object_marking_refs) ? (o.object_marking_refs as string[]) : [];
  for (const ref of refs) {
    const tlp = TLP_IDS[ref] ?? markings.get(ref);
    if (tlp) return tlp;
  }
  return undefined;
}

function bundleMarkings(objects: Obj[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const o of objects) {
    if (o.type !== 'marking-definition') continue;
    const def = o.definition as Obj | undefined;
    const tlp =
      typeof def?.tlp === 'string'
        ? `TLP:${def.tlp.toUpperCase()}`
        : /^TLP:\w+/i.exec(String(o.name ?? ''))?.[0];
    if (tlp) out.set(String(o.id), tlp.toUpperCase());
  }
  return out;
}

function fromIndicator(name: string, o: Obj, markings: Map<string, string>, r: ImportResult): void {
  if (o.pattern_type !== undefined && o.pattern_type !== 'stix') return void (r.skipped += 1);
  const values = patternValues(String(o.pattern ?? ''));
  if (typeof values === 'string') {
    r.skipped += 1;
    return pushError(r, `${name}: ${String(o.id)}: skipped: ${values}`);
  }
  const base: Partial<Indicator> = {
    confidence: typeof o.confidence === 'number' ? o.confidence : 50,
    tlp: tlpOf(o, markings),
    validFrom: toIso(o.valid_from),
    validUntil: toIso(o.valid_until),
    modified: toIso(o.modified ?? o.created),
    revoked: o.revoked === true,
    labels: [...((o.indicator_types as string[]) ?? []), ...((o.labels as string[]) ?? [])],
  };
  values.forEach((v, i) => {
    const id = values.length === 1 ? String(o.id) : `${String(o.id)}#${i}`;
    r.indicators.push(makeIndicator(name, v.type, v.value, { ...base, id }));
  });
}

/** A bundle (or a single object) → indicators. */
export function indicatorsFromStix(name: string, doc: Obj): ImportResult {
  const r: ImportResult = { format: 'stix', indicators: [], skipped: 0, errors: [] };
  const objects = doc.type === 'bundle' ? ((doc.objects as Obj[]) ?? []) : [doc];
  const markings = bundleMarkings(objects);
  for (const o of objects) {
    if (!o || typeof o !== 'object') continue;
    if (o.type === 'indicator') fromIndicator(name, o, markings, r);
    else r.skipped += 1;
  }
  return r;
}
