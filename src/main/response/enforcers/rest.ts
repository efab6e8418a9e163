// REST: a templated HTTP call for firewall and WAF APIs (address lists, aliases, block rules).
// Headers carry credentials by name (`{{secret:NAME}}`, resolved per call, never logged); calls
// are spaced to a rate limit; a 202 with an operation to poll is followed until it is done.
// Rollback deletes exactly the item apply created (by the reference its answer returned).
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
import type { SecretLookup } from './crowdsec';

const call = z
  .object({
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
    path: z.string().startsWith('/'),
    body: z.unknown().optional(),
    /** Statuses that count as success (default any 2xx). */
    okStatus: z.array(z.number().int()).optional(),
  })
  .strict();
type Call = z.infer<typeof call>;

export const restConfig = z
  .object({
    baseUrl: z.string().url(),
    headers: z.record(z.string(), z.string()).default({}),
    supports: z.array(z.enum(['block-ip', 'waf-rule', 'notify'])).min(1),
    rateLimitPerSec: z.number().positive().max(1000).default(5),
    timeoutMs: z.number().int().min(100).max(60_000).default(5_000),
    apply: call,
    /** Where the created item's reference is in the answer (dotted path), for confirm/rollback. */
    refFrom: z.string().optional(),
    confirm: call.optional(),
    rollback: call.optional(),
    health: call.optional(),
    async: z
      .object({
        /** `header:Location` or `json:operation.url` */
        statusFrom: z.string().regex(/^(header|json):.+$/),
        field: z.string(),
        done: z.string(),
        failed: z.string().optional(),
        pollEveryMs: z.number().int().min(10).max(60_000).default(200),
        timeoutMs: z.number().int().min(100).max(600_000).default(30_000),
      })
      .strict()
      .optional(),
  })
  .strict();
export type RestConfig = z.infer<typeof restConfig>;

type Vars = Record<string, string | number>;

function dig(obj: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined),
      obj,
    );
}

/** Fills `{{name}}` in a string; a string that is only one placeholder keeps the value's type. */
function fill(text: string, vars: Vars, encode: (s: string) => string = (s) => s): string | number {
  const whole = /^\{\{([\w.:-]+)\}\}$/.exec(text);
  if (whole && typeof vars[whole[1]] === 'number') return vars[whole[1]];
  return text.replace(/\{\{([\w.:-]+)\}\}/g, (_m, k: string) => {
    if (!(k in vars)) throw new EnforcerError(`template names "{{${k}}}", which is not set`, true);
    return encode(String(vars[k]));
  });
}

function fillBody(body: unknown, vars: Vars): unknown {
  if (typeof body === 'string') return fill(body, vars);
  if (Array.isArray(body)) return body.map((b) => fillBody(b, vars));
  if (body && typeof body === 'object')
    return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, fillBody(v, vars)]));
  return body;
}

export class RestEnforcer implements Enforcer {
  readonly kind = 'rest';
  readonly nativeTtl = false;
  readonly config: RestConfig;
  private spacing: Promise<void> = Promise.resolve();
  /** The item reference each applied action got, for confirm (rollback reads it from undo). */
  private readonly refs = new Map<string, string>();

  constructor(
    readonly name: string,
    config: unknown,
    private readonly secret: SecretLookup,
  ) {
    this.config = restConfig.parse(config);
  }

  supports(kind: ActionKind): boolean {
    return this.config.supports.includes(kind);
  }

  private vars(action: Action, ref?: unknown): Vars {
    const v: Vars = {
      id: action.id,
      target: action.target,
      ttl: action.ttlSec,
      kind: action.kind,
      reason: action.reason,
    };
    for (const [k, val] of Object.entries(action.params ?? {})) v[`params.${k}`] = String(val);
    if (ref !== undefined) v.ref = String(ref);
    return v;
  }

  /** Waits for this call's slot under the rate limit. */
  private slot(): Promise<void> {
    const gap = 1000 / this.config.rateLimitPerSec;
    const mine = this.spacing.then(() => undefined);
    this.spacing = mine.then(() => sleep(gap));
    return mine;
  }

  private headers(): Record<string, string> {
    const out: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'haechi/0.1',
    };
    for (const [k, v] of Object.entries(this.config.headers)) {
      out[k] = v.replace(/\{\{secret:([\w.-]+)\}\}/g, (_m, name: string) => this.secret(name));
    }
    return out;
  }

  private async request(
    c: Call,
    vars: Vars,
    url?: string,
  ): Promise<{ status: number; json: unknown; headers: Headers }> {
    await this.slot();
    const target =
      url ??
      this.config.baseUrl.replace(/\/$/, '') + String(fill(c.path, vars, encodeURIComponent));
    const body = c.body === undefined ? undefined : JSON.stringify(fillBody(c.body, vars));
    let res: Response;
    try {
      res = await fetch(target, {
        method: c.method,
        headers: this.headers(),
        body,
        // A redirect is never followed: it could carry the credential headers to another host.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
      throw new EnforcerError(`${this.name}: cannot reach ${new URL(target).host}: ${cause}`);
    }
    const text = await res.text();
    if (res.status >= 300 && res.status < 400) {
      const where = res.headers.get('location') ?? 'nowhere';
      throw new EnforcerError(
        `${this.name}: ${c.method} ${c.path} redirected (${res.status}) to ${where}; redirects are not followed, set baseUrl to the final address`,
        true,
      );
    }
    const ok = c.okStatus ? c.okStatus.includes(res.status) : res.ok;
    if (!ok) {
      // 429 and 5xx are worth retrying; other refusals are final.
      const permanent = res.status < 500 && res.status !== 429 && res.status !== 408;
      throw new EnforcerError(
        `${this.name}: ${c.method} ${c.path} answered ${res.status}: ${text.slice(0, 160)}`,
        permanent,
      );
    }
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, json, headers: res.headers };
  }

  async apply(action: Action): Promise<ApplyResult> {
    const vars = this.vars(action);
    const res = await this.request(this.config.apply, vars);
    if (res.status === 202 && this.config.async) await this.follow(res);
    const ref = this.config.refFrom ? dig(res.json, this.config.refFrom) : undefined;
    if (this.config.refFrom && (ref === undefined || ref === null)) {
      throw new EnforcerError(
        `${this.name}: the answer has no "${this.config.refFrom}" to refer to the item`,
        true,
      );
    }
    if (ref === undefined) return { undo: {} };
    this.refs.set(action.id, String(ref));
    return { undo: { ref: String(ref) } };
  }

  /** Polls an asynchronous operation until its field says done (or failed, or time runs out). */
  private async follow(first: { json: unknown; headers: Headers }): Promise<void> {
    const a = this.config.async!;
    const [where, key] = [
      a.statusFrom.split(':')[0],
      a.statusFrom.slice(a.statusFrom.indexOf(':') + 1),
    ];
    const loc = where === 'header' ? first.headers.get(key) : dig(first.json, key);
    if (!loc)
      throw new EnforcerError(`${this.name}: asynchronous answer has no ${a.statusFrom}`, true);
    const url = new URL(String(loc), this.config.baseUrl);
    // The poll carries the configured credential headers: never to another origin than baseUrl.
    if (url.origin !== new URL(this.config.baseUrl).origin)
      throw new EnforcerError(
        `${this.name}: operation address ${url.origin} is not on ${new URL(this.config.baseUrl).origin}; not polled`,
        true,
      );
    const end = Date.now() + a.timeoutMs;
    while (Date.now() < end) {
      const res = await this.request({ method: 'GET', path: '/' }, {}, url.toString());
      const state = String(dig(res.json, a.field));
      if (state === a.done) return;
      if (a.failed && state === a.failed)
        throw new EnforcerError(`${this.name}: operation ended ${state}`, true);
      await sleep(a.pollEveryMs);
    }
    throw new EnforcerError(`${this.name}: operation not done after ${a.timeoutMs} ms`);
  }

  async confirm(action: Action): Promise<boolean> {
    if (!this.config.confirm) return true; // the API's success answer is all there is
    const vars = this.vars(action, this.refs.get(action.id));
    return this.request(this.config.confirm, vars).then(
      () => true,
      () => false,
    );
  }

  async rollback(action: Action, undo?: UndoState): Promise<void> {
    if (!this.config.rollback)
      throw new EnforcerError(`${this.name}: no rollback call is configured`, true);
    this.refs.delete(action.id);
    await this.request(this.config.rollback, this.vars(action, undo?.ref));
  }

  async health(): Promise<EnforcerHealth> {
    if (!this.config.health) return { ok: true, detail: 'no health call configured' };
    try {
      await this.request(this.config.health, {});
      return { ok: true };
    } catch (err) {
      return { ok: false, detail: (err as Error).message };
    }
  }
}
