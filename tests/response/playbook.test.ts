// Playbooks: parsing with errors that point at the field and the bad value, conditions on the
// alert and its event, and Haechi's starter pack.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conditionMatches } from '../../src/main/response/condition';
import { loadPlaybookDir, parsePlaybook, PlaybookError } from '../../src/main/response/playbook';
import { parseResponseConfig, createEnforcer } from '../../src/main/response/config';
import { makeAlert, makeEvent } from './helpers';

const STARTER = join(__dirname, '../../resources/playbooks');

function problems(yaml: string): string[] {
  try {
    parsePlaybook(yaml, 'pb.yaml');
  } catch (err) {
    if (err instanceof PlaybookError) return err.problems;
    throw err;
  }
  return [];
}

describe('playbook parsing', () => {
  it('names the file, line, field and bad value of every problem', () => {
    const yaml = [
      'name: Block It',
      'mode: sometimes',
      'when:',
      '  minScore: 120',
      'then:',
      '  - action: block-ip',
      '    ttl: 10x',
      '',
    ].join('\n');
    expect(problems(yaml)).toEqual([
      'pb.yaml:1:7: name: "Block It": must be lowercase letters, digits and dashes',
      'pb.yaml:2:7: mode: "sometimes": Invalid option: expected one of "auto"|"approve"|"dry-run"',
      'pb.yaml:4:13: when.minScore: 120: Too big: expected number to be <=100',
      'pb.yaml:7:10: then[0].ttl: "10x": is not a duration between 1s and 30d (use 30s, 10m, 1h, 1d)',
    ]);
  });

  it('reports YAML syntax errors with their position', () => {
    expect(problems('name: x\nmode: [auto\n')).toEqual([
      'pb.yaml:3:1: YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('requires a name for header and parameter WAF rules and a valid regular expression', () => {
    const yaml =
      "name: w\nmode: auto\nwhen:\n  fields:\n    - field: url.original\n      op: matches\n      value: '(a'\nthen:\n  - action: waf-rule\n    field: header\n    value: x\n    ttl: 1h\n";
    expect(problems(yaml)).toEqual([
      'pb.yaml:7:14: when.fields[0].value: "(a": is not a valid regular expression (Invalid regular expression: /(a/: Unterminated group)',
      'pb.yaml:9:5: then[0].name: missing: is required for field header',
    ]);
  });

  it('loads the starter pack, including block-high-score in dry-run', () => {
    const { playbooks, problems: bad } = loadPlaybookDir(STARTER);
    expect(bad).toEqual([]);
    expect(playbooks.map((p) => `${p.name}:${p.mode}`)).toEqual([
      'block-high-score:dry-run',
      'block-intel-hit:dry-run',
      'notify-critical:auto',
      'waf-scanner-user-agent:dry-run',
    ]);
    const block = playbooks[0];
    expect(block.when).toEqual({ minScore: 70 });
    expect(block.then).toEqual([{ action: 'block-ip', target: '{{source.ip}}', ttl: 3600 }]);
  });
});

describe('playbook conditions', () => {
  const pb = parsePlaybook(
    [
      'name: c',
      'mode: auto',
      'when:',
      '  minScore: 60',
      '  tags: [attack.T1190]',
      '  indicatorHit: true',
      '  fields:',
      '    - { field: source.ip, op: in-cidr, value: 203.0.113.0/24 }',
      "    - { field: url.original, op: contains, value: ['union', 'select'] }",
      '    - { field: http.request.method, op: not-equals, value: [OPTIONS, HEAD] }',
      'then:',
      '  - { action: notify, channel: soc }',
      '',
    ].join('\n'),
  );
  const intel = { kind: 'intel' as const, label: 'indicator 203.0.113.5', points: 20 };
  const event = makeEvent({
    'source.ip': '203.0.113.5',
    'url.original': '/q?id=1 union all',
    'http.request.method': 'GET',
  });

  it('matches when every part holds', () => {
    expect(conditionMatches(pb.when, makeAlert({ score: 60, parts: [intel] }), event)).toBe(true);
  });

  it.each([
    ['a lower score', { score: 59, parts: [intel] }, {}],
    ['no indicator hit', { score: 90, parts: [] }, {}],
    ['another tag', { score: 90, parts: [intel], tags: ['attack.t1059'] }, {}],
    [
      'an address outside the range',
      { score: 90, parts: [intel] },
      { 'source.ip': '198.51.100.5' },
    ],
    [
      'a method in the excluded list',
      { score: 90, parts: [intel] },
      { 'http.request.method': 'HEAD' },
    ],
  ])('does not match %s', (_why, alert, norm) => {
    expect(conditionMatches(pb.when, makeAlert(alert), makeEvent({ ...event.norm, ...norm }))).toBe(
      false,
    );
  });
});

describe('response configuration', () => {
  it('names the enforcer, field and bad value of a config error', () => {
    const cfg = parseResponseConfig(
      'enforcers:\n  - name: edge\n    kind: nftables\n    config: { table: "bad name" }\n',
    );
    expect(() => createEnforcer(cfg.enforcers[0], () => '')).toThrow(
      'enforcer edge (nftables) config: table: "bad name": must be an nftables name (letters, digits, _ and -)',
    );
    expect(() =>
      parseResponseConfig('blocksPerMinute: 0\nallowlist: { ranges: [10.0.0.0/8] }\n'),
    ).toThrow('response.yaml: blocksPerMinute: 0: Too small: expected number to be >=1');
    expect(() => parseResponseConfig('enforcers:\n  - { name: a, kind: iptables }\n')).toThrow(
      'response.yaml: enforcers[0].kind: "iptables": Invalid option',
    );
  });
});
