// Against the real data in ../shared/data: the SigmaHQ rule set loads, the regression cases
// produce their expected rule ids, and no rule fires outside its log source.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRules, SigmaEngine, type CompiledRule } from '../../../src/main/engine/sigma';
import { readEventText } from '../../../src/main/feed/eventfile';
import type { HaechiEvent, RuleProblem } from '../../../src/shared/types';
import { DATA, hasData } from './helpers';

const REG = join(DATA, 'sigma_regression');
const SD = join(DATA, 'security_datasets');

interface Case {
  case: string;
  files: string[];
  expected_rules: { id: string }[];
  active: boolean;
}

let rules: CompiledRule[] = [];
let problems: RuleProblem[] = [];
let ruleFiles = 0;

function countYaml(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) n += countYaml(join(dir, e.name));
    else if (/\.ya?ml$/.test(e.name)) n++;
  }
  return n;
}

function eventsOf(file: string): HaechiEvent[] {
  const out: HaechiEvent[] = [];
  for (const r of readEventText(readFileSync(file, 'utf8'), { file })) {
    if (r.error) throw new Error(`${file}: ${r.error}`);
    out.push(r.event as HaechiEvent);
  }
  return out;
}

describe.skipIf(!hasData)(
  'SigmaHQ rules and regression data (skipped when ../shared/data is absent)',
  () => {
    beforeAll(async () => {
      ({ rules, problems } = await loadRules([join(DATA, 'sigma')]));
      ruleFiles = countYaml(join(DATA, 'sigma'));
    });

    it('loads more than 99% of the rule files and gives every rejected one a located reason', () => {
      console.log(
        `SigmaHQ: ${ruleFiles} rule files, ${rules.length} loaded, ${problems.length} rejected`,
      );
      for (const p of problems)
        console.log(`  rejected ${p.file}:${p.line}:${p.column} ${p.message}`);
      expect(rules.length + problems.length).toBe(ruleFiles);
      expect(rules.length / ruleFiles).toBeGreaterThan(0.99);
      for (const p of problems) {
        expect(p.line).toBeGreaterThan(0);
        expect(p.column).toBeGreaterThan(0);
        expect(p.message.length).toBeGreaterThan(10);
      }
    });

    it('matches the expected rule id in every regression case that has a JSON event', () => {
      const cases = (
        JSON.parse(readFileSync(join(REG, 'expected_matches.json'), 'utf8')) as { cases: Case[] }
      ).cases;
      const engine = new SigmaEngine(rules);
      const failed: string[] = [];
      const withoutJson: string[] = [];
      let passed = 0;
      for (const c of cases) {
        const json = c.files.filter((f) => f.endsWith('.json'));
        if (!json.length) {
          withoutJson.push(
            `${c.case} (${c.files.map((f) => f.split('.').pop()).join(', ')}; active: ${c.active})`,
          );
          continue;
        }
        const got = new Set(
          json.flatMap((f) =>
            eventsOf(join(REG, f)).flatMap((ev) => engine.match(ev).map((m) => m.ruleId)),
          ),
        );
        if (c.expected_rules.every((r) => got.has(r.id))) passed++;
        else failed.push(c.case);
      }
      const withJson = cases.length - withoutJson.length;
      console.log(
        `regression: ${cases.length} cases, ${withJson} with a JSON event, ${passed} pass (${((100 * passed) / withJson).toFixed(1)}%); ` +
          `${withoutJson.length} without a JSON event, not run: ${withoutJson.join('; ')}`,
      );
      expect(failed).toEqual([]);
      expect(passed).toBe(withJson);
      expect(withoutJson).toEqual([
        'rules/cisco/aaa/cisco_cli_dot1x_disabled (raw, yml; active: false)',
      ]);
    });

    it.skipIf(!existsSync(SD))(
      'fires no rule on a security-datasets event outside its log source',
      () => {
        const events = securityEvents();
        const engine = new SigmaEngine(rules);
        const byId = new Map(rules.map((r) => [r.id, r]));
        let matched = 0;
        const cross: string[] = [];
        for (const ev of events) {
          for (const m of engine.match(ev)) {
            matched++;
            const verdict = inSource(byId.get(m.ruleId) as CompiledRule, ev);
            if (verdict !== true)
              cross.push(
                `${m.ruleTitle} on ${String(ev.fields.Channel)}/${String(ev.fields.EventID)}: ${verdict}`,
              );
          }
        }
        console.log(
          `security_datasets: ${events.length} events, ${matched} matches, ${cross.length} cross-source`,
        );
        expect(matched).toBe(95);
        expect(cross).toEqual([]);

        // The check itself finds cross-source matches when routing is off.
        const unrouted = new SigmaEngine(rules, { routing: false });
        const sample = events.filter((_, i) => i % 10 === 0);
        const bad = sample.flatMap((ev) =>
          unrouted
            .match(ev)
            .filter((m) => inSource(byId.get(m.ruleId) as CompiledRule, ev) !== true),
        );
        expect(bad.length).toBeGreaterThan(0);
      },
    );
  },
);

function securityEvents(): HaechiEvent[] {
  const out: HaechiEvent[] = [];
  for (const dir of readdirSync(SD).sort()) {
    for (const f of readdirSync(join(SD, dir)).sort())
      if (f.endsWith('.json')) out.push(...eventsOf(join(SD, dir, f)));
  }
  return out;
}

/*
 * Ground truth for "cross-source", written from the Sigma log source definitions independently of
 * the engine's mapping file: a match is cross-source when the event is not of the rule's product,
 * its channel is not the rule's service, or its channel and event id are not the rule's category.
 */
const SERVICE_CHANNEL: Record<string, string> = {
  security: 'security',
  system: 'system',
  application: 'application',
  sysmon: 'microsoft-windows-sysmon/operational',
  powershell: 'microsoft-windows-powershell/operational',
  'powershell-classic': 'windows powershell',
};
const SYSMON = 'microsoft-windows-sysmon/operational';
const CATEGORY_EVENTS: Record<string, [string, number[]][]> = {
  process_creation: [
    [SYSMON, [1]],
    ['security', [4688]],
  ],
  network_connection: [[SYSMON, [3]]],
  process_termination: [[SYSMON, [5]]],
  driver_load: [[SYSMON, [6]]],
  image_load: [[SYSMON, [7]]],
  create_remote_thread: [[SYSMON, [8]]],
  raw_access_thread: [[SYSMON, [9]]],
  process_access: [[SYSMON, [10]]],
  file_event: [[SYSMON, [11]]],
  registry_event: [[SYSMON, [12, 13, 14]]],
  registry_add: [[SYSMON, [12]]],
  registry_delete: [[SYSMON, [12]]],
  registry_set: [[SYSMON, [13]]],
  create_stream_hash: [[SYSMON, [15]]],
  pipe_created: [[SYSMON, [17, 18]]],
  wmi_event: [[SYSMON, [19, 20, 21]]],
  dns_query: [[SYSMON, [22]]],
  file_delete: [[SYSMON, [23, 26]]],
  clipboard_capture: [[SYSMON, [24]]],
  file_access: [['security', [4663]]],
  ps_script: [['microsoft-windows-powershell/operational', [4104]]],
  ps_module: [['microsoft-windows-powershell/operational', [4103]]],
};

function inSource(rule: CompiledRule, ev: HaechiEvent): true | string {
  const ls = rule.logsource;
  const f = ev.fields;
  const channel = typeof f.Channel === 'string' ? f.Channel.toLowerCase() : undefined;
  const product = channel ? 'windows' : f.eventSource && f.awsRegion ? 'aws' : undefined;
  if (ls.product && ls.product !== product)
    return `product ${ls.product} on a ${product ?? 'unknown'} event`;
  if (ls.service) {
    const ok =
      ls.service === 'cloudtrail' ? product === 'aws' : SERVICE_CHANNEL[ls.service] === channel;
    if (!ok) return `service ${ls.service} on channel ${channel}`;
  }
  if (ls.category) {
    const allowed = CATEGORY_EVENTS[ls.category];
    if (!allowed) return `category ${ls.category} has no ground truth here`;
    const id = Number(f.EventID);
    if (!allowed.some(([ch, ids]) => ch === channel && ids.includes(id)))
      return `category ${ls.category} on ${channel}/${id}`;
  }
  return true;
}
