// What the enforcers that edit a file nginx reads (the deny list, the ModSecurity rules) share:
// the file written whole and renamed into place, a reload per action that remembers the workers
// serving before it, and the confirm step: consecutive 403s to a probe, or, when no probe can be
// sent, the pre-reload workers all gone (old workers keep serving while they drain).
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { sleep } from '../safety';
import type { NginxControl, ReloadInfo } from './nginx-control';

/** One request the block must refuse. */
export interface Probe {
  url: string;
  headers?: Record<string, string>;
  /** The address to send from (when the block is of an address). */
  localAddress?: string;
}

/** True when this host can send from `address` (loopback 127/8, ::1, or a local interface). */
export function isLocalAddress(address: string): boolean {
  if (isIP(address) === 4 && address.startsWith('127.')) return true;
  if (address === '::1') return true;
  return Object.values(networkInterfaces()).some((list) =>
    list?.some((i) => i.address === address),
  );
}

/** One HTTP GET; the status, or 0 when the connection failed. */
export function probeStatus(probe: Probe, timeoutMs = 1000): Promise<number> {
  const { url, headers, localAddress } = probe;
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        localAddress,
        agent: false,
        headers: { connection: 'close', ...headers },
        timeout: timeoutMs,
      },
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

/** The text of `path`, or '' when it does not exist yet. */
export function readManaged(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

/** Replaces `path` whole (a temporary file renamed over it), so nginx never reads half of it. */
export function writeManaged(path: string, text: string): void {
  const tmp = `${path}.haechi-tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** `text` followed by `added`, with a line break between them where `text` lacks one. */
export function appendText(text: string, added: string): string {
  const base = text === '' || text.endsWith('\n') ? text : text + '\n';
  return base + added;
}

/** Reloads nginx per action and confirms that the reload is in force. */
export class ActionReloads {
  private readonly reloads = new Map<string, ReloadInfo>();

  constructor(
    private readonly control: NginxControl,
    private readonly config: { consecutive: number; confirmTimeoutMs: number },
  ) {}

  /** Reloads for `actionId`; when the reload fails, `undo` takes the edit back and it throws. */
  async reload(actionId: string, undo?: () => void): Promise<void> {
    try {
      this.reloads.set(actionId, await this.control.reload());
    } catch (err) {
      undo?.();
      throw err;
    }
  }

  /**
   * True once `probe` is refused with 403 `consecutive` times in a row (pausing `pauseMs` while it
   * is not), or, with no probe, once the workers from before this action's reload have exited.
   */
  async confirm(actionId: string, probe: Probe | null, pauseMs: number): Promise<boolean> {
    const end = Date.now() + this.config.confirmTimeoutMs;
    if (probe) {
      let seen = 0;
      while (Date.now() < end) {
        seen = (await probeStatus(probe)) === 403 ? seen + 1 : 0;
        if (seen >= this.config.consecutive) return true;
        if (!seen) await sleep(pauseMs);
      }
      return false;
    }
    const info = this.reloads.get(actionId);
    while (Date.now() < end) {
      if (!info || this.control.drained(info.oldWorkers)) return true;
      await sleep(10);
    }
    return false;
  }

  forget(actionId: string): void {
    this.reloads.delete(actionId);
  }

  /** Reloads after a rollback and waits (up to the confirm timeout) for the old workers to go. */
  async reloadAndDrain(): Promise<void> {
    const info = await this.control.reload();
    const end = Date.now() + this.config.confirmTimeoutMs;
    while (!this.control.drained(info.oldWorkers) && Date.now() < end) await sleep(10);
  }
}
