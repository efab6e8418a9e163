// `haechi scan`: matches on stdout as NDJSON, rule problems, skipped files and a summary on stderr.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA, hasData } from './helpers';

const ROOT = join(import.meta.dirname, '../../..');

function scan(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/haechi.mjs', 'scan', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 300_000,
  });
  return {
    code: r.status,
    out: r.stdout.split('\n').filter(Boolean),
    err: r.stderr.split('\n').filter(Boolean),
  };
}

describe('haechi scan', () => {
  it('prints matches, rejected rules, skipped files, bad records and the summary', () => {
    const r = scan('--rules', 'tests/fixtures/sigma/bad-rules', 'tests/fixtures/sigma/events');
    expect(r.code).toBe(0);
    expect(r.out.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      {
        ruleId: '11111111-0000-0000-0000-000000000003',
        ruleTitle: 'Whoami',
        level: 'low',
        file: 'tests/fixtures/sigma/events/sysmon.ndjson',
        record: 1,
        selections: ['selection'],
      },
      {
        ruleId: '11111111-0000-0000-0000-000000000003',
        ruleTitle: 'Whoami',
        level: 'low',
        file: 'tests/fixtures/sigma/events/winlogbeat.json',
        record: 1,
        selections: ['selection'],
      },
    ]);
    expect(r.err.slice(0, 6)).toEqual([
      'rule rejected: tests/fixtures/sigma/bad-rules/bad_level.yml:10:1: level "severe" is not one of informational, low, medium, high, critical',
      "rule rejected: tests/fixtures/sigma/bad-rules/bad_yaml.yml:9:1: YAML: Missing closing 'quote",
      'rule rejected: tests/fixtures/sigma/bad-rules/nested/aggregation.yaml:9:26: the aggregation "count() by IpAddress > 5" is deprecated Sigma syntax; write a correlation rule of type event_count with group-by: [IpAddress] and a timespan that references this rule, and keep only the selection in this condition',
      'skipped: tests/fixtures/sigma/events/info.yml: YAML metadata, not events',
      'skipped: tests/fixtures/sigma/events/sample.evtx: binary EVTX is not read; convert it to JSON first (e.g. evtx_dump -o json)',
      'tests/fixtures/sigma/events/sysmon.ndjson: record 2: Unexpected token "o" at line 2, column 73',
    ]);
    expect(r.err[6]).toMatch(
      /^files: 2, skipped: 2, events: 3, bad records: 1, rules loaded: 1, rules rejected: 3, matches: 2, rule load: \d+\.\d\d s, scan time: \d+\.\d\d s, events\/s: \d+$/,
    );
  });

  it('says how to call it when arguments are missing', () => {
    const r = scan('--rules', 'tests/fixtures/sigma/bad-rules');
    expect(r.code).toBe(2);
    expect(r.err).toEqual(['usage: haechi scan --rules PATH... FILE_OR_DIR...']);
  });

  it.skipIf(!hasData)(
    'finds the expected rule in the regression data (skipped when ../shared/data is absent)',
    () => {
      const r = scan(
        '--rules',
        join(DATA, 'sigma/rules'),
        join(DATA, 'sigma/rules-emerging-threats'),
        join(DATA, 'sigma/rules-threat-hunting'),
        join(DATA, 'sigma_regression'),
      );
      expect(r.code).toBe(0);
      const summary = r.err[r.err.length - 1];
      expect(summary).toMatch(
        /^files: 173, skipped: 195, events: 208, bad records: 0, rules loaded: 3754, rules rejected: 0, matches: \d+, /,
      );
      const files = new Set(
        r.out.map(
          (l) =>
            (JSON.parse(l) as { file: string; ruleId: string }).file +
            ' ' +
            (JSON.parse(l) as { ruleId: string }).ruleId,
        ),
      );
      // Each regression JSON file is named after the rule it must trigger.
      const named = [...files].filter((s) => {
        const [file, id] = s.split(' ');
        return file.endsWith(`/${id}.json`);
      });
      expect(new Set(named.map((s) => s.split(' ')[0])).size).toBe(172);
    },
  );
});

describe('haechi scan on bad input', () => {
  it('stops with exit 1 and says why when no rule could be loaded', () => {
    const r = scan('--rules', '/nonexistent-rules', 'tests/fixtures/sigma/events');
    expect(r.code).toBe(1);
    expect(r.err[r.err.length - 1]).toBe(
      'no rule loaded from /nonexistent-rules: nothing to match; check the --rules paths',
    );
    expect(r.out).toEqual([]);
  });

  it('skips a binary file with one line and still scans the rest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'haechi-scan-'));
    writeFileSync(join(dir, 'a-garbage.json'), Buffer.from([0x7b, 0x00, 0xff, 0x10, 0x0a, 0x22]));
    copyFileSync(
      join(ROOT, 'tests/fixtures/sigma/events/winlogbeat.json'),
      join(dir, 'b-winlogbeat.json'),
    );
    const r = scan('--rules', 'tests/fixtures/sigma/bad-rules', dir);
    expect(r.code).toBe(0);
    expect(r.err).toContain(
      `skipped: ${join(dir, 'a-garbage.json')}: binary data, not a JSON or NDJSON event file`,
    );
    expect(r.out.map((l) => (JSON.parse(l) as { file: string }).file)).toEqual([
      join(dir, 'b-winlogbeat.json'),
    ]);
    rmSync(dir, { recursive: true, force: true });
  });
});
