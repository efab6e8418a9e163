// Turns one playbook that matched an alert into action records (not yet persisted).
import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import type { Action, Alert, HaechiEvent } from '../../shared/types';
import { fillTemplate } from './condition';
import type { ActionSpec, Playbook } from './playbook';
import type { ActionRecord } from './types';

export interface PlannedAction {
  rec: ActionRecord;
  /** Set when the action cannot be carried out at all (bad target, no enforcer). */
  problem?: string;
}

/** Chooses the enforcer: dry-run mode always records only; else the named or first capable one. */
export type EnforcerPicker = (
  spec: ActionSpec,
  mode: Playbook['mode'],
) => { name: string; problem?: string };

function describe(
  spec: ActionSpec,
  alert: Alert,
  event: HaechiEvent,
): { target: string; params: Action['params'] } | null {
  if (spec.action === 'block-ip') {
    const target = fillTemplate(spec.target, alert, event);
    return target === null ? null : { target: target.trim(), params: {} };
  }
  if (spec.action === 'waf-rule') {
    const value = fillTemplate(spec.value, alert, event);
    if (value === null) return null;
    const field = spec.name ? `${spec.field}:${spec.name}` : spec.field;
    const params: Action['params'] = { field: spec.field, match: spec.match, value };
    if (spec.name) params.name = spec.name;
    return { target: `${field} ${spec.match} ${value}`, params };
  }
  const message = spec.message
    ? (fillTemplate(spec.message, alert, event) ?? spec.message)
    : alert.title;
  return { target: spec.channel, params: { message } };
}

export function planActions(
  pb: Playbook,
  alert: Alert,
  event: HaechiEvent,
  pick: EnforcerPicker,
  now = Date.now(),
): PlannedAction[] {
  const out: PlannedAction[] = [];
  for (const spec of pb.then) {
    const d = describe(spec, alert, event);
    if (!d) continue; // a templated field is absent from this event: the action does not apply
    const chosen = pick(spec, pb.mode);
    const action: Action = {
      id: randomUUID(),
      kind: spec.action,
      target: d.target,
      params:
        pb.mode === 'dry-run' && spec.enforcer
          ? { ...d.params, wouldUse: spec.enforcer }
          : d.params,
      ttlSec: 'ttl' in spec ? spec.ttl : 0,
      state: 'pending',
      enforcer: chosen.name,
      playbook: pb.name,
      mode: pb.mode,
      alertId: alert.id,
      caseId: alert.caseId,
      reason: `${pb.name}: ${alert.title} (score ${alert.score}, rule ${alert.ruleId})`,
      createdAt: now,
      updatedAt: now,
      attempts: 0,
    };
    let problem = chosen.problem;
    if (spec.action === 'block-ip' && !isIP(d.target))
      problem = `target "${d.target.slice(0, 80)}" is not an IP address`;
    const dedupeKey = `${action.enforcer}|${action.kind}|${action.target}`;
    out.push({ rec: { action, receivedAt: event.receivedAt, dedupeKey }, problem });
  }
  return out;
}
