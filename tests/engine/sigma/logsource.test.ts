// Log-source routing and field-name mapping (resources/mappings/sigma.yml, or a user's file).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMapping, parseRuleText, SigmaEngine } from '../../../src/main/engine/sigma';
import { jsonToEvent } from '../../../src/main/feed/eventfile';
import type { HaechiEvent } from '../../../src/shared/types';
import { compile } from './helpers';

const rule = (id: string, logsource: string, detection: string) =>
  `title: ${id}\nid: ${id}\nlogsource:\n${logsource}\ndetection:\n${detection}\n  condition: sel\n`;

const rules = () =>
  compile(
    [
      rule(
        'proc',
        '  product: windows\n  category: process_creation',
        "  sel:\n    Image|endswith: '\\whoami.exe'",
      ),
      rule(
        'img',
        '  product: windows\n  category: image_load',
        "  sel:\n    Image|endswith: '\\whoami.exe'",
      ),
      rule('sec', '  product: windows\n  service: security', '  sel:\n    EventID: 4688'),
      rule('win', '  product: windows', "  sel:\n    Image|endswith: '\\whoami.exe'"),
      rule('aws', '  product: aws\n  service: cloudtrail', "  sel:\n    eventName: 'ConsoleLogin'"),
      rule('web', '  category: webserver', "  sel:\n    cs-uri-query|contains: 'union select'"),
    ].join('---\n'),
  );

const json = (o: object): HaechiEvent => jsonToEvent(o, JSON.stringify(o), { source: 't' });
const ids = (engine: SigmaEngine, ev: HaechiEvent) =>
  engine
    .match(ev)
    .map((m) => m.ruleId)
    .sort();

describe('log-source routing', () => {
  const engine = new SigmaEngine(rules());

  it('routes Sysmon event 1 to process_creation rules only', () => {
    const ev = json({
      EventID: 1,
      Channel: 'Microsoft-Windows-Sysmon/Operational',
      Image: 'C:\\Windows\\System32\\whoami.exe',
    });
    expect(ids(engine, ev)).toEqual(['proc', 'win']);
  });

  it('routes Sysmon event 7 to image_load rules only', () => {
    const ev = json({
      EventID: 7,
      Channel: 'Microsoft-Windows-Sysmon/Operational',
      Image: 'C:\\Windows\\System32\\whoami.exe',
    });
    expect(ids(engine, ev)).toEqual(['img', 'win']);
  });

  it('treats Security 4688 as process_creation with NewProcessName as Image, and as service security', () => {
    const ev = json({
      EventID: 4688,
      Channel: 'security',
      NewProcessName: 'C:\\Windows\\System32\\whoami.exe',
    });
    expect(ids(engine, ev)).toEqual(['proc', 'sec', 'win']);
  });

  it('routes CloudTrail records to cloudtrail rules, never to Windows rules', () => {
    const ev = json({
      eventSource: 'signin.amazonaws.com',
      eventName: 'ConsoleLogin',
      awsRegion: 'us-east-1',
      Image: '\\whoami.exe',
    });
    expect(ids(engine, ev)).toEqual(['aws']);
  });

  it('routes web access events by their ECS fields', () => {
    const ev = json({
      'url.original': '/a?id=1 UNION SELECT x',
      'url.query': 'id=1 UNION SELECT x',
      'http.request.method': 'GET',
    });
    expect(ids(engine, ev)).toEqual(['web']);
  });

  it('sends an event of unknown source to no source-specific rule', () => {
    expect(ids(engine, json({ Image: 'C:\\whoami.exe' }))).toEqual([]);
  });

  it('uses the log source a feed sets on the event', () => {
    const ev = {
      ...json({ 'process.executable': 'C:\\Windows\\whoami.exe' }),
      logsource: { product: 'windows', category: 'process_creation' },
    };
    expect(ids(engine, ev)).toEqual(['proc', 'win']);
  });
});

describe('a user mapping file', () => {
  it('adds channels, categories and field names', () => {
    const mapping = loadMapping(
      join(import.meta.dirname, '../../fixtures/sigma/custom-mapping.yml'),
    );
    const text = rule(
      'login',
      '  product: windows\n  category: login',
      "  sel:\n    User: 'alice'",
    );
    const { rules, problems } = parseRuleText(text, 'login.yml', mapping);
    expect(problems).toEqual([]);
    const engine = new SigmaEngine(rules, { mapping });
    expect(
      ids(engine, json({ EventID: 7, Channel: 'MyApp/Operational', Account: 'alice' })),
    ).toEqual(['login']);
    expect(
      ids(engine, json({ EventID: 8, Channel: 'MyApp/Operational', Account: 'alice' })),
    ).toEqual([]);
    // With Haechi's defaults the channel is unknown, so the rule sees nothing.
    expect(
      ids(
        new SigmaEngine(compile(text)),
        json({ EventID: 7, Channel: 'MyApp/Operational', User: 'alice' }),
      ),
    ).toEqual([]);
  });
});
