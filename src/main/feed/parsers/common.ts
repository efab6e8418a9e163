// Shared pieces of the line parsers: the outcome type, address checks and time conversion.
import { isIP } from 'node:net';
import type { EventPosition, HaechiEvent, NormalizedFields } from '../../../shared/types';

/** Where a line came from: set by the source (or the CLI) before parsing. */
export interface ParseContext {
  source: string;
  position: EventPosition;
  /** Stable event id from the source (broker sequence, file offset); generated when absent. */
  id?: string;
  receivedAt?: number;
  /** Year to assume for timestamps without one (RFC 3164); defaults to the current year. */
  year?: number;
}

export type ParseOutcome =
  | { ok: true; event: HaechiEvent }
  | { ok: false; reason: string }
  /** A header or comment line that carries no event (Zeek `#fields`, blank lines). */
  | { ok: 'skip' };

/** What a format parser returns before it is wrapped into an event. */
export interface Parsed {
  fields: Record<string, unknown>;
  norm: NormalizedFields;
  time?: string;
  format?: string;
}

let counter = 0;
const prefix = Math.random().toString(36).slice(2, 8);

export function nextId(): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter.toString(36)}`;
}

export function makeEvent(
  raw: string,
  parsed: Parsed,
  format: string,
  ctx: ParseContext,
): HaechiEvent {
  const receivedAt = ctx.receivedAt ?? Date.now();
  const time = parsed.time ?? new Date(receivedAt).toISOString();
  const norm = parsed.norm;
  for (const k of Object.keys(norm)) if (norm[k] === undefined) delete norm[k];
  if (!norm['@timestamp']) norm['@timestamp'] = time;
  return {
    id: ctx.id ?? nextId(),
    time,
    source: ctx.source,
    format: parsed.format ?? format,
    fields: parsed.fields,
    norm,
    raw,
    position: ctx.position,
    receivedAt,
  };
}

/** The address without brackets or a trailing port, if it is a valid IPv4/IPv6 address. */
export function cleanIp(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 60) return undefined;
  let v = value.trim();
  if (v.startsWith('[')) v = v.slice(1, v.indexOf(']') > 0 ? v.indexOf(']') : undefined);
  if (isIP(v)) return v.toLowerCase();
  const colon = v.lastIndexOf(':');
  if (colon > 0 && v.indexOf(':') === colon && isIP(v.slice(0, colon)) === 4)
    return v.slice(0, colon);
  const pct = v.indexOf('%');
  if (pct > 0 && isIP(v.slice(0, pct)) === 6) return v.slice(0, pct).toLowerCase();
  return undefined;
}

export function toPort(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : undefined;
}

/** Put an address into norm: `source.ip` when it is an IP, `source.address` always. */
export function setAddress(
  norm: NormalizedFields,
  side: 'source' | 'destination',
  value: unknown,
): void {
  if (typeof value !== 'string' || !value) return;
  const ip = cleanIp(value);
  if (ip) norm[`${side}.ip`] = ip;
  norm[`${side}.address`] = ip ?? value;
}

const MONTHS: Record<string, number> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  may: 4,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  oct: 9,
  nov: 10,
  dec: 11,
};

export function monthIndex(name: string): number | undefined {
  return MONTHS[name.slice(0, 3).toLowerCase()];
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** An ISO string for a local wall-clock time (treated as UTC when no offset is known). */
export function isoFrom(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  frac = '',
  offset = 'Z',
): string | undefined {
  if (mo < 0 || mo > 11 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  const ms = frac ? `.${(frac + '000').slice(0, 3)}` : '.000';
  const off = normalizeOffset(offset);
  const iso = `${pad(y, 4)}-${pad(mo + 1)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}${ms}${off}`;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

function normalizeOffset(offset: string): string {
  if (!offset || offset === 'Z' || offset === 'z') return 'Z';
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(offset);
  return m ? `${m[1]}${m[2]}:${m[3]}` : 'Z';
}

/** Parse an ISO-8601-like time; returns a normalized ISO string or undefined. */
export function isoTime(value: unknown): string | undefined {
  if (typeof value === 'number') return epochToIso(value);
  if (typeof value !== 'string' || value.length < 8) return undefined;
  if (/^\d{9,10}(\.\d+)?$/.test(value)) return epochToIso(Number(value));
  const fixed = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2').replace(' ', 'T');
  const t = Date.parse(fixed);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

export function epochToIso(sec: number): string | undefined {
  if (!Number.isFinite(sec) || sec <= 0) return undefined;
  const ms = sec > 1e12 ? sec : sec * 1000;
  return new Date(ms).toISOString();
}

/** First capture of `re` in `text`, or undefined. */
export function grab(re: RegExp, text: string): string | undefined {
  const m = re.exec(text);
  return m ? m[1] : undefined;
}
