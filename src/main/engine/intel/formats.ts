// Importers: STIX 2.1 bundles, MISP events (and REST search responses), MISP/plain CSV and
// plain blocklists. Each returns indicators plus one error per record it could not use.
import type { Indicator, IndicatorType } from '../../../shared/types';
import { classify, toIso } from './classify';
import { indicatorsFromMisp } from './misp';
import { indicatorsFromStix } from './stix';

export interface ImportResult {
  format: string;
  indicators: Indicator[];
  /** Records that were read but are not indicators Haechi can match (notes, x509, …). */
  skipped: number;
  errors: string[];
}

export const MAX_ERRORS = 200;

export function pushError(r: ImportResult, msg: string): void {
  if (r.errors.length < MAX_ERRORS) r.errors.push(msg);
}

/** Detect the format of `content` and import it. `name` labels the source of the indicators. */
export function importIntel(
  name: string,
  content: string,
  opts: { confidence?: number } = {},
): ImportResult {
  const text = content.replace(/^\uFEFF/, '');
  if (text.includes('\0')) {
    return {
      format: 'blocklist',
      indicators: [],
      skipped: 0,
      errors: [`${name}: binary data, not an intelligence feed`],
    };
  }
  const head = text.trimStart()[0];
  if (head === '{' || head === '[') {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      return {
        format: 'json',
        indicators: [],
        skipped: 0,
        errors: [`${name}: invalid JSON: ${(err as Error).message}`],
      };
    }
    if (isStix(doc)) return indicatorsFromStix(name, doc as Record<string, unknown>);
    return indicatorsFromMisp(name, doc);
  }
  const firstLine = text.split('\n', 1)[0];
  if (firstLine.includes(',') && !classify(firstLine.split(',')[0].trim()))
    return importCsv(name, text, opts);
  return importPlain(name, text, opts);
}

function isStix(doc: unknown): boolean {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return false;
  const o = doc as Record<string, unknown>;
  return o.type === 'bundle' || (typeof o.type === 'string' && typeof o.spec_version === 'string');
}

export function makeIndicator(
  source: string,
  type: IndicatorType,
  value: string,
  extra: Partial<Indicator> = {},
): Indicator {
  const v =
    type === 'domain' || type.startsWith('md5') || type.startsWith('sha')
      ? value.trim().toLowerCase()
      : value.trim();
  return {
    id: extra.id ?? `${source}:${type}:${v}`,
    type,
    value: v,
    source,
    confidence: 50,
    ...extra,
  };
}

/** One value per line (first token), "#" and ";" comments; e.g. ipsum, Spamhaus DROP, abuse.ch. */
export function importPlain(
  name: string,
  text: string,
  opts: { confidence?: number } = {},
): ImportResult {
  const r: ImportResult = { format: 'blocklist', indicators: [], skipped: 0, errors: [] };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/[#;].*$/, '').trim();
    if (!line) continue;
    const value = line.split(/[\s,]+/, 1)[0];
    const type = classify(value);
    if (!type) {
      pushError(
        r,
        `${name}:${i + 1}: "${value.slice(0, 80)}" is not an address, range, domain, URL or hash`,
      );
      continue;
    }
    r.indicators.push(makeIndicator(name, type, value, { confidence: opts.confidence ?? 50 }));
  }
  return r;
}

function splitCsv(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out;
}

// MISP attribute types whose value is an indicator, mapped onto Haechi's types ('' = classify).
export const MISP_TYPES: Record<string, IndicatorType | ''> = {
  'ip-src': '',
  'ip-dst': '',
  domain: 'domain',
  hostname: 'domain',
  url: 'url',
  uri: 'url',
  md5: 'md5',
  sha1: 'sha1',
  sha256: 'sha256',
  'filename|md5': 'md5',
  'filename|sha1': 'sha1',
  'filename|sha256': 'sha256',
  'ip-src|port': '',
  'ip-dst|port': '',
  'domain|ip': 'domain',
  ip: '',
  ipv4: 'ipv4',
  ipv6: 'ipv6',
  cidr: 'cidr',
};

/**
 * CSV with a header: MISP's export (`type`,`value` columns, plus `uuid`, `to_ids`, `timestamp`)
 * or one column per attribute type (`md5, sha1, sha256`, `ip`, `domain`, `url`).
 */
export function importCsv(
  name: string,
  text: string,
  opts: { confidence?: number } = {},
): ImportResult {
  const r: ImportResult = { format: 'csv', indicators: [], skipped: 0, errors: [] };
  const lines = text.split('\n');
  const header = splitCsv(lines[0]).map((h) => h.toLowerCase());
  const col = (n: string) => header.indexOf(n);
  const known = header.some((h) => h in MISP_TYPES || ['indicator', 'value', 'ioc'].includes(h));
  if (!known) {
    pushError(
      r,
      `${name}:1: the CSV header names no indicator column; expected type and value, or one of ` +
        'ip, domain, url, md5, sha1, sha256, indicator',
    );
    return r;
  }
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i].trim() || lines[i].startsWith('#')) continue;
    const row = splitCsv(lines[i].replace(/\r$/, ''));
    if (col('type') >= 0 && col('value') >= 0) csvTypedRow(name, row, col, i + 1, r, opts);
    else csvColumns(name, header, row, i + 1, r, opts);
  }
  return r;
}

function csvTypedRow(
  name: string,
  row: string[],
  col: (n: string) => number,
  line: number,
  r: ImportResult,
  opts: { confidence?: number },
): void {
  const mispType = row[col('type')];
  const mapped = MISP_TYPES[mispType];
  if (mapped === undefined) return void (r.skipped += 1);
  const value = mispValue(mispType, row[col('value')]);
  const type = mapped || classify(value);
  if (!type || classify(value) === undefined)
    return pushError(r, `${name}:${line}: "${value.slice(0, 80)}" is not a valid ${mispType}`);
  const uuid = col('uuid') >= 0 ? row[col('uuid')] : undefined;
  const toIds = col('to_ids') >= 0 ? row[col('to_ids')] : '1';
  r.indicators.push(
    makeIndicator(name, type, value, {
      id: uuid || undefined,
      confidence: opts.confidence ?? (/^(1|true)$/i.test(toIds) ? 80 : 40),
      modified: col('timestamp') >= 0 ? toIso(row[col('timestamp')]) : undefined,
    }),
  );
}

function csvColumns(
  name: string,
  header: string[],
  row: string[],
  line: number,
  r: ImportResult,
  opts: { confidence?: number },
): void {
  header.forEach((h, c) => {
    const value = row[c];
    if (!value) return;
    const mapped = MISP_TYPES[h];
    const type = classify(value);
    if (mapped === undefined && !['indicator', 'value', 'ioc'].includes(h)) return;
    if (!type || (mapped && mapped !== type && !(mapped === 'ipv4' && type === 'cidr'))) {
      return pushError(
        r,
        `${name}:${line}: column ${h}: "${value.slice(0, 80)}" is not a valid ${h}`,
      );
    }
    r.indicators.push(makeIndicator(name, type, value, { confidence: opts.confidence ?? 50 }));
  });
}

/** The matchable half of MISP's composite values ("evil.exe|<md5>", "1.2.3.4|443"). */
export function mispValue(type: string, value: string): string {
  if (!value.includes('|')) return value;
  const [a, b] = value.split('|');
  if (type.startsWith('filename|')) return b;
  return a;
}
