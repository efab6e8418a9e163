// ModSecurity (libmodsecurity in nginx): WAF rules as generated SecRule lines in one file the
// site's ModSecurity configuration includes, then an nginx reload. Every rule is validated by
// Haechi before it is written; a block counts as in force when a probe that matches the rule sees
// consecutive 403s, or, when no such request can be built, once the old workers have drained.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { z } from 'zod';
import type { Action, ActionKind } from '../../../shared/types';
import { sleep } from '../safety';
import {
  EnforcerError,
  type ApplyResult,
  type Enforcer,
  type EnforcerHealth,
  type UndoState,
} from '../types';
import { NginxControl, nginxControlConfig, type ReloadInfo } from './nginx-control';
import { isLocalAddress } from './nginx';
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
export function probeRequest(
  spec: WafSpec,
  base: string,
): { url: string; headers: Record<string, string>; localAddress?: string } | null {
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

function status(
  url: string,
  headers: Record<string, string>,
  localAddress?: string,
): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      url,
      { agent: false, localAddress, headers: { connection: 'close', ...headers }, timeout: 1000 },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

export class ModSecurityEnforcer implements Enforcer {
  readonly kind = 'modsecurity';
  readonly nativeTtl = false;
  readonly config: ModSecurityConfig;
  readonly control: NginxControl;
  private readonly reloads = new Map<string, ReloadInfo>();

  constructor(
    readonly name: string,
    config: unknown,
  ) {
    this.config = modsecurityConfig.parse(config);
    this.control = new NginxControl(this.config);
  }

  supports(kind: ActionKind): boolean {
    return kind === 'waf-rule' || kind === 'block-ip';
  }

  private read(): string {
    return existsSync(this.config.rulesFile) ? readFileSync(this.config.rulesFile, 'utf8') : '';
  }

  private write(text: string): void {
    const tmp = `${this.config.rulesFile}.haechi-tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, this.config.rulesFile);
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
    const text = this.read();
    // This action's rule from an earlier attempt: reload again so it is in force.
    if (text.split('\n').includes(`# haechi:${action.id}`)) {
      this.reloads.set(action.id, await this.control.reload());
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
    const base = text === '' || text.endsWith('\n') ? text : text + '\n';
    this.write(`${base}# haechi:${action.id}\n${rule}\n`);
    try {
      this.reloads.set(action.id, await this.control.reload());
    } catch (err) {
      this.remove(action.id);
      throw err;
    }
    return {};
  }

  /** Removes the rule of `actionId` (its marker line and the rule after it). */
  private remove(actionId: string): boolean {
    const lines = this.read().split('\n');
    const at = lines.indexOf(`# haechi:${actionId}`);
    if (at < 0) return false;
    lines.splice(at, 2);
    const kept = lines.join('\n');
    this.write(kept);
    return true;
  }

  async confirm(action: Action): Promise<boolean> {
    const end = Date.now() + this.config.confirmTimeoutMs;
    const probe = this.config.probeUrl ? probeRequest(wafSpec(action), this.config.probeUrl) : null;
    if (probe) {
      let seen = 0;
      while (Date.now() < end) {
        seen = (await status(probe.url, probe.headers, probe.localAddress)) === 403 ? seen + 1 : 0;
        if (seen >= this.config.consecutive) return true;
        if (!seen) await sleep(10);
      }
      return false;
    }
    const info = this.reloads.get(action.id);
    while (Date.now() < end) {
      if (!info || this.control.drained(info.oldWorkers)) return true;
      await sleep(10);
    }
    return false;
  }

  async rollback(action: Action, _undo?: UndoState): Promise<void> {
    this.reloads.delete(action.id);
    if (!this.remove(action.id)) return;
    const info = await this.control.reload();
    const end = Date.now() + this.config.confirmTimeoutMs;
    while (!this.control.drained(info.oldWorkers) && Date.now() < end) await sleep(10);
  }

  async health(): Promise<EnforcerHealth> {
    const pid = this.control.masterPid();
    return pid
      ? { ok: true, detail: `nginx master ${pid}` }
      : { ok: false, detail: 'nginx is not running' };
  }
}
