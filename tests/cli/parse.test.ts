// `haechi parse` on folders and corrupt files: each bad file is named, the others still parsed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const ZEEK = path.resolve(ROOT, '../shared/data/zeek/zeek-default');
const hasZeek = fs.existsSync(ZEEK);

const haechi = (args: string[]) =>
  spawnSync(process.execPath, [path.join(ROOT, 'bin/haechi.mjs'), ...args], {
    encoding: 'utf8',
    timeout: 120_000,
  });

describe('haechi parse with folders and corrupt files', () => {
  it('names a corrupt .gz file, exits 1, and still parses the file after it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haechi-parse-'));
    fs.writeFileSync(path.join(dir, 'a-broken.log.gz'), 'not gzip at all');
    fs.writeFileSync(
      path.join(dir, 'b-access.log'),
      '203.0.113.9 - - [03/Dec/2026:10:00:00 +0000] "GET /a?b=1 HTTP/1.1" 404 12 "-" "curl/8"\n',
    );
    const r = haechi(['parse', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `haechi parse: ${path.join(dir, 'a-broken.log.gz')}: cannot read: incorrect header check`,
    );
    expect(r.stderr).toContain(`${path.join(dir, 'b-access.log')}: 1 events, 0 rejected`);
    const [event] = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(event['source.ip']).toBe('203.0.113.9');
    expect(event['http.response.status_code']).toBe(404);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!hasZeek)('reads every log of a Zeek folder (needs ../shared/data/zeek)', () => {
    const r = haechi(['parse', ZEEK]);
    expect(r.status).toBe(0);
    const logs = fs.readdirSync(ZEEK).filter((f) => f.endsWith('.log') || f.endsWith('.log.gz'));
    const summaries = r.stderr.split('\n').filter((l) => / events, \d+ rejected$/.test(l));
    expect(summaries.length).toBe(logs.length);
    const counted = summaries.reduce((n, l) => n + Number(/: (\d+) events/.exec(l)?.[1]), 0);
    expect(counted).toBeGreaterThan(0);
    expect(r.stdout.trim().split('\n').length).toBe(counted);
  });

  it('rejects every line over 262144 bytes, JSON or not, with its position, and goes on', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haechi-parse-'));
    const json = (n: number) => `{"message":"${'a'.repeat(n - 14)}"}`; // n bytes in all
    const access = '203.0.113.9 - - [03/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1';
    const lines = [
      json(20 * 1024 * 1024), // 1: the QA case, a 20 MB JSON line first
      json(262_144), // 2: exactly the maximum
      json(262_145) + '\r', // 3: one byte over (the CR is the line ending, not counted)
      'x'.repeat(300_000), // 4: not JSON
      `${access} "${'é'.repeat(140_000)}" "-"`, // 5: 140k characters but 280k bytes
      access, // 6
    ];
    const file = path.join(dir, 'long.log');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const arr = path.join(dir, 'array.json');
    fs.writeFileSync(arr, `[${json(300_000)}]`);
    const pretty = path.join(dir, 'pretty.json');
    fs.writeFileSync(pretty, '{\n  "message": "ok"\n}\n');
    const r = haechi(['parse', file, arr, pretty]);
    expect(r.status).toBe(0);
    const over = (n: number) => `line of ${n} bytes is longer than the maximum of 262144 bytes`;
    expect(r.stderr.split('\n').filter((l) => l.includes('rejected'))).toEqual([
      `${file}:1: rejected: ${over(20 * 1024 * 1024)}`,
      `${file}:3: rejected: ${over(262_145)}`,
      `${file}:4: rejected: ${over(300_000)}`,
      `${file}:5: rejected: ${over(Buffer.byteLength(lines[4]))}`,
      `${file}: 2 events, 4 rejected`,
      `${arr}:1: rejected: JSON document not read: its line 1: ${over(300_002)}`,
      `${arr}: 0 events, 1 rejected`,
      `${pretty}: 1 events, 0 rejected`,
    ]);
    const out = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out.map((e) => [e.record, e.format, (e.raw as string).length])).toEqual([
      [2, 'json', 262_144],
      [6, 'access-log', access.length],
      [1, 'json', 16],
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
