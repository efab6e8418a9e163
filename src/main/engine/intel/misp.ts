// MISP: events ({"Event": …} or bare), REST search responses ({"response": [...]}), lists of
// events and object fragments. Attributes of matchable types become indicators.
import type { Indicator } from '../../../shared/types';
import { classify, toIso } from './classify';
import { MISP_TYPES, makeIndicator, mispValue, pushError, type ImportResult } from './formats';

type Obj = Record<string, unknown>;

function tagNames(v: unknown): string[] {
  return Array.isArray(v) ? v.map((t) => String((t as Obj)?.name ?? '')).filter(Boolean) : [];
}

function tlpFrom(tags: string[]): string | undefined {
  const t = tags.find((n) => /^tlp:/i.test(n));
  return t ? t.toUpperCase().replace(/^TLP:/, 'TLP:') : undefined;
}

function eventsOf(doc: unknown): Obj[] {
  if (Array.isArray(doc)) return doc.flatMap(eventsOf);
  if (!doc || typeof doc !== 'object') return [];
  const o = doc as Obj;
  if (o.Event && typeof o.Event === 'object') return [o.Event as Obj];
  if (Array.isArray(o.response)) return o.response.flatMap(eventsOf);
  if (Array.isArray(o.Attribute) || Array.isArray(o.Object)) return [o];
  return [];
}

/** A MISP feed manifest: `{ "<event uuid>": { info, timestamp, … }, … }`. */
export function isManifest(doc: unknown): doc is Record<string, Obj> {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return false;
  const entries = Object.entries(doc as Obj);
  return (
    entries.length > 0 &&
    entries.every(
      ([k, v]) =>
        /^[0-9a-f-]{36}$/i.test(k) && !!v && typeof v === 'object' && 'timestamp' in (v as Obj),
    )
  );
}

function fromAttribute(name: string, a: Obj, eventTags: string[], r: ImportResult): void {
  const mispType = String(a.type ?? '');
  const mapped = MISP_TYPES[mispType];
  if (mapped === undefined) return void (r.skipped += 1);
  const value = mispValue(mispType, String(a.value ?? ''));
  const type = mapped || classify(value);
  if (!type || !classify(value)) {
    return pushError(
      r,
      `${name}: attribute ${String(a.uuid ?? '?')}: "${value.slice(0, 80)}" is not a valid ${mispType}`,
    );
  }
  const tags = [...eventTags, ...tagNames(a.Tag)];
  const extra: Partial<Indicator> = {
    id: typeof a.uuid === 'string' ? a.uuid : undefined,
    confidence: a.to_ids === true || a.to_ids === '1' ? 80 : 40,
    tlp: tlpFrom(tags),
    modified: toIso(a.timestamp),
    validFrom: toIso(a.first_seen),
    revoked: a.deleted === true || a.deleted === '1',
    labels: [String(a.category ?? ''), ...tags].filter(Boolean),
  };
  r.indicators.push(makeIndicator(name, type, value, extra));
}

export function indicatorsFromMisp(name: string, doc: unknown): ImportResult {
  const r: ImportResult = { format: 'misp', indicators: [], skipped: 0, errors: [] };
  if (isManifest(doc)) {
    r.format = 'misp-manifest';
    r.skipped = Object.keys(doc).length;
    pushError(
      r,
      `${name}: a MISP feed manifest lists events but holds no attributes; poll the feed URL to fetch them`,
    );
    return r;
  }
  const events = eventsOf(doc);
  if (events.length === 0) {
    pushError(r, `${name}: not a STIX bundle or MISP event (no "Event", "Attribute" or "objects")`);
    return r;
  }
  for (const ev of events) {
    const eventTags = tagNames(ev.Tag);
    for (const a of (ev.Attribute as Obj[]) ?? []) fromAttribute(name, a, eventTags, r);
    for (const o of (ev.Object as Obj[]) ?? []) {
      for (const a of (o.Attribute as Obj[]) ?? []) fromAttribute(name, a, eventTags, r);
    }
  }
  return r;
}
