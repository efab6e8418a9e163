// Reading a whole log file (plain or gzip) line by line through a parser session: used by
// `haechi parse`, file import and replay. JSON arrays and pretty-printed JSON documents are
// read whole (bounded) and yield one event per record.
import fs from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import {
  lineTooLong,
  MAX_LINE_BYTES,
  ParserSession,
  type FormatName,
  type ParseOutcome,
} from './parsers';

export const MAX_WHOLE_JSON = 256 * 1024 * 1024;

export interface FileOutcome {
  record: number;
  outcome: ParseOutcome;
}

function open(file: string): Readable {
  const raw = fs.createReadStream(file);
  return file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
}

async function peek(file: string): Promise<string> {
  const stream = open(file);
  let head = '';
  for await (const chunk of stream) {
    head += chunk.toString('utf8');
    if (head.length >= 4096) break;
  }
  stream.destroy();
  return head;
}

/** True when the file is one JSON document (an array, or an object spread over lines). */
async function isWholeJson(file: string): Promise<boolean> {
  const head = (await peek(file)).trimStart();
  if (head.startsWith('[')) return true;
  if (!head.startsWith('{')) return false;
  // A first line longer than the peek is one long JSON line: read as lines, under the line limit.
  const eol = head.indexOf('\n');
  if (eol < 0) return false;
  const firstLine = head.slice(0, eol).trim();
  try {
    JSON.parse(firstLine);
    return false;
  } catch {
    return true;
  }
}

async function* readWholeJson(
  file: string,
  session: ParserSession,
  source: string,
): AsyncGenerator<FileOutcome> {
  const size = fs.statSync(file).size;
  if (size > MAX_WHOLE_JSON) {
    yield {
      record: 1,
      outcome: { ok: false, reason: `JSON document larger than ${MAX_WHOLE_JSON} bytes` },
    };
    return;
  }
  let text = '';
  for await (const chunk of open(file)) text += chunk.toString('utf8');
  const long = longestLine(text);
  if (long.bytes > MAX_LINE_BYTES) {
    const reason = `JSON document not read: its line ${long.line}: ${lineTooLong(long.bytes)}`;
    yield { record: 1, outcome: { ok: false, reason } };
    return;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    yield { record: 1, outcome: { ok: false, reason: `json: ${(err as Error).message}` } };
    return;
  }
  const records = Array.isArray(doc) ? doc : [doc];
  for (let i = 0; i < records.length; i++) {
    const ctx = { source, position: { file, record: i + 1 } };
    yield {
      record: i + 1,
      outcome: session.parseObject(records[i], JSON.stringify(records[i]), ctx),
    };
  }
}

/** The first line of `text` over the maximum (1-based), or the longest one, with its UTF-8 size. */
function longestLine(text: string): { line: number; bytes: number } {
  let best = { line: 1, bytes: 0 };
  for (let start = 0, line = 1; start <= text.length; line++) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    if ((end - start) * 3 > MAX_LINE_BYTES) {
      const bytes = Buffer.byteLength(text.slice(start, end).replace(/\r$/, ''), 'utf8');
      if (bytes > best.bytes) best = { line, bytes };
      if (bytes > MAX_LINE_BYTES) return best;
    }
    if (nl < 0) break;
    start = nl + 1;
  }
  return best;
}

interface Line {
  /** The line without its ending; undefined when it is over MAX_LINE_BYTES (not kept). */
  text?: string;
  bytes: number;
}

/**
 * Lines split on LF (a CR before it dropped), holding at most MAX_LINE_BYTES + 1 bytes of any line:
 * a longer line is only counted, so one huge line costs no more memory than the limit.
 */
async function* boundedLines(stream: Readable): AsyncGenerator<Line> {
  let parts: Buffer[] = [];
  let bytes = 0;
  let last = 0;
  const take = (piece: Buffer): void => {
    if (piece.length) last = piece[piece.length - 1];
    if (bytes + piece.length <= MAX_LINE_BYTES + 1) parts.push(piece);
    else parts = [];
    bytes += piece.length;
  };
  const finish = (): Line => {
    const kept = parts.length && bytes <= MAX_LINE_BYTES + 1 ? Buffer.concat(parts) : undefined;
    const size = bytes;
    [parts, bytes] = [[], 0];
    if (!kept) return size ? { bytes: last === 13 ? size - 1 : size } : { text: '', bytes: 0 };
    const body = kept[kept.length - 1] === 13 ? kept.subarray(0, -1) : kept;
    return body.length > MAX_LINE_BYTES
      ? { bytes: body.length }
      : { text: body.toString('utf8'), bytes: body.length };
  };
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
      take(chunk.subarray(start, nl));
      yield finish();
      start = nl + 1;
    }
    if (start < chunk.length) take(chunk.subarray(start));
  }
  if (bytes > 0) yield finish();
}

/** Every line (or JSON record) of `file`, parsed. Records are 1-based. */
export async function* readLogFile(
  file: string,
  opts: { format?: FormatName; source?: string; year?: number } = {},
): AsyncGenerator<FileOutcome> {
  const session = new ParserSession(opts.format ?? 'auto', { year: opts.year });
  const source = opts.source ?? `import:${file}`;
  if ((opts.format ?? 'auto') === 'auto' || opts.format === 'json') {
    if (await isWholeJson(file)) {
      yield* readWholeJson(file, session, source);
      return;
    }
  }
  let record = 0;
  for await (const line of boundedLines(open(file))) {
    record += 1;
    const outcome: ParseOutcome =
      line.text === undefined
        ? { ok: false, reason: lineTooLong(line.bytes) }
        : session.parse(line.text, { source, position: { file, record } });
    yield { record, outcome };
  }
}
