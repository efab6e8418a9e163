// ModSecurity (libmodsecurity in nginx): WAF rules as generated SecRule lines in one file the
// site's ModSecurity configuration includes, then an nginx reload. Every rule is validated by
// Haechi before it is written; a block counts as in force when a probe that matches the rule sees
// consecutive 403s, or, when no such request can be built, once the old workers have drained.
import { z } from 'zod';
import type { Action, ActionKind } from '../../../shared/types';
import {
  EnforcerError,
  type ApplyResult,
  type Enforcer,
  type EnforcerHealth,
  type UndoState,
} from '../types';
import { NginxControl, nginxControlConfig } from './nginx-control';
import {
  ActionReloads,
  appendText,
  isLocalAddress,
  readManaged,
  writeManaged,
  type Probe,
} from './nginx-reload';
import { renderSecRule, SecRuleError, type WafSpec } from './secrule';

export const modsecurityConfig = nginxControlConfig.extend({
  /** The file of generated rules (`Include`d by the site's ModSecurity configuration). */
  rulesFile: z.string().min(1),
  /** First rule id of Haechi's range; the range holds 100,000 ids. */
  idBase: z.number().int().min(1).max(99_000_000).default(9_100_000),
  /** Base URL on this nginx for probes that match the rule. */
  probeUrl: z.string().url().optional(),
  consecutive: z.number().int().min(1).max(50).default(5),
  confirmTimeoutMs: z.number().int().min(100).max(60_000).default(10_000),
});
export type ModSecurityConfig = z.infer<typeof modsecurityConfig>;

export function wafSpec(action: Action): WafSpec {
  if (action.kind === 'block-ip')
    return { field: 'address', match: 'ip-match', value: action.target };
  const p = action.params ?? {};
  return {
    field: p.field as WafSpec['field'],
    match: p.match as WafSpec['match'],
    value: String(p.value ?? ''),
    ...(p.name ? { name: String(p.name) } : {}),
  };
}

/** A request that the rule refuses, or null when none can be built (a regular expression). */
export function probeRequest(spec: WafSpec, base: string): Probe | null {
  if (spec.match === 'regex' || spec.match === 'ends-with') return null;
  if (spec.field === 'address') {
    return isLocalAddress(spec.value) ? { url: base, headers: {}, localAddress: spec.value } : null;
  }
  const root = base.replace(/\/$/, '');
  if (spec.field === 'path')
    return spec.value.startsWith('/') && spec.match !== 'contains'
      ? { url: root + encodeURI(spec.value), headers: {} }
      : null;
  if (spec.field === 'user-agent')
    return { url: root + '/', headers: { 'user-agent': spec.value } };
  if (spec.field === 'header') return { url: root + '/', headers: { [spec.name!]: spec.value } };
  return {
    url: `${root}/?${encodeURIComponent(spec.name!)}=${encodeURIComponent(spec.value)}`,
    headers: {},
  };
}

export class ModSecurityEnforcer implements Enforcer {
  readonly kind = 'modsecurity';
  readonly nativeTtl = false;
  readonly config: ModSecurityConfig;
  readonly control: NginxControl;
  private readonly reloads: ActionReloads;

  constructor(
    readonly name: string,
    config: unknown,
  ) {
    this.config = modsecurityConfig.parse(config);
    this.control = new NginxControl(this.config);
    this.reloads = new ActionReloads(this.control, this.config);
  }

  supports(kind: ActionKind): boolean {
    return kind === 'waf-rule' || kind === 'block-ip';
  }

  private nextId(text: string): number {
    const { idBase } = this.config;
    const used = [...text.matchAll(/"id:(\d+),/g)]
      .map((m) => Number(m[1]))
      .filter((n) => n >= idBase && n < idBase + 100_000);
    const id = used.length ? Math.max(...used) + 1 : idBase;
    if (id >= idBase + 100_000)
      throw new EnforcerError(`${this.name}: rule id range ${idBase}+100000 is full`, true);
    return id;
  }

  async apply(action: Action): Promise<ApplyResult> {
    const text = readManaged(this.config.rulesFile);
    // This action's rule from an earlier attempt: reload again so it is in force.
    if (text.split('\n').includes(`# haechi:${action.id}`)) {
      await this.reloads.reload(action.id);
      return {};
    }
    let rule: string;
    try {
      rule = renderSecRule(wafSpec(action), this.nextId(text), action.id);
    } catch (err) {
      if (err instanceof SecRuleError)
        throw new EnforcerError(`${this.name}: ${err.message}`, true);
      throw err;
    }
    writeManaged(this.config.rulesFile, appendText(text, `# haechi:${action.id}\n${rule}\n`));
    await this.reloads.reload(action.id, () => this.remove(action.id));
    return {};
  }

  /** Removes the rule of `actionId` (its marker line and the rule after it). */
  private remove(actionId: string): boolean {
    const lines = readManaged(this.config.rulesFile).split('\n');
    const at = lines.indexOf(`# haechi:${actionId}`);
    if (at < 0) return false;
    lines.splice(at, 2);
    writeManaged(this.config.rulesFile, lines.join('\n'));
    return true;
  }

  async confirm(action: Action): Promise<boolean> {
    const probe = this.config.probeUrl ? probeRequest(wafSpec(action), this.config.probeUrl) : null;
    return this.reloads.confirm(action.id, probe, 10);
  }

  async rollback(action: Action, _undo?: UndoState): Promise<void> {
    this.reloads.forget(action.id);
    if (this.remove(action.id)) await this.reloads.reloadAndDrain();
  }

  async health(): Promise<EnforcerHealth> {
    const pid = this.control.masterPid();
    return pid
      ? { ok: true, detail: `nginx master ${pid}` }
      : { ok: false, detail: 'nginx is not running' };
  }
}
