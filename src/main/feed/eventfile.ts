// Event files as text: one JSON object, a JSON array, NDJSON (one object per line), or
// pretty-printed objects one after another. Each record keeps its 1-based position; a record that
// does not parse is reported (`record N: … at line L, column C`) and reading goes on.
import { randomUUID } from 'node:crypto';
import type { HaechiEvent, NormalizedFields } from '../../shared/types';
import { lineTooLong, MAX_LINE_BYTES } from './parsers';
import { flattenJson, windowsEvent, windowsShape } from './windows';

export interface EventRecord {
  /** 1-based position of the record in the file. */
  record: number;
  event?: HaechiEvent;
  error?: string;
}

export interface ReadOptions {
  /** File name as given (kept in each event's position). */
  file: string;
  /** Source name; defaults to `import:<file>`. */
  source?: string;
  /** Stop after this many records (bounds every read). */
  maxRecords?: number;
}

/** Extensions read as JSON event files. */
export const EVENT_FILE_EXTENSIONS = ['.json', '.ndjson', '.jsonl'];

/** Why a file is not read as events, or null when it is an event file. */
export function skipReason(name: string): string | null {
  const lower = name.toLowerCase();
  if (EVENT_FILE_EXTENSIONS.some((e) => lower.endsWith(e))) return null;
  if (lower.endsWith('.evtx'))
    return 'binary EVTX is not read; convert it to JSON first (e.g. evtx_dump -o json)';
  if (lower.endsWith('.yml') || lower.endsWith('.yaml')) return 'YAML metadata, not events';
  return 'not a JSON or NDJSON event file';
}

interface Chunk {
  text: string;
  /** 0-based line of the chunk's first character in the file. */
  line: number;
}

/** Splits text into top-level JSON values (string-aware brace matching). */
function splitValues(text: string): Chunk[] {
  const out: Chunk[] = [];
  let depth = 0;
  let start = -1;
  let line = 0;
  let startLine = 0;
  let inStr = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') line++;
    if (inStr) {
      if (ch === '\\') i++;
      else if (ch === '"') inStr = false;
      continue;
    }
    if (depth === 0 && ch !== '{' && ch !== '[' && !/\s/.test(ch)) {
      // Stray text between values (a top-level string or number too): its own (bad) record up to
      // the end of the line.
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      out.push({ text: text.slice(i, stop), line });
      i = stop - 1;
    } else if (ch === '"') inStr = true;
    else if (ch === '{' || ch === '[') {
      if (depth++ === 0) {
        start = i;
        startLine = line;
      }
    } else if ((ch === '}' || ch === ']') && depth > 0 && --depth === 0) {
      out.push({ text: text.slice(start, i + 1), line: startLine });
      start = -1;
    }
  }
  if (depth > 0 && start >= 0) out.push({ text: text.slice(start), line: startLine });
  return out;
}

function lineChunks(text: string): Chunk[] {
  const out: Chunk[] = [];
  text.split('\n').forEach((l, i) => {
    if (l.trim()) out.push({ text: l.replace(/\r$/, ''), line: i });
  });
  return out;
}

/** UTF-8 size of `line` when it is over MAX_LINE_BYTES, else undefined. */
function overLineLimit(line: string): number | undefined {
  if (line.length * 3 <= MAX_LINE_BYTES) return undefined;
  const bytes = Buffer.byteLength(line, 'utf8');
  return bytes > MAX_LINE_BYTES ? bytes : undefined;
}

/**
 * NDJSON (`lines`) when the first line within the line limit parses as an object and there is
 * more than one line; else one JSON document or concatenated (pretty) values. Each NDJSON line is
 * held to the parsers' MAX_LINE_BYTES. A single JSON document (an array, or one object even on one
 * long line) is not: it is bounded by the caller's file-size limit instead (`haechi scan`'s
 * MAX_FILE_BYTES, the import API's content maximum). Known gap: concatenated pretty values are
 * bounded the same way, not per line.
 */
function chunksOf(text: string): { chunks: Chunk[]; lines: boolean } {
  const body = text.replace(/^\uFEFF/, '');
  const trimmed = body.trimStart();
  if (trimmed.startsWith('[')) return { chunks: [{ text: body, line: 0 }], lines: false };
  const lines = lineChunks(body);
  const first = lines.find((l) => overLineLimit(l.text) === undefined);
  if (first && parses(first.text)) return { chunks: lines, lines: lines.length > 1 };
  return { chunks: splitValues(body), lines: false };
}

function parses(s: string): boolean {
  try {
    const v = JSON.parse(s);
    return typeof v === 'object' && v !== null;
  } catch {
    return false;
  }
}

/**
 * Finds where JSON text stops being valid (JSON.parse in this Node version often gives no
 * position): returns the offset and what was found there.
 */
export function jsonErrorAt(text: string): { offset: number; what: string } | null {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
  };
  const fail = (what?: string): never => {
    throw {
      offset: i,
      what:
        what ??
        (i >= text.length
          ? 'Unexpected end of input'
          : `Unexpected token ${JSON.stringify(text[i])}`),
    };
  };
  const str = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail('Bad control character in string');
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('Bad Unicode escape');
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? '')) fail('Bad escaped character');
      }
      i++;
    }
    if (i >= text.length) fail('Unterminated string');
    i++;
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === '{' || ch === '[') {
      const close = ch === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        if (ch === '{') {
          ws();
          if (text[i] !== '"') fail();
          str();
          ws();
          if (text[i] !== ':') fail();
          i++;
        }
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === close) {
          i++;
          return;
        } else fail();
      }
    }
    if (ch === '"') return str();
    const lit = /^(true|false|null|-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?)/.exec(
      text.slice(i, i + 64),
    );
    if (!lit) fail();
    i += (lit as RegExpExecArray)[0].length;
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
    return null;
  } catch (e) {
    return e as { offset: number; what: string };
  }
}

/** `record N: <what> at line L, column C` with the line and column inside the file. */
export function describeJsonError(err: Error, chunk: Chunk, record: number): string {
  const at = jsonErrorAt(chunk.text);
  if (!at) return `record ${record}: ${err.message}`;
  const before = chunk.text.slice(0, at.offset);
  const nl = before.lastIndexOf('\n');
  const line = chunk.line + (before.match(/\n/g)?.length ?? 0) + 1;
  return `record ${record}: ${at.what} at line ${line}, column ${at.offset - nl}`;
}

/** Reads an event file's text, yielding each record's event or error. */
export function* readEventText(text: string, opts: ReadOptions): Generator<EventRecord> {
  const max = opts.maxRecords ?? Number.MAX_SAFE_INTEGER;
  let record = 0;
  const { chunks, lines } = chunksOf(text);
  for (const chunk of chunks) {
    const long = lines ? overLineLimit(chunk.text) : undefined;
    if (long !== undefined) {
      if (++record > max) return;
      yield { record, error: `record ${record}: ${lineTooLong(long)} at line ${chunk.line + 1}` };
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(chunk.text);
    } catch (err) {
      if (++record > max) return;
      yield { record, error: describeJsonError(err as Error, chunk, record) };
      continue;
    }
    const items = Array.isArray(value) && chunk.text.trimStart().startsWith('[') ? value : [value];
    for (const item of items) {
      if (++record > max) return;
      yield toRecord(item, record, items.length > 1 ? JSON.stringify(item) : chunk.text, opts);
    }
  }
}

function toRecord(item: unknown, record: number, raw: string, opts: ReadOptions): EventRecord {
  if (typeof item !== 'object' || item === null || Array.isArray(item))
    return { record, error: `record ${record}: expected a JSON object, got ${jsonKind(item)}` };
  return {
    record,
    event: jsonToEvent(item, raw, {
      file: opts.file,
      source: opts.source ?? `import:${opts.file}`,
      record,
    }),
  };
}

/** The JSON name of a parsed value's kind: null, array, string, number, boolean or object. */
function jsonKind(v: unknown): string {
  if (v === null) return 'null';
  return Array.isArray(v) ? 'array' : typeof v;
}

/** Converts one parsed JSON object to an event: Windows shapes via windows.ts, else generic. */
export function jsonToEvent(
  obj: object,
  raw: string,
  at: { file?: string; source: string; record?: number },
): HaechiEvent {
  const position = { file: at.file, record: at.record };
  const shape = windowsShape(obj);
  if (shape) return windowsEvent(obj, shape, { source: at.source, raw, position });
  const fields: Record<string, unknown> = {};
  flattenJson(obj, '', fields);
  const receivedAt = Date.now();
  const time = genericTime(fields, receivedAt);
  return {
    id: randomUUID(),
    time,
    source: at.source,
    format: 'json',
    fields,
    norm: genericNorm(fields, time),
    raw,
    position,
    receivedAt,
  };
}

function genericTime(f: Record<string, unknown>, fallback: number): string {
  for (const k of ['@timestamp', 'timestamp', 'time', 'eventTime', 'ts']) {
    const v = f[k];
    const t =
      typeof v === 'number'
        ? v < 1e12
          ? v * 1000
          : v
        : typeof v === 'string'
          ? Date.parse(v)
          : NaN;
    if (!Number.isNaN(t)) return new Date(t).toISOString();
  }
  return new Date(fallback).toISOString();
}

const NORM_KEYS = [
  'source.ip',
  'destination.ip',
  'user.name',
  'host.name',
  'url.original',
  'http.request.method',
  'user_agent.original',
  'process.executable',
  'process.command_line',
];

function genericNorm(f: Record<string, unknown>, time: string): NormalizedFields {
  const n: NormalizedFields = { '@timestamp': time, 'event.dataset': 'json' };
  for (const k of NORM_KEYS) {
    const v = f[k];
    if (typeof v === 'string' || typeof v === 'number') n[k] = String(v);
  }
  const alt: [string, unknown][] = [
    ['source.ip', f.sourceIPAddress ?? f.src_ip ?? f['id.orig_h']],
    ['destination.ip', f.dest_ip ?? f['id.resp_h']],
    ['user.name', f['userIdentity.userName'] ?? f.user],
    ['host.name', f.hostname ?? f.host],
  ];
  for (const [k, v] of alt)
    if (n[k] === undefined && (typeof v === 'string' || typeof v === 'number')) n[k] = String(v);
  return n;
}
