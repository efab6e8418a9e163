// Correlation rules (event_count, value_count, temporal, temporal_ordered) and filters, on event
// sequences including the window edge.
import { describe, expect, it } from 'vitest';
import { SigmaEngine } from '../../../src/main/engine/sigma';
import { Correlator, MAX_GROUPS } from '../../../src/main/engine/sigma/correlation';
import type { RuleMatch } from '../../../src/shared/types';
import { compile, event, problemsOf } from './helpers';

const base = (id: string, name: string, eventId: number) =>
  `title: ${name}\nid: ${id}\nname: ${name}\nlogsource:\n  product: test\ndetection:\n  sel:\n    EventID: ${eventId}\n  condition: sel\n`;

const correlation = (body: string) => `title: corr\nid: c1\nlevel: high\ncorrelation:\n${body}\n`;

const at = (sec: number) => new Date(Date.UTC(2024, 0, 1) + sec * 1000).toISOString();

function run(engine: SigmaEngine, evs: [Record<string, unknown>, number][]): RuleMatch[] {
  return evs.flatMap(([f, sec]) => engine.match(event(f, at(sec))));
}

const failed = (ip: string, user = 'u') => ({ EventID: 4625, IpAddress: ip, TargetUserName: user });

describe('event_count', () => {
  const rules = () =>
    compile(
      `${base('b1', 'failed_logon', 4625)}---\n` +
        correlation(
          `  type: event_count\n  rules: [failed_logon]\n  group-by: [IpAddress]\n  timespan: 5m\n  condition:\n    gte: 3`,
        ),
    );

  it('fires when the count is reached within the timespan, per group', () => {
    const ms = run(new SigmaEngine(rules()), [
      [failed('1.1.1.1'), 0],
      [failed('2.2.2.2'), 10],
      [failed('1.1.1.1'), 60],
      [failed('1.1.1.1'), 120],
    ]);
    expect(ms).toHaveLength(1);
    expect(ms[0].ruleId).toBe('c1');
    expect(ms[0].correlation).toEqual({
      type: 'event_count',
      groupKey: 'IpAddress=1.1.1.1',
      count: 3,
    });
    expect(ms[0].eventIds).toHaveLength(3);
  });

  it('counts an event exactly one timespan after the first (inclusive edge)', () => {
    const ms = run(new SigmaEngine(rules()), [
      [failed('1.1.1.1'), 0],
      [failed('1.1.1.1'), 150],
      [failed('1.1.1.1'), 300],
    ]);
    expect(ms.map((m) => m.correlation?.count)).toEqual([3]);
  });

  it('does not count an event that fell out of the window', () => {
    const ms = run(new SigmaEngine(rules()), [
      [failed('1.1.1.1'), 0],
      [failed('1.1.1.1'), 150],
      [failed('1.1.1.1'), 301],
    ]);
    expect(ms).toEqual([]);
  });

  it('hides the base rule matches unless generate is true', () => {
    const quiet = run(new SigmaEngine(rules()), [[failed('1.1.1.1'), 0]]);
    expect(quiet).toEqual([]);
    const loud = compile(
      `${base('b1', 'failed_logon', 4625)}---\n` +
        correlation(
          `  type: event_count\n  rules: [failed_logon]\n  group-by: [IpAddress]\n  timespan: 5m\n  generate: true\n  condition:\n    gte: 3`,
        ),
    );
    expect(run(new SigmaEngine(loud), [[failed('1.1.1.1'), 0]]).map((m) => m.ruleId)).toEqual([
      'b1',
    ]);
  });

  it('evaluates lt conditions when the window closes', () => {
    const rules = compile(
      `${base('b1', 'failed_logon', 4625)}---\n` +
        correlation(
          `  type: event_count\n  rules: [b1]\n  group-by: [IpAddress]\n  timespan: 1m\n  condition:\n    lt: 2`,
        ),
    );
    const engine = new SigmaEngine(rules);
    expect(run(engine, [[failed('1.1.1.1'), 0]])).toEqual([]);
    const closed = run(engine, [[failed('1.1.1.1'), 120]]);
    expect(closed.map((m) => m.correlation?.count)).toEqual([1]);
    expect(engine.flush().map((m) => m.correlation?.count)).toEqual([1]);
  });
});

describe('correlation field names go through the field mapping', () => {
  // resources/mappings/sigma.yml: c-ip → source.ip, client (the access-log parser's name).
  const rules = (body: string) =>
    compile(`${base('b1', 'login_failure', 1)}---\n` + correlation(body));
  const hit = (client: string, user: string) => ({ EventID: 1, client, user });

  it('groups by a mapped name without an alias', () => {
    const ms = run(
      new SigmaEngine(
        rules(
          `  type: event_count\n  rules: [login_failure]\n  group-by: [c-ip]\n  timespan: 1m\n  condition:\n    gte: 3`,
        ),
      ),
      [
        [hit('10.0.0.1', 'a'), 0],
        [hit('10.0.0.2', 'a'), 1],
        [hit('10.0.0.1', 'b'), 2],
        [hit('10.0.0.1', 'c'), 3],
      ],
    );
    expect(ms.map((m) => m.correlation)).toEqual([
      { type: 'event_count', groupKey: 'c-ip=10.0.0.1', count: 3 },
    ]);
  });

  it('counts distinct values of a mapped name (value_count)', () => {
    const ms = run(
      new SigmaEngine(
        rules(
          `  type: value_count\n  rules: [login_failure]\n  group-by: [user]\n  timespan: 1m\n  condition:\n    field: c-ip\n    gte: 2`,
        ),
      ),
      [
        [hit('10.0.0.1', 'a'), 0],
        [hit('10.0.0.1', 'a'), 1],
        [hit('10.0.0.2', 'a'), 2],
      ],
    );
    expect(ms.map((m) => m.correlation)).toEqual([
      { type: 'value_count', groupKey: 'user=a', count: 2 },
    ]);
  });
});

describe('value_count', () => {
  it('counts distinct values of a field per group', () => {
    const rules = compile(
      `${base('b1', 'failed_logon', 4625)}---\n` +
        correlation(
          `  type: value_count\n  rules: [failed_logon]\n  group-by: [IpAddress]\n  timespan: 10m\n  condition:\n    field: TargetUserName\n    gte: 3`,
        ),
    );
    const ms = run(new SigmaEngine(rules), [
      [failed('1.1.1.1', 'alice'), 0],
      [failed('1.1.1.1', 'alice'), 10],
      [failed('1.1.1.1', 'bob'), 20],
      [failed('9.9.9.9', 'carol'), 25],
      [failed('1.1.1.1', 'carol'), 30],
    ]);
    expect(ms.map((m) => [m.correlation?.groupKey, m.correlation?.count])).toEqual([
      ['IpAddress=1.1.1.1', 3],
    ]);
  });
});

describe('temporal', () => {
  const rules = () =>
    compile(
      `${base('b1', 'a', 1)}---\n${base('b2', 'b', 2)}---\n` +
        correlation(`  type: temporal\n  rules: [a, b]\n  group-by: [Host]\n  timespan: 1m`),
    );

  it('fires when all rules match within the timespan, in any order', () => {
    const ms = run(new SigmaEngine(rules()), [
      [{ EventID: 2, Host: 'h1' }, 0],
      [{ EventID: 1, Host: 'h2' }, 10],
      [{ EventID: 1, Host: 'h1' }, 60],
    ]);
    expect(ms.map((m) => [m.ruleId, m.correlation?.groupKey])).toEqual([['c1', 'Host=h1']]);
  });

  it('does not fire when the second rule comes after the timespan', () => {
    const ms = run(new SigmaEngine(rules()), [
      [{ EventID: 2, Host: 'h1' }, 0],
      [{ EventID: 1, Host: 'h1' }, 61],
    ]);
    expect(ms).toEqual([]);
  });
});

describe('temporal_ordered', () => {
  const rules = () =>
    compile(
      `${base('b1', 'a', 1)}---\n${base('b2', 'b', 2)}---\n` +
        correlation(
          `  type: temporal_ordered\n  rules: [a, b]\n  group-by: [Host]\n  timespan: 1m`,
        ),
    );

  it('fires when the rules match in order', () => {
    const ms = run(new SigmaEngine(rules()), [
      [{ EventID: 1, Host: 'h1' }, 0],
      [{ EventID: 2, Host: 'h1' }, 30],
    ]);
    expect(ms.map((m) => m.correlation)).toEqual([
      { type: 'temporal_ordered', groupKey: 'Host=h1', count: 2 },
    ]);
  });

  it('does not fire on the reverse order', () => {
    const ms = run(new SigmaEngine(rules()), [
      [{ EventID: 2, Host: 'h1' }, 0],
      [{ EventID: 1, Host: 'h1' }, 30],
    ]);
    expect(ms).toEqual([]);
  });
});

describe('correlation state is bounded', () => {
  it(`keeps at most ${MAX_GROUPS} groups`, () => {
    const rules = compile(
      `${base('b1', 'failed_logon', 4625)}---\n` +
        correlation(
          `  type: event_count\n  rules: [failed_logon]\n  group-by: [IpAddress]\n  timespan: 1h\n  condition:\n    gte: 1000`,
        ),
    );
    const corr = new Correlator(rules[1]);
    for (let i = 0; i < MAX_GROUPS + 5000; i++) {
      corr.feed({ rule: rules[0], ev: event(failed(`10.0.${i >> 8}.${i & 255}`)), time: i });
    }
    expect(corr.groupCount).toBe(MAX_GROUPS);
  });
});

describe('correlation rule errors', () => {
  it('names a bad timespan with its position', () => {
    expect(
      problemsOf(
        correlation(
          `  type: event_count\n  rules: [x]\n  timespan: soon\n  condition:\n    gte: 2`,
        ),
      ),
    ).toEqual(['7:3 timespan "soon" is not a duration such as 30s, 5m, 1h or 2d']);
  });

  it('names an unknown type', () => {
    expect(problemsOf(correlation(`  type: event_sum\n  rules: [x]\n  timespan: 1m`))).toEqual([
      '5:3 correlation type "event_sum" is not one of event_count, value_count, temporal, temporal_ordered',
    ]);
  });
});

describe('filters', () => {
  const filter = `title: not on DCs\nid: f1\nlogsource:\n  product: test\nfilter:\n  rules: [r1]\n  selection:\n    ComputerName|startswith: 'DC-'\n  condition: not selection\n`;
  const rule = `title: t\nid: r1\nlogsource:\n  product: test\ndetection:\n  sel:\n    EventID: 1\n  condition: sel\n`;
  const other = `title: t2\nid: r2\nlogsource:\n  product: test\ndetection:\n  sel:\n    EventID: 1\n  condition: sel\n`;

  it('excludes the named rule on events the filter rejects, and leaves other rules alone', () => {
    const engine = new SigmaEngine(compile(`${rule}---\n${other}---\n${filter}`));
    expect(engine.match(event({ EventID: 1, ComputerName: 'DC-01' })).map((m) => m.ruleId)).toEqual(
      ['r2'],
    );
    expect(
      engine
        .match(event({ EventID: 1, ComputerName: 'WS-01' }))
        .map((m) => m.ruleId)
        .sort(),
    ).toEqual(['r1', 'r2']);
  });

  it('does not apply to rules of another log source', () => {
    const winRule = rule.replace('product: test', 'product: windows');
    const engine = new SigmaEngine(compile(`${winRule}---\n${filter}`));
    expect(engine.ruleInfos().map((r) => r.kind)).toEqual(['detection', 'filter']);
    const ev = {
      ...event({ EventID: 1, ComputerName: 'DC-01' }),
      logsource: { product: 'windows' },
    };
    expect(engine.match(ev).map((m) => m.ruleId)).toEqual(['r1']);
  });
});
