// Controls the user's nginx: config test, coalesced reloads (many edits, one reload), and the
// master's worker processes, so a caller can wait until the workers that served before a reload
// have drained.
import { readdirSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { EnforcerError } from '../types';
import { execOk } from './exec';

export const nginxControlConfig = z
  .object({
    nginx: z.string().default('nginx'),
    /** The user's main configuration file (`nginx -c`). */
    conf: z.string().min(1),
    /** The prefix path (`nginx -p`), when the site runs nginx with one. */
    prefix: z.string().optional(),
    /** The master's pid file, to find its workers; defaults to the one `conf` names. */
    pidFile: z.string().optional(),
    /** `nginx -t` before every reload, only before the first one, or never (default always). */
    testBeforeReload: z.enum(['always', 'first', 'never']).default('always'),
  })
  .strict();
export type NginxControlConfig = z.infer<typeof nginxControlConfig>;

/** What a reload replaced: the workers that were serving before it. */
export interface ReloadInfo {
  at: number;
  oldWorkers: number[];
}

export class NginxControl {
  private chain: Promise<unknown> = Promise.resolve();
  private next: Promise<ReloadInfo> | null = null;
  private tested = false;

  constructor(readonly config: NginxControlConfig) {}

  private args(extra: string[]): string[] {
    const c = this.config;
    return [...(c.prefix ? ['-p', c.prefix] : []), '-c', c.conf, ...extra];
  }

  /** Asks for a reload covering every edit made before this call; concurrent asks share one. */
  reload(): Promise<ReloadInfo> {
    if (this.next) return this.next;
    const run = this.chain.then(async () => {
      this.next = null;
      return this.reloadNow();
    });
    this.next = run;
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async reloadNow(): Promise<ReloadInfo> {
    const when = this.config.testBeforeReload;
    if (when === 'always' || (when === 'first' && !this.tested)) await this.test();
    this.tested = true;
    const oldWorkers = this.workers();
    await execOk(this.config.nginx, this.args(['-s', 'reload']), { label: 'nginx -s reload' });
    return { at: Date.now(), oldWorkers };
  }

  /** `nginx -t`; a failure is permanent (the configuration, not the server, is wrong). */
  async test(): Promise<void> {
    try {
      await execOk(this.config.nginx, this.args(['-t', '-q']), { label: 'nginx -t' });
    } catch (err) {
      throw new EnforcerError(`rejected by ${(err as Error).message}`, true);
    }
  }

  pidFile(): string {
    if (this.config.pidFile) return this.config.pidFile;
    const m = /^\s*pid\s+([^;]+);/m.exec(readFileSync(this.config.conf, 'utf8'));
    if (!m)
      throw new EnforcerError(`nginx: ${this.config.conf} names no pid file; set pidFile`, true);
    const p = m[1].trim();
    return p.startsWith('/') || !this.config.prefix ? p : `${this.config.prefix}/${p}`;
  }

  masterPid(): number | null {
    try {
      const pid = Number(readFileSync(this.pidFile(), 'utf8').trim());
      process.kill(pid, 0);
      return pid;
    } catch {
      return null;
    }
  }

  /** PIDs of the master's current children (workers, and old ones still draining). */
  workers(): number[] {
    const master = this.masterPid();
    if (!master) return [];
    const out: number[] = [];
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (ppid === master) out.push(Number(name));
      } catch {
        // the process ended while we looked
      }
    }
    return out;
  }

  /** True once none of `pids` is still a worker of the master. */
  drained(pids: number[]): boolean {
    const now = new Set(this.workers());
    return pids.every((p) => !now.has(p));
  }
}
