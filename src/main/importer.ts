// Import: turns a log file's text (File → Import, drag and drop, `importEvents`) into events.
// JSON (one object, an array, NDJSON, the Windows shapes) goes through the event-file reader;
// any other text goes line by line through the feed's parsers (access logs, syslog, CEF, Zeek…).
import { readEventText } from './feed/eventfile';
import { ParserSession } from './feed/parsers';
import type { HaechiEvent } from '../shared/types';

/** Bound on the records one import reads. */
export const MAX_IMPORT_RECORDS = 5_000_000;
/** Bound on the rejected records listed back (all are counted). */
export const MAX_LISTED_REJECTS = 1000;

export interface ImportChunk {
  events: HaechiEvent[];
  rejected: { record: number; reason: string }[];
}

function looksLikeJson(text: string): boolean {
  const head = text.replace(/^\uFEFF/, '').trimStart()[0];
  return head === '{' || head === '[';
}

/** Why the whole text is not a log (record 0 = the file itself), or undefined when it may be. */
export function wholeFileProblem(content: string): string | undefined {
  if (content.trim() === '') return 'the file is empty: no events';
  const head = content.slice(0, 65536);
  const nul = head.indexOf('\0');
  if (nul >= 0)
    return `NUL bytes from character ${nul + 1} (binary, or UTF-16 text): not a UTF-8 text log`;
  // A binary file read as UTF-8 is full of U+FFFD replacement characters.
  const bad = head.split('\uFFFD').length - 1;
  if (bad > 16 && bad / head.length > 0.05)
    return `binary content (${bad} undecodable characters in the first ${head.length}): not a text log`;
  return undefined;
}

/** Reads the text in chunks of `size` events, so the caller can store each and yield. */
export function* readImport(name: string, content: string, size = 2000): Generator<ImportChunk> {
  const problem = wholeFileProblem(content);
  if (problem) {
    yield { events: [], rejected: [{ record: 0, reason: problem }] };
    return;
  }
  let chunk: ImportChunk = { events: [], rejected: [] };
  for (const rec of records(name, content)) {
    if (rec.event) chunk.events.push(rec.event);
    else if (rec.error) chunk.rejected.push({ record: rec.record, reason: rec.error });
    if (chunk.events.length >= size) {
      yield chunk;
      chunk = { events: [], rejected: [] };
    }
  }
  if (chunk.events.length || chunk.rejected.length) yield chunk;
}

interface Rec {
  record: number;
  event?: HaechiEvent;
  error?: string;
}

function* records(name: string, content: string): Generator<Rec> {
  if (looksLikeJson(content)) {
    yield* readEventText(content, { file: name, maxRecords: MAX_IMPORT_RECORDS });
    return;
  }
  const session = new ParserSession('auto');
  const lines = content.split('\n');
  const limit = Math.min(lines.length, MAX_IMPORT_RECORDS);
  for (let i = 0; i < limit; i++) {
    const out = session.parse(lines[i], {
      source: `import:${name}`,
      position: { file: name, record: i + 1 },
    });
    if (out.ok === true) yield { record: i + 1, event: out.event };
    else if (out.ok === false) yield { record: i + 1, error: `line ${i + 1}: ${out.reason}` };
  }
}
