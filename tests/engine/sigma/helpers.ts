// Test helpers: compile one rule from YAML text and match hand-written events against it.
import { parseRuleText, SigmaEngine, type CompiledRule } from '../../../src/main/engine/sigma';
import type { HaechiEvent, RuleMatch } from '../../../src/shared/types';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const DATA = join(import.meta.dirname, '../../../../shared/data');
export const hasData =
  existsSync(join(DATA, 'sigma')) && existsSync(join(DATA, 'sigma_regression'));

let seq = 0;

/** An event of the `test` product (so test rules route to it), with the given fields. */
export function event(
  fields: Record<string, unknown>,
  time = '2024-01-01T00:00:00.000Z',
): HaechiEvent {
  seq++;
  return {
    id: `e${seq}`,
    time,
    source: 'test',
    format: 'json',
    fields,
    norm: {},
    raw: JSON.stringify(fields),
    logsource: { product: 'test' },
    receivedAt: 0,
  };
}

/** Compiles rule text; throws with the problems when it does not compile. */
export function compile(yaml: string): CompiledRule[] {
  const { rules, problems } = parseRuleText(yaml, 'test.yml');
  if (problems.length)
    throw new Error(problems.map((p) => `${p.line}:${p.column} ${p.message}`).join('\n'));
  return rules;
}

/** A detection rule over the `test` product with this detection section (YAML, indented 2). */
export function detection(body: string, id = 'r1'): string {
  return `title: t\nid: ${id}\nlogsource:\n  product: test\ndetection:\n${body}\n`;
}

/** True when the rule (detection body) matches the event fields. */
export function matches(body: string, fields: Record<string, unknown>): boolean {
  const engine = new SigmaEngine(compile(detection(body)));
  return engine.match(event(fields)).length > 0;
}

/** The problems of rule text, as `line:column message`. */
export function problemsOf(yaml: string): string[] {
  return parseRuleText(yaml, 'test.yml').problems.map((p) => `${p.line}:${p.column} ${p.message}`);
}

export function ids(ms: RuleMatch[]): string[] {
  return ms.map((m) => m.ruleId);
}
