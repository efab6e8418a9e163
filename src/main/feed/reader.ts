// Reading a whole log file (plain or gzip) line by line through a parser session: used by
// `haechi parse`, file import and replay. JSON arrays and pretty-printed JSON documents are
// read whole (bounded) and yield one event per record.
import fs from 'node:fs';
import readline from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { ParserSession, type FormatName, type ParseOutcome } from './parsers';

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
  const firstLine = head.split('\n', 1)[0].trim();
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
  const lines = readline.createInterface({ input: open(file), crlfDelay: Infinity });
  let record = 0;
  for await (const line of lines) {
    record += 1;
    const outcome = session.parse(line, { source, position: { file, record } });
    yield { record, outcome };
  }
}
