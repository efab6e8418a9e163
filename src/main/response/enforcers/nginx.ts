// nginx: a deny-list file included by the user's nginx (`include …/haechi-deny.conf;` in the
// server or http block, before any `allow all`), then a reload. A block counts as in force only
// when a probe sees several consecutive refusals (for an address this host can send from), or
// once every worker that served before the reload has exited: old workers keep serving while
// they drain.
import { isIP } from 'node:net';
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
} from './nginx-reload';

export const nginxConfig = nginxControlConfig.extend({
  // Haechi writes only `deny <validated address>;` lines here, which cannot break the
  // configuration: test it before the first reload; a later failed reload is still caught,
  // because the block is then never confirmed.
  testBeforeReload: z.enum(['always', 'first', 'never']).default('first'),
  denyFile: z.string().min(1),
  /** A URL on this nginx to probe from the blocked address, when this host can send from it. */
  probeUrl: z.string().url().optional(),
  consecutive: z.number().int().min(1).max(50).default(5),
  confirmTimeoutMs: z.number().int().min(100).max(60_000).default(5_000),
});
export type NginxConfig = z.infer<typeof nginxConfig>;

export class NginxEnforcer implements Enforcer {
  readonly kind = 'nginx';
  readonly nativeTtl = false;
  readonly config: NginxConfig;
  readonly control: NginxControl;
  private readonly reloads: ActionReloads;

  constructor(
    readonly name: string,
    config: unknown,
  ) {
    this.config = nginxConfig.parse(config);
    this.control = new NginxControl(this.config);
    this.reloads = new ActionReloads(this.control, this.config);
  }

  supports(kind: ActionKind): boolean {
    return kind === 'block-ip';
  }

  private static denies(text: string, address: string): boolean {
    return text.split('\n').some((l) => l.trim().split('#')[0].trim() === `deny ${address};`);
  }

  async apply(action: Action): Promise<ApplyResult> {
    const address = action.target;
    if (!isIP(address))
      throw new EnforcerError(`${this.name}: "${address}" is not an IP address`, true);
    const text = readManaged(this.config.denyFile);
    // This action's own line from an earlier attempt: reload again so it is in force.
    if (text.includes(`# haechi:${action.id}\n`)) {
      await this.reloads.reload(action.id);
      return { undo: { present: false } };
    }
    // Already denied (by an earlier action or by the site itself): leave the file as it is.
    if (NginxEnforcer.denies(text, address)) return { undo: { present: true } };
    writeManaged(
      this.config.denyFile,
      appendText(text, `deny ${address}; # haechi:${action.id}\n`),
    );
    await this.reloads.reload(action.id, () => this.removeLine(action.id));
    return { undo: { present: false } };
  }

  /** Removes the line of `actionId`; false when there is none. */
  private removeLine(actionId: string): boolean {
    const text = readManaged(this.config.denyFile);
    if (!text.includes(`# haechi:${actionId}`)) return false;
    const kept = text
      .split('\n')
      .filter((l) => !l.endsWith(`# haechi:${actionId}`))
      .join('\n');
    writeManaged(this.config.denyFile, kept);
    return true;
  }

  async confirm(action: Action): Promise<boolean> {
    const { probeUrl } = this.config;
    // No probe can come from that address: wait until the pre-reload workers have exited.
    const probe =
      probeUrl && isLocalAddress(action.target)
        ? { url: probeUrl, localAddress: action.target }
        : null;
    return this.reloads.confirm(action.id, probe, 5);
  }

  /** Removes the line this action added (none if the address was denied before); reloads. */
  async rollback(action: Action, undo?: UndoState): Promise<void> {
    this.reloads.forget(action.id);
    if (undo?.present) return;
    if (this.removeLine(action.id)) await this.reloads.reloadAndDrain();
  }

  async health(): Promise<EnforcerHealth> {
    const pid = this.control.masterPid();
    return pid
      ? { ok: true, detail: `nginx master ${pid}` }
      : { ok: false, detail: `nginx is not running (no live master in ${this.safePidFile()})` };
  }

  private safePidFile(): string {
    try {
      return this.control.pidFile();
    } catch (err) {
      return (err as Error).message;
    }
  }
}
