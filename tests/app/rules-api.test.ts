import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, createHandlers, type Handlers } from '../../src/main/api';
import type { ImportResult, RuleTestResult } from '../../src/shared/api';
import type { Alert, RuleInfo, RuleProblem } from '../../src/shared/types';
import { STARTER_RULE_FILES, tempContext } from './helpers';

type Ctx = Awaited<ReturnType<typeof tempContext>>;
let ctx: Ctx;
let api: Handlers;

/** An nginx access log as nginx writes it (combined format). */
function accessLog(): string {
  const line = (ip: string, sec: number, req: string, status: number, ua: string) =>
    `${ip} - - [03/Dec/2026:10:00:${String(sec).padStart(2, '0')} +0000] "${req} HTTP/1.1" ${status} 512 "-" "${ua}"`;
  const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
  return [
    line('10.1.1.1', 0, 'GET /news', 200, firefox),
    line(
      '192.0.2.10',
      1,
      'GET /search?q=1%27%20union%20select%20password%20from%20users--',
      200,
      firefox,
    ),
    line('192.0.2.11', 2, 'GET /download?file=../../../../etc/passwd', 400, firefox),
    line('192.0.2.12', 3, 'GET /.env', 404, 'sqlmap/1.8.2#stable (https://sqlmap.org)'),
    ...Array.from({ length: 12 }, (_, i) =>
      line('192.0.2.13', 10 + i, 'POST /login', 401, 'curl/8.5.0'),
    ),
    'this line is not an access log',
  ].join('\n');
}

const SQLI_RULE = `title: Test Rule For Union
id: 11111111-2222-4333-8444-555555555555
status: experimental
logsource:
  category: webserver
detection:
  selection:
    cs-uri|contains: 'union'
  condition: selection
level: critical
`;

beforeAll(async () => {
  ctx = await tempContext();
  api = createHandlers(ctx);
});
afterAll(() => ctx.cleanup());

describe('importing a plain web server access log', () => {
  it('parses it line by line and the starter rules find each attack', async () => {
    const result = (await callApi(api, 'importEvents', {
      name: 'access.log',
      content: accessLog(),
    })) as ImportResult;
    expect(result.events).toBe(16);
    expect(result.rejected).toEqual([
      {
        record: 17,
        reason:
          'line 17: unrecognized line: not JSON, syslog, CEF, Zeek, an access log or a timestamped service log',
      },
    ]);
    const alerts = (await callApi(api, 'listAlerts', {})) as Alert[];
    expect(alerts.map((a) => [a.title, a.sourceIp, a.score]).reverse()).toEqual([
      ['SQL Injection Attempt In Request URI', '192.0.2.10', 65],
      ['Path Traversal In Request URI', '192.0.2.11', 65],
      ['Vulnerability Scanner User Agent', '192.0.2.12', 45],
      ['Password-Guessing Burst Against The Portal Login', '192.0.2.13', 75],
    ]);
    expect(result).toMatchObject({ matches: 4, alerts: 4, cases: 4 });
  });
});

describe('the rules API', () => {
  it('lists the starter rules and finds them by words', async () => {
    const all = (await callApi(api, 'listRules', {})) as {
      rules: RuleInfo[];
      problems: RuleProblem[];
    };
    expect(all.rules).toHaveLength(STARTER_RULE_FILES.length);
    const web = all.rules.filter((r) => r.file?.includes(`${path.sep}web${path.sep}`));
    expect(web.map((r) => r.title).sort()).toEqual([
      'Failed Login On The Portal',
      'Password-Guessing Burst Against The Portal Login',
      'Path Traversal In Request URI',
      'SQL Injection Attempt In Request URI',
      'Vulnerability Scanner User Agent',
    ]);
    expect(all.problems).toEqual([]);
    const found = (await callApi(api, 'listRules', { q: 't1595', level: 'medium' })) as {
      rules: RuleInfo[];
    };
    expect(found.rules.map((r) => r.id)).toEqual(['4e15aaf4-8731-4907-ae21-a7252ac7eba6']);
    const source = (await callApi(api, 'getRule', {
      id: '4e15aaf4-8731-4907-ae21-a7252ac7eba6',
    })) as { yaml: string };
    expect(source.yaml).toContain('title: Vulnerability Scanner User Agent');
  });

  it('tests a rule on given events, naming the matching records', async () => {
    const r = (await callApi(api, 'testRule', {
      yaml: SQLI_RULE,
      events: accessLog(),
    })) as RuleTestResult;
    // The one line that is not an access log is named, not silently left out.
    expect(r.problems).toEqual([
      {
        file: 'events',
        line: 17,
        message:
          'not tested: line 17: unrecognized line: not JSON, syslog, CEF, Zeek, an access log or a timestamped service log',
      },
    ]);
    expect(r.tested).toBe(16);
    expect(r.matches.map((m) => [m.record, m.match.ruleTitle, m.match.level])).toEqual([
      [2, 'Test Rule For Union', 'critical'],
    ]);
  });

  it('tests a rule on the newest stored events when none are given', async () => {
    const r = (await callApi(api, 'testRule', { yaml: SQLI_RULE, recent: 100 })) as RuleTestResult;
    expect(r.tested).toBe(16);
    expect(r.matches).toHaveLength(1);
  });

  it('reports a broken rule with its line instead of saving it', async () => {
    const broken = SQLI_RULE.replace(
      "    cs-uri|contains: 'union'",
      "    cs-uri|contians: 'union'",
    );
    const saved = (await callApi(api, 'saveRule', { yaml: broken })) as {
      id: string;
      problems: RuleProblem[];
    };
    expect(saved.problems.length).toBeGreaterThanOrEqual(1);
    expect(saved.problems[0].file).toBe('editor');
    expect(saved.problems[0].line).toBe(8);
    expect(fs.readdirSync(ctx.userRulesDir)).toEqual([]);
  });

  it('saves a rule into the user rules folder and the live engine uses it at once', async () => {
    const saved = await callApi(api, 'saveRule', { yaml: SQLI_RULE });
    expect(saved).toEqual({ id: '11111111-2222-4333-8444-555555555555', problems: [] });
    expect(fs.readdirSync(ctx.userRulesDir)).toEqual(['11111111-2222-4333-8444-555555555555.yml']);
    expect(
      fs.readFileSync(
        path.join(ctx.userRulesDir, '11111111-2222-4333-8444-555555555555.yml'),
        'utf8',
      ),
    ).toBe(SQLI_RULE);
    await callApi(api, 'importEvents', { name: 'again.log', content: accessLog() });
    const alerts = (await callApi(api, 'listAlerts', { limit: 20 })) as Alert[];
    expect(
      alerts.filter((a) => a.title === 'Test Rule For Union').map((a) => [a.score, a.severity]),
    ).toEqual([[90, 'critical']]);
  });
});

describe('bad input to the rule editor and the importer', () => {
  it('reports an empty rule text when testing and saving, and saves nothing', async () => {
    const empty = {
      file: 'editor',
      line: 1,
      message: 'no rule: the text is empty or only comments',
    };
    const tested = (await callApi(api, 'testRule', {
      yaml: '# nothing yet\n',
      events: '{"a":1}',
    })) as RuleTestResult;
    expect(tested.problems).toEqual([empty]);
    const before = fs.readdirSync(ctx.userRulesDir);
    expect(await callApi(api, 'saveRule', { yaml: '' })).toEqual({ id: '', problems: [empty] });
    expect(fs.readdirSync(ctx.userRulesDir)).toEqual(before);
  });

  it('names the test events it could not read, with their record', async () => {
    const r = (await callApi(api, 'testRule', {
      yaml: SQLI_RULE,
      events: '{"cs-uri":"/a?union"}\n{"cs-uri":',
    })) as RuleTestResult;
    expect(r.tested).toBe(1);
    expect(r.problems).toEqual([
      {
        file: 'events',
        line: 2,
        message: 'not tested: record 2: Unexpected end of input at line 2, column 11',
      },
    ]);
  });

  it('rejects an empty file and a binary file as a whole, naming why', async () => {
    const empty = (await callApi(api, 'importEvents', {
      name: 'empty.log',
      content: ' \n\n',
    })) as ImportResult;
    expect([empty.events, empty.rejected]).toEqual([
      0,
      [{ record: 0, reason: 'the file is empty: no events' }],
    ]);
    // A PNG's signature and first chunk: 0x89 reads as one U+FFFD, the NUL is the 9th character.
    const bytes = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const binary = (await callApi(api, 'importEvents', {
      name: 'image.png',
      content: bytes.toString('utf8'),
    })) as ImportResult;
    expect(binary.events).toBe(0);
    expect(binary.rejected).toEqual([
      {
        record: 0,
        reason: 'NUL bytes from character 9 (binary, or UTF-16 text): not a UTF-8 text log',
      },
    ]);
  });
});
