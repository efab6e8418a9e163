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
});
