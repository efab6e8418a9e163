// nftables: a blocked address is an element of a set with its own timeout, added with `nft` (no
// reload, in force on the next packet). The element found before (if any) is restored exactly on
// rollback. The site's ruleset drops traffic from the set; `setup()` can create table, sets and
// chain for a dedicated table.
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
import { Batch } from './batch';
import { NftSession } from './nft-session';
import { execOk } from './exec';

const ident = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'must be an nftables name (letters, digits, _ and -)');

export const nftablesConfig = z
  .object({
    family: z.enum(['inet', 'ip', 'ip6']).default('inet'),
    table: ident.default('haechi'),
    set4: ident.default('blocked4'),
    set6: ident.default('blocked6'),
    /** Run nft inside this network namespace (`ip netns exec NAME nft …`). */
    netns: ident.optional(),
    nft: z.string().default('nft'),
    timeoutMs: z.number().int().min(100).max(60_000).default(5_000),
  })
  .strict();
export type NftablesConfig = z.infer<typeof nftablesConfig>;

/** An element as found: absent, permanent, or with `expiresMs` left. */
interface Element {
  present: boolean;
  expiresMs?: number;
}

const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** '1h2m3s400ms' → ms. */
export function parseNftDuration(text: string): number {
  let total = 0;
  for (const m of text.matchAll(/(\d+)(ms|d|h|m|s)/g)) total += Number(m[1]) * UNIT_MS[m[2]];
  return total;
}

/** Elements of every set in an `nft list table` listing, by address. */
export function parseElements(listing: string): Map<string, Element> {
  const out = new Map<string, Element>();
  for (const block of listing.matchAll(/elements = \{([^}]*)\}/g)) {
    for (const raw of block[1].split(',')) {
      const parts = raw.trim().split(/\s+/);
      if (!parts[0]) continue;
      const at = parts.indexOf('expires');
      out.set(
        parts[0],
        at > 0 ? { present: true, expiresMs: parseNftDuration(parts[at + 1]) } : { present: true },
      );
    }
  }
  return out;
}

export class NftablesEnforcer implements Enforcer {
  readonly kind = 'nftables';
  readonly nativeTtl = true;
  readonly config: NftablesConfig;

  constructor(
    readonly name: string,
    config: unknown,
  ) {
    this.config = nftablesConfig.parse(config);
  }

  supports(kind: ActionKind): boolean {
    return kind === 'block-ip';
  }

  private cmd(args: string[]): [string, string[]] {
    const c = this.config;
    return c.netns ? ['ip', ['netns', 'exec', c.netns, c.nft, ...args]] : [c.nft, args];
  }

  private nft(args: string[], input?: string): Promise<string> {
    const [cmd, full] = this.cmd(args);
    return execOk(cmd, full, {
      input,
      timeoutMs: this.config.timeoutMs,
      label: `${this.name}: nft ${args[0]}`,
    });
  }

  private setFor(address: string): string {
    const v = isIP(address);
    if (!v) throw new EnforcerError(`${this.name}: "${address}" is not an IP address`, true);
    return v === 4 ? this.config.set4 : this.config.set6;
  }

  private ref(address: string): string {
    return `${this.config.family} ${this.config.table} ${this.setFor(address)} { ${address} }`;
  }

  /** Reads the element for `address` from the kernel (lookups in one turn share one listing). */
  element(address: string): Promise<Element> {
    this.setFor(address);
    return this.lookups.add(address);
  }

  private session?: NftSession;

  private nftSession(): NftSession {
    const c = this.config;
    this.session ??= new NftSession(
      this.cmd(['-i']),
      `list table ${c.family} ${c.table}`,
      `${this.name}: nft`,
    );
    return this.session;
  }

  private readonly lookups = new Batch<string, Element>(async (addresses) => {
    const found = parseElements((await this.nftSession().run([])).listing);
    return addresses.map((a) => found.get(a) ?? { present: false });
  });

  /**
   * Additions and removals in one turn go down the session together; each group is one line,
   * so a delete and re-add of one address is a single transaction.
   */
  private readonly writes = new Batch<string[], Map<string, Element>>(async (groups) => {
    const lines = groups.map((g) => g.join('; '));
    const { errors, listing } = await this.nftSession().run(lines);
    // The listing that ends the request was taken after every line was committed.
    const after = parseElements(listing);
    // Each line is its own transaction: only the lines nft refused fail.
    return lines.map((l) =>
      errors.has(l) ? new EnforcerError(`${this.name}: nft: ${errors.get(l)}`) : after,
    );
  });

  /** Actions whose element the kernel listed right after their own write: confirmed in force. */
  private readonly seenAfterWrite = new Set<string>();

  async close(): Promise<void> {
    this.session?.close();
  }

  async apply(action: Action): Promise<ApplyResult> {
    const before = await this.element(action.target);
    const undo: UndoState = {
      present: before.present,
      expiresMs: before.expiresMs ?? null,
      at: Date.now(),
    };
    // Never shorten what is there: a permanent element or a longer timeout stays as it is.
    const wantMs = action.ttlSec * 1000;
    if (before.present && (before.expiresMs === undefined || before.expiresMs >= wantMs))
      return { undo };
    if (await this.replace(action.target, action.ttlSec, before.present)) {
      this.seenAfterWrite.add(action.id);
    }
    return { undo };
  }

  /** Adds the element with `ttlSec`, deleting any old one in the same atomic batch. */
  private async replace(address: string, ttlSec: number, present: boolean): Promise<boolean> {
    const ref = this.ref(address);
    const add = `add element ${ref.replace(/ \}$/, ` timeout ${ttlSec}s }`)}`;
    const after = await this.writes.add(present ? [`delete element ${ref}`, add] : [add]);
    return after.get(address)?.present === true;
  }

  async confirm(action: Action): Promise<boolean> {
    if (this.seenAfterWrite.delete(action.id)) return true;
    return (await this.element(action.target)).present;
  }

  async extend(action: Action, ttlSec: number): Promise<void> {
    const now = await this.element(action.target);
    if (now.present && (now.expiresMs === undefined || now.expiresMs >= ttlSec * 1000)) return;
    await this.replace(action.target, ttlSec, now.present);
  }

  /** Puts back what apply found: no element, or the old one with the time it had left. */
  async rollback(action: Action, undo?: UndoState): Promise<void> {
    const now = await this.element(action.target);
    if (!undo?.present) {
      if (now.present) await this.writes.add([`delete element ${this.ref(action.target)}`]);
      return;
    }
    if (undo.expiresMs === null) return; // it was permanent and apply left it untouched
    const leftMs = Number(undo.expiresMs) - (Date.now() - Number(undo.at));
    if (leftMs <= 1000) {
      if (now.present) await this.writes.add([`delete element ${this.ref(action.target)}`]);
      return;
    }
    await this.replace(action.target, Math.round(leftMs / 1000), now.present);
  }

  async health(): Promise<EnforcerHealth> {
    try {
      const c = this.config;
      await this.nft(['list', 'set', c.family, c.table, c.set4]);
      return { ok: true, detail: `${c.family} ${c.table} ${c.set4}` };
    } catch (err) {
      return { ok: false, detail: (err as Error).message };
    }
  }

  /** Creates the table, the two sets and an input chain dropping their members (idempotent). */
  async setup(): Promise<void> {
    const c = this.config;
    const hook = c.family === 'ip6' ? '' : `ip saddr @${c.set4} drop;`;
    const hook6 = c.family === 'ip' ? '' : `ip6 saddr @${c.set6} drop;`;
    const sets = [
      c.family !== 'ip6' ? `set ${c.set4} { type ipv4_addr; flags timeout; }` : '',
      c.family !== 'ip' ? `set ${c.set6} { type ipv6_addr; flags timeout; }` : '',
    ];
    const text = `table ${c.family} ${c.table} {\n${sets.join('\n')}\nchain input { type filter hook input priority -10; policy accept; ${hook} ${hook6} }\n}\n`;
    await this.nft(['-f', '-'], text);
  }
}
