import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { callApi, createHandlers } from '../../src/main/api';
import { DemoGenerator } from '../../src/main/demo';
import type { CaseDetail, ImportResult, LiveTick } from '../../src/shared/api';
import type { Action, Alert, Case } from '../../src/shared/types';
import { DATA, hasData, tempContext, TEST_PLAYBOOKS } from './helpers';

const WIN = path.join(DATA, 'sigma/rules/windows');
const LSASS_RULES = [
  'process_creation/proc_creation_win_susp_lsass_dmp_cli_keywords.yml',
  'process_creation/proc_creation_win_rundll32_process_dump_via_comsvcs.yml',
  'builtin/security/win_security_audit_log_cleared.yml',
].map((f) => path.join(WIN, f));
const LSASS_FILE = path.join(
  DATA,
  'security_datasets/psh_lsass_memory_dump_comsvcs/psh_lsass_memory_dump_comsvcs_2020-10-18T19500924.json',
);

describe.skipIf(!hasData)(
  'importing a real attack log (needs ../shared/data/security_datasets)',
  () => {
    it('turns the LSASS dump dataset into five scored alerts in one case for the host', async () => {
      const ctx = await tempContext({ rulesPaths: LSASS_RULES, noStarterRules: true });
      const api = createHandlers(ctx);
      const content = fs.readFileSync(LSASS_FILE, 'utf8');
      const result = (await callApi(api, 'importEvents', {
        name: 'lsass.json',
        content,
      })) as ImportResult;
      expect({ ...result, ms: 0 }).toEqual({
        name: 'lsass.json',
        events: 184,
        rejected: [],
        matches: 5,
        alerts: 5,
        cases: 1,
        ms: 0,
      });

      const [only] = (await callApi(api, 'listCases', {})) as Case[];
      expect(only).toMatchObject({
        id: 'C-1',
        groupKey: 'host:WORKSTATION5',
        severity: 'high',
        score: 70,
        status: 'open',
      });
      const detail = (await callApi(api, 'getCase', { id: 'C-1' })) as CaseDetail;
      expect(detail.alerts.map((a) => [a.title, a.score])).toEqual([
        ['Security Eventlog Cleared', 65],
        ['LSASS Dump Keyword In CommandLine', 70],
        ['Process Memory Dump Via Comsvcs.DLL', 70],
        ['LSASS Dump Keyword In CommandLine', 70],
        ['Process Memory Dump Via Comsvcs.DLL', 70],
      ]);
      const comsvcs = detail.alerts[2];
      expect(comsvcs.parts).toEqual([
        {
          kind: 'rule',
          label: 'Rule “Process Memory Dump Via Comsvcs.DLL” (high)',
          points: 65,
          detail:
            'rule 646ea171-dded-4578-8a4d-65e9822892e3; matched: selection_img, selection_cli_1',
        },
        { kind: 'context', label: '1 more rule matched the same event', points: 5 },
      ]);
      // The raw events behind the alerts, read back from the segment files, with their positions.
      expect(
        detail.events.map((e) => e.position?.record).sort((a, b) => (a ?? 0) - (b ?? 0)),
      ).toEqual([17, 36, 107]);
      expect(detail.events.every((e) => e.raw.startsWith('{'))).toBe(true);
      expect(ctx.archive.count()).toBe(184);
      await ctx.cleanup();
    });

    it('reports records that are not JSON objects with their position and imports the rest', async () => {
      const ctx = await tempContext({ noStarterRules: true });
      const content = '{"EventID": 1, "Channel": "x"}\n[1, 2\n"just a string"\n{"EventID": 2}\n';
      const result = (await callApi(createHandlers(ctx), 'importEvents', {
        name: 'bad.ndjson',
        content,
      })) as ImportResult;
      expect(result.events).toBe(2);
      expect(result.rejected.map((r) => r.record)).toEqual([2, 3]);
      expect(result.rejected[1].reason).toBe('record 3: expected a JSON object, got string');
      await ctx.cleanup();
    });
  },
);

describe('the live loop on the demo feed', () => {
  it('makes alerts, one case per attacker and dry-run blocks recorded in the case', async () => {
    const ctx = await tempContext({ demo: false, playbookDirs: [TEST_PLAYBOOKS] });
    const api = createHandlers(ctx);
    const ticks: LiveTick[] = [];
    ctx.topics.on('live', (t) => ticks.push(t));
    // 4 attack episodes a second for 5 s: sqli, traversal, burst, scanner, then the second addresses.
    const gen = new DemoGenerator(7, 250);
    const t0 = Date.parse('2026-12-03T10:00:00Z');
    const started = Date.now();
    for (let i = 0; i < 20; i++) ctx.pipeline.submit(gen.batch(100, t0 + i * 250).events);
    await ctx.pipeline.whenIdle();
    await ctx.response.idle();

    expect(ctx.archive.count()).toBe(2000);
    const cases = (await callApi(api, 'listCases', {})) as Case[];
    expect(cases.map((c) => c.groupKey).sort()).toEqual([
      'ip:198.51.100.150',
      'ip:198.51.100.23',
      'ip:198.51.100.99',
      'ip:203.0.113.45',
      'ip:203.0.113.46',
      'ip:203.0.113.77',
    ]);
    const actions = (await callApi(api, 'listActions', {})) as Action[];
    // Every address whose alerts scored 65 or more is blocked once (dry run); the scanner (45) is not.
    expect(actions.map((a) => a.target).sort()).toEqual([
      '198.51.100.150',
      '198.51.100.23',
      '203.0.113.45',
      '203.0.113.46',
      '203.0.113.77',
    ]);
    expect(new Set(actions.map((a) => `${a.enforcer}/${a.mode}/${a.state}`))).toEqual(
      new Set(['dry-run/dry-run/applied']),
    );
    const blocked = actions.find((a) => a.target === '203.0.113.77') as Action;
    const detail = (await callApi(api, 'getCase', { id: blocked.caseId as string })) as CaseDetail;
    expect(detail.actions.map((a) => a.id)).toEqual([blocked.id]);
    expect(detail.timeline.filter((t) => t.kind === 'action').map((t) => t.text)).toEqual([
      'block-ip 203.0.113.77: pending (dry-run, dry-run)',
      'block-ip 203.0.113.77: applied (dry-run, dry-run)',
    ]);
    const audit = (await callApi(api, 'listAudit', { caseId: blocked.caseId })) as {
      verb: string;
    }[];
    expect(audit.length).toBeGreaterThanOrEqual(2);

    // Live ticks come at most four a second, however many batches went through (20 here).
    await new Promise((r) => setTimeout(r, 600));
    const elapsed = Date.now() - started;
    expect(ticks.length).toBeGreaterThanOrEqual(1);
    expect(ticks.length).toBeLessThanOrEqual(Math.ceil(elapsed / 250) + 1);
    expect(ticks.length).toBeLessThan(20);
    expect(ticks[ticks.length - 1].events).toBe(2000);
    await ctx.cleanup();
  });

  it('adds threat intelligence to the score, naming the indicator and its source', async () => {
    const ctx = await tempContext();
    const api = createHandlers(ctx);
    const imported = await callApi(api, 'importIntel', {
      name: 'city-blocklist.txt',
      content: '# addresses seen attacking the portal\n203.0.113.45\n198.51.100.0/24 ; scanners\n',
    });
    expect(imported).toEqual({ added: 2, updated: 0, rejected: 0, errors: [] });
    const events = new DemoGenerator(1, 60_000).batch(1, Date.parse('2026-12-03T10:00:00Z')).events;
    const [alert] = ctx.pipeline.ingest(events).alerts;
    expect(alert.parts.filter((p) => p.kind === 'intel')).toEqual([
      {
        kind: 'intel',
        label: 'Indicator 203.0.113.45 (city-blocklist.txt)',
        points: 10,
        detail: 'ipv4 in source.ip, confidence 50',
      },
    ]);
    expect(alert.score).toBe(75);
    await ctx.cleanup();
  });

  it.skipIf(!hasData)(
    'raises an alert of its own for an event no rule matched whose address is in the ipsum feed',
    async () => {
      const ctx = await tempContext();
      const api = createHandlers(ctx);
      const feed = path.join(DATA, 'threat_intel/ipsum/levels_4.txt');
      const content = fs.readFileSync(feed, 'utf8');
      const bad = content.split('\n').find((l) => /^\d+\.\d+\.\d+\.\d+$/.test(l)) as string;
      await callApi(api, 'importIntel', { name: 'levels_4.txt', content });
      const line =
        `${bad} - - [03/Dec/2026:10:00:00 +0000] "GET /index.html HTTP/1.1" 200 512 "-" ` +
        '"Mozilla/5.0"\n' +
        '192.0.2.10 - - [03/Dec/2026:10:00:01 +0000] "GET /index.html HTTP/1.1" 200 512 "-" ' +
        '"Mozilla/5.0"\n';
      const result = (await callApi(api, 'importEvents', {
        name: 'access.log',
        content: line,
      })) as ImportResult;
      expect([result.events, result.alerts]).toEqual([2, 1]);
      const [alert] = (await callApi(api, 'listAlerts', {})) as Alert[];
      expect(alert.title).toBe(`Threat-intel match: ipv4 ${bad}`);
      expect(alert.ruleId).toBe('intel:levels_4.txt');
      expect(alert.sourceIp).toBe(bad);
      expect(alert.parts.map((p) => [p.kind, p.points])).toEqual([
        ['intel', 45],
        ['intel', 10],
      ]);
      expect(alert.score).toBe(55);
      await ctx.cleanup();
    },
  );

  it('stores a whole batch even when matching one of its events throws', async () => {
    const ctx = await tempContext();
    const events = new DemoGenerator(11, 60_000).batch(
      3,
      Date.parse('2026-12-03T10:00:00Z'),
    ).events;
    const real = ctx.rules.engine;
    const flaky = Object.create(real) as typeof real;
    flaky.match = (e) => {
      if (e.id === events[1].id) throw new Error('rule blew up');
      return real.match(e);
    };
    ctx.rules = { ...ctx.rules, engine: flaky };
    const result = ctx.pipeline.ingest(events);
    expect(result.events).toBe(3);
    expect(result.alerts.map((a) => a.title)).toEqual(['SQL Injection Attempt In Request URI']);
    expect(ctx.archive.count()).toBe(3);
    expect(ctx.archive.get(events[1].id)?.raw).toBe(events[1].raw);
    await ctx.cleanup();
  });

  it('names the bad field when input does not fit the schema', async () => {
    const ctx = await tempContext({ noStarterRules: true });
    const api = createHandlers(ctx);
    await expect(callApi(api, 'listCases', { status: 'sleeping' })).rejects.toThrow(
      'invalid input for listCases: status: Invalid option: expected one of "open"|"in-progress"|"closed"',
    );
    await expect(callApi(api, 'nope', {})).rejects.toThrow('unknown method "nope"');
    await expect(callApi(api, 'addCaseNote', { caseId: 'C-9', text: 'x' })).rejects.toMatchObject({
      code: 'not-found',
      message: 'case C-9 not found',
    });
    await ctx.cleanup();
  });
});
