// nginx: a deny-list file included by the user's nginx (`include …/haechi-deny.conf;` in the
// server or http block, before any `allow all`), then a reload. A block counts as in force only
// when a probe sees several consecutive refusals (for an address this host can send from), or
// once every worker that served before the reload has exited: old workers keep serving while
// they drain.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
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

/** True when this host can send from `address` (loopback 127/8, ::1, or a local interface). */
export function isLocalAddress(address: string): boolean {
  if (isIP(address) === 4 && address.startsWith('127.')) return true;
  if (address === '::1') return true;
  return Object.values(networkInterfaces()).some((list) =>
    list?.some((i) => i.address === address),
  );
}

/** One HTTP GET from `localAddress`; the status, or 0 when the connection failed. */
export function probeStatus(url: string, localAddress?: string, timeoutMs = 1000): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      url,
      { localAddress, agent: false, headers: { connection: 'close' }, timeout: timeoutMs },
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

export class NginxEnforcer implements Enforcer {
  readonly kind = 'nginx';
  readonly nativeTtl = false;
  readonly config: NginxConfig;
  readonly control: NginxControl;
  private readonly reloads = new Map<string, ReloadInfo>();

  constructor(
    readonly name: string,
    config: unknown,
  ) {
    this.config = nginxConfig.parse(config);
    this.control = new NginxControl(this.config);
  }

  supports(kind: ActionKind): boolean {
    return kind === 'block-ip';
  }

  private read(): string {
    return existsSync(this.config.denyFile) ? readFileSync(this.config.denyFile, 'utf8') : '';
  }

  private write(text: string): void {
    const tmp = `${this.config.denyFile}.haechi-tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, this.config.denyFile);
  }

  private static denies(text: string, address: string): boolean {
    return text.split('\n').some((l) => l.trim().split('#')[0].trim() === `deny ${address};`);
  }

  async apply(action: Action): Promise<ApplyResult> {
    const address = action.target;
    if (!isIP(address))
      throw new EnforcerError(`${this.name}: "${address}" is not an IP address`, true);
    const text = this.read();
    // This action's own line from an earlier attempt: reload again so it is in force.
    if (text.includes(`# haechi:${action.id}\n`)) {
      this.reloads.set(action.id, await this.control.reload());
      return { undo: { present: false } };
    }
    // Already denied (by an earlier action or by the site itself): leave the file as it is.
    if (NginxEnforcer.denies(text, address)) return { undo: { present: true } };
    const base = text === '' || text.endsWith('\n') ? text : text + '\n';
    this.write(`${base}deny ${address}; # haechi:${action.id}\n`);
    try {
      this.reloads.set(action.id, await this.control.reload());
    } catch (err) {
      this.removeLine(action.id);
      throw err;
    }
    return { undo: { present: false } };
  }

  private removeLine(actionId: string): void {
    const text = this.read();
    this.write(
      text
        .split('\n')
        .filter((l) => !l.endsWith(`# haechi:${actionId}`))
        .join('\n'),
    );
  }

  async confirm(action: Action): Promise<boolean> {
    const info = this.reloads.get(action.id);
    const end = Date.now() + this.config.confirmTimeoutMs;
    const { probeUrl } = this.config;
    if (probeUrl && isLocalAddress(action.target)) {
      let seen = 0;
      while (Date.now() < end) {
        seen = (await probeStatus(probeUrl, action.target)) === 403 ? seen + 1 : 0;
        if (seen >= this.config.consecutive) return true;
        if (!seen) await sleep(5);
      }
      return false;
    }
    // No probe can come from that address: wait until the pre-reload workers have exited.
    while (Date.now() < end) {
      if (!info || this.control.drained(info.oldWorkers)) return true;
      await sleep(10);
    }
    return false;
  }

  /** Removes the line this action added (none if the address was denied before); reloads. */
  async rollback(action: Action, undo?: UndoState): Promise<void> {
    this.reloads.delete(action.id);
    if (undo?.present) return;
    const text = this.read();
    if (!text.includes(`# haechi:${action.id}`)) return;
    const kept = text
      .split('\n')
      .filter((l) => !l.endsWith(`# haechi:${action.id}`))
      .join('\n');
    this.write(kept);
    const info = await this.control.reload();
    const end = Date.now() + this.config.confirmTimeoutMs;
    while (!this.control.drained(info.oldWorkers) && Date.now() < end) await sleep(10);
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
