// Loading rule files: located, actionable errors; the other rules still load; metadata kept;
// filters by status and level.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRules, parseRuleText, SigmaEngine } from '../../../src/main/engine/sigma';
import { problemsOf } from './helpers';

const FIX = join(import.meta.dirname, '../../fixtures/sigma/bad-rules');

describe('loading rules', () => {
  it('reports each bad rule with file, line, column and reason, and loads the rest', async () => {
    const { rules, problems } = await loadRules([FIX]);
    expect(rules.map((r) => r.id)).toEqual(['11111111-0000-0000-0000-000000000003']);
    expect(problems).toEqual([
      {
        file: join(FIX, 'bad_level.yml'),
        line: 10,
        column: 1,
        message: 'level "severe" is not one of informational, low, medium, high, critical',
      },
      {
        file: join(FIX, 'bad_yaml.yml'),
        line: 9,
        column: 1,
        message: "YAML: Missing closing 'quote",
      },
      {
        file: join(FIX, 'nested/aggregation.yaml'),
        line: 9,
        column: 26,
        message:
          'the aggregation "count() by IpAddress > 5" is deprecated Sigma syntax; write a correlation rule of type event_count with group-by: [IpAddress] and a timespan that references this rule, and keep only the selection in this condition',
      },
    ]);
  });

  it('keeps the rule metadata', async () => {
    const { rules } = await loadRules([join(FIX, 'good.yml')]);
    const engine = new SigmaEngine(rules);
    expect(engine.ruleInfos()).toEqual([
      {
        id: '11111111-0000-0000-0000-000000000003',
        title: 'Whoami',
        status: 'test',
        level: 'low',
        tags: ['attack.discovery', 'attack.t1033'],
        file: join(FIX, 'good.yml'),
        logsource: { product: 'windows', category: 'process_creation', service: undefined },
        author: 'Haechi tests',
        references: ['https://example.org/whoami'],
        falsepositives: ['Admins'],
        description: undefined,
        kind: 'detection',
      },
    ]);
    expect(engine.ruleSource('11111111-0000-0000-0000-000000000003')?.yaml).toContain(
      "Image|endswith: '\\whoami.exe'",
    );
    expect(engine.ruleSource('nope')).toBeNull();
  });

  it('filters by status and minimum level', async () => {
    expect((await loadRules([FIX], { status: ['stable'] })).rules).toEqual([]);
    expect((await loadRules([FIX], { status: ['test'] })).rules).toHaveLength(1);
    expect((await loadRules([FIX], { minLevel: 'medium' })).rules).toEqual([]);
    expect((await loadRules([FIX], { minLevel: 'low' })).rules).toHaveLength(1);
  });

  it('reports a missing path', async () => {
    const { problems } = await loadRules([join(FIX, 'missing')]);
    expect(problems).toEqual([{ file: join(FIX, 'missing'), message: 'cannot read: ENOENT' }]);
  });

  it('rejects an empty rule file (0 bytes or only comments) and loads the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'haechi-empty-rules-'));
    try {
      writeFileSync(join(dir, 'a_empty.yml'), '');
      writeFileSync(join(dir, 'b_comments.yaml'), '# only a comment\n\n# and another\n');
      const { rules, problems } = await loadRules([dir, join(FIX, 'good.yml')]);
      expect(rules.map((r) => r.id)).toEqual(['11111111-0000-0000-0000-000000000003']);
      expect(problems).toEqual([
        { file: join(dir, 'a_empty.yml'), line: 1, column: 1, message: 'the file holds no rule' },
        {
          file: join(dir, 'b_comments.yaml'),
          line: 1,
          column: 1,
          message: 'the file holds no rule',
        },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a duplicate id, naming the first file', async () => {
    const dir = join(FIX, '../dup');
    const { rules, problems } = await loadRules([dir]);
    expect(rules.map((r) => r.title)).toEqual(['a']);
    expect(problems).toEqual([
      {
        file: join(dir, 'b.yml'),
        line: 1,
        column: 1,
        message: `rule id same-id is already used by ${join(dir, 'a.yml')}; give this rule its own id`,
      },
    ]);
  });

  it('names missing parts of a rule', () => {
    expect(
      problemsOf('id: x\nlogsource:\n  product: p\ndetection:\n  s:\n    A: 1\n  condition: s\n'),
    ).toEqual(['1:1 the rule has no "title"; add a short title']);
    expect(problemsOf('title: t\nlogsource:\n  product: p\ndetection:\n  s:\n    A: 1\n')).toEqual([
      '4:1 the detection has no "condition"; add e.g. "condition: selection"',
    ]);
    expect(
      problemsOf(
        'title: t\nlogsource:\n  product: p\ndetection:\n  s:\n    A|contains|startswith: x\n  condition: s\n',
      ),
    ).toEqual(['6:5 "A|contains|startswith" combines contains and startswith; use one']);
    expect(
      problemsOf(
        'title: t\nlogsource:\n  product: p\ndetection:\n  s:\n    A|cidr: 10.0.0.0/33\n  condition: s\n',
      ),
    ).toEqual(['6:5 cidr value "10.0.0.0/33" has an invalid prefix length']);
  });

  it('parses one rule document per YAML document and reports each failing one', () => {
    const ok =
      'title: a\nid: a\nlogsource:\n  product: p\ndetection:\n  s:\n    A: 1\n  condition: s\n';
    const bad =
      'title: b\nid: b\nlogsource:\n  product: p\ndetection:\n  s:\n    A: 1\n  condition: t\n';
    const { rules, problems } = parseRuleText(`${ok}---\n${bad}`, 'multi.yml');
    expect(rules.map((r) => r.id)).toEqual(['a']);
    expect(problems).toEqual([
      {
        file: 'multi.yml',
        line: 17,
        column: 14,
        message: 'condition uses "t", which is not a selection of this rule (selections: s)',
      },
    ]);
  });
});
