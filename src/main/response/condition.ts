// Evaluates a playbook condition against an alert and its event, and fills `{{field}}` templates
// in action specs from the event's normalized fields.
import { BlockList, isIP } from 'node:net';
import type { Alert, HaechiEvent } from '../../shared/types';
import type { Condition } from './playbook';

type FieldCondition = NonNullable<Condition['fields']>[number];

/** A normalized field first (`source.ip`), then the raw flattened field, then the alert's own. */
export function fieldValue(name: string, alert: Alert, event: HaechiEvent): string | undefined {
  const v = event.norm[name] ?? event.fields[name];
  if (v !== undefined && v !== null && typeof v !== 'object') return String(v);
  if (name === 'source.ip' && alert.sourceIp) return alert.sourceIp;
  if (name === 'host.name' && alert.host) return alert.host;
  return undefined;
}

const cidrCache = new Map<string, BlockList | null>();

function cidrList(cidr: string): BlockList | null {
  let list = cidrCache.get(cidr);
  if (list !== undefined) return list;
  const [addr, bits] = cidr.split('/');
  const type = isIP(addr);
  list = null;
  if (type) {
    list = new BlockList();
    const prefix = bits === undefined ? (type === 4 ? 32 : 128) : Number(bits);
    list.addSubnet(addr, prefix, type === 4 ? 'ipv4' : 'ipv6');
  }
  cidrCache.set(cidr, list);
  return list;
}

function inCidr(value: string, cidr: string): boolean {
  const type = isIP(value);
  const list = cidrList(cidr);
  return !!type && !!list && list.check(value, type === 4 ? 'ipv4' : 'ipv6');
}

function testOne(op: FieldCondition['op'], value: string, want: string): boolean {
  switch (op) {
    case 'equals':
      return value === want;
    case 'not-equals':
      return value !== want;
    case 'contains':
      return value.includes(want);
    case 'starts-with':
      return value.startsWith(want);
    case 'ends-with':
      return value.endsWith(want);
    case 'matches':
      return new RegExp(want).test(value);
    case 'in-cidr':
      return inCidr(value, want);
    default:
      return false;
  }
}

function fieldMatches(c: FieldCondition, alert: Alert, event: HaechiEvent): boolean {
  const value = fieldValue(c.field, alert, event);
  if (c.op === 'exists') return value !== undefined;
  if (value === undefined) return c.op === 'not-equals';
  const wants = Array.isArray(c.value) ? c.value : [String(c.value)];
  // not-equals must differ from every value; the others match when any value matches.
  if (c.op === 'not-equals') return wants.every((w) => testOne(c.op, value, w));
  return wants.some((w) => testOne(c.op, value, w));
}

/** True when every part of the condition holds (an absent part holds). */
export function conditionMatches(when: Condition, alert: Alert, event: HaechiEvent): boolean {
  if (when.minScore !== undefined && alert.score < when.minScore) return false;
  if (when.rules?.length && !when.rules.includes(alert.ruleId)) return false;
  if (when.tags?.length) {
    const tags = new Set(alert.tags.map((t) => t.toLowerCase()));
    if (!when.tags.some((t) => tags.has(t.toLowerCase()))) return false;
  }
  if (when.indicatorHit !== undefined) {
    const hit = alert.parts.some((p) => p.kind === 'intel' && p.points > 0);
    if (hit !== when.indicatorHit) return false;
  }
  return (when.fields ?? []).every((c) => fieldMatches(c, alert, event));
}

/** Fills `{{field}}`; returns null when a referenced field is absent (the action is skipped). */
export function fillTemplate(template: string, alert: Alert, event: HaechiEvent): string | null {
  let missing = false;
  const out = template.replace(/\{\{\s*([A-Za-z0-9_.@-]+)\s*\}\}/g, (_all, name: string) => {
    const v = fieldValue(name, alert, event);
    if (v === undefined) missing = true;
    return v ?? '';
  });
  return missing ? null : out;
}
