// Event files as text: one JSON object, a JSON array, NDJSON (one object per line), or
// pretty-printed objects one after another. Each record keeps its 1-based position; a record that
// does not parse is reported (`record N: … at line L, column C`) and reading goes on.
import { randomUUID } from 'node:crypto';
import type { HaechiEvent, NormalizedFields } from '../../shared/types';
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
    if (ch === '"') inStr = true;
    else if (ch === '{' || ch === '[') {
      if (depth++ === 0) {
        start = i;
        startLine = line;
      }
    } else if ((ch === '}' || ch === ']') && depth > 0 && --depth === 0) {
      out.push({ text: text.slice(start, i + 1), line: startLine });
      start = -1;
    } else if (depth === 0 && !/\s/.test(ch)) {
      // Stray text between values: its own (bad) record up to the end of the line.
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      out.push({ text: text.slice(i, stop), line });
      i = stop - 1;
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

/** NDJSON when every non-empty line starts an object; else concatenated (pretty) values. */
function chunksOf(text: string): Chunk[] {
  const body = text.replace(/^\uFEFF/, '');
  const trimmed = body.trimStart();
  if (trimmed.startsWith('[')) return [{ text: body, line: 0 }];
  const lines = lineChunks(body);
  const firstLineParses = lines.length > 0 && parses(lines[0].text);
  return firstLineParses ? lines : splitValues(body);
}

function parses(s: string): boolean {
  try {
    const v = JSON.parse(s);
    return typeof v === 'object' && v !== null;
  } catch {
    return false;
  }
}

/** Turns JSON.parse's "at position P" into line and column inside the file. */
export function describeJsonError(err: Error, chunk: Chunk, record: number): string {
  const m = / in JSON at position (\d+)/.exec(err.message);
  const what = err.message
    .replace(/ in JSON at position \d+.*$/, '')
    .replace(/ \(line \d+ column \d+\)$/, '');
  if (!m) return `record ${record}: ${what}`;
  const pos = Number(m[1]);
  const before = chunk.text.slice(0, pos);
  const nl = before.lastIndexOf('\n');
  const line = chunk.line + (before.match(/\n/g)?.length ?? 0) + 1;
  const column = pos - nl;
  return `record ${record}: ${what} at line ${line}, column ${column}`;
}

/** Reads an event file's text, yielding each record's event or error. */
export function* readEventText(text: string, opts: ReadOptions): Generator<EventRecord> {
  const max = opts.maxRecords ?? Number.MAX_SAFE_INTEGER;
  let record = 0;
  for (const chunk of chunksOf(text)) {
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
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return {
      record,
      error: `record ${record}: expected a JSON object, got ${Array.isArray(item) ? 'an array' : typeof item}`,
    };
  }
  return {
    record,
    event: jsonToEvent(item, raw, {
      file: opts.file,
      source: opts.source ?? `import:${opts.file}`,
      record,
    }),
  };
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
