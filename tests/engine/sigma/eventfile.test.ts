// Event files that are not JSON objects: each bad record says what it got and where; the rest is
// read.
import { describe, expect, it } from 'vitest';
import { readEventText } from '../../../src/main/feed/eventfile';
import { MAX_LINE_BYTES } from '../../../src/main/feed/parsers';

function outcomes(text: string): string[] {
  return [...readEventText(text, { file: 'f.json' })].map(
    (r) => r.error ?? `event ${r.event?.position?.record}`,
  );
}

describe('event file records that are not objects', () => {
  it('names null, array, string and number records by their JSON kind', () => {
    expect(outcomes('null')).toEqual(['record 1: expected a JSON object, got null']);
    expect(outcomes('[null, [1], "a", 3, true, {"a": 1}]')).toEqual([
      'record 1: expected a JSON object, got null',
      'record 2: expected a JSON object, got array',
      'record 3: expected a JSON object, got string',
      'record 4: expected a JSON object, got number',
      'record 5: expected a JSON object, got boolean',
      'event 6',
    ]);
    expect(outcomes('{"a": 1}\nnull\n{"b": 2}\n')).toEqual([
      'event 1',
      'record 2: expected a JSON object, got null',
      'event 3',
    ]);
  });
});

describe('a file that is one JSON string or number', () => {
  it('is one bad record with its kind, not an empty file', () => {
    expect(outcomes('"str"')).toEqual(['record 1: expected a JSON object, got string']);
    expect(outcomes('  "str"\n')).toEqual(['record 1: expected a JSON object, got string']);
    expect(outcomes('42')).toEqual(['record 1: expected a JSON object, got number']);
    expect(outcomes('"{ not an object }"\n{\n  "a": 1\n}\n')).toEqual([
      'record 1: expected a JSON object, got string',
      'event 2',
    ]);
  });
});

describe('the one maximum line length (MAX_LINE_BYTES) in event files', () => {
  const long = `{"pad": "${'x'.repeat(MAX_LINE_BYTES)}"}`;
  const size = MAX_LINE_BYTES + 11;

  it('rejects an NDJSON record over the limit with its position and reason, reads the rest', () => {
    expect(outcomes(`{"a": 1}\n${long}\n{"b": 2}\n`)).toEqual([
      'event 1',
      `record 2: line of ${size} bytes is longer than the maximum of 262144 bytes at line 2`,
      'event 3',
    ]);
    // The first line itself over the limit: still NDJSON, judged by the next line.
    expect(outcomes(`${long}\r\n{"b": 2}\n`)).toEqual([
      `record 1: line of ${size} bytes is longer than the maximum of 262144 bytes at line 1`,
      'event 2',
    ]);
  });

  it('reads a single JSON document over the line length (bounded by the file size instead)', () => {
    expect(outcomes(long)).toEqual(['event 1']);
    expect(outcomes(`[${long}, {"b": 2}]`)).toEqual(['event 1', 'event 2']);
  });
});
