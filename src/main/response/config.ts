// Response configuration: enforcers (name, kind, validated config), the allowlist and limits, read
// from a YAML file; errors name the file, the field and the bad value.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { CrowdsecEnforcer, type SecretLookup } from './enforcers/crowdsec';
import { DryRunEnforcer } from './enforcers/dry-run';
import { ModSecurityEnforcer } from './enforcers/modsecurity';
import { NftablesEnforcer } from './enforcers/nftables';
import { NginxEnforcer } from './enforcers/nginx';
import { RestEnforcer } from './enforcers/rest';
import type { Enforcer } from './types';

export const ENFORCER_KINDS = [
  'dry-run',
  'nftables',
  'nginx',
  'modsecurity',
  'crowdsec',
  'rest',
] as const;

const enforcerDef = z
  .object({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be lowercase letters, digits and dashes'),
    kind: z.enum(ENFORCER_KINDS),
    config: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();
export type EnforcerDef = z.infer<typeof enforcerDef>;

export const responseConfigSchema = z
  .object({
    allowlist: z
      .object({ ranges: z.array(z.string()).default([]), loopback: z.boolean().default(true) })
      .strict()
      .default({ ranges: [], loopback: true }),
    blocksPerMinute: z.number().int().min(1).max(10_000).default(60),
    enforcers: z.array(enforcerDef).default([]),
  })
  .strict();
export type ResponseConfig = z.infer<typeof responseConfigSchema>;

function describeIssues(where: string, error: z.ZodError, data: unknown): Error {
  const lines = error.issues.map((i) => {
    const bad = i.path.reduce<unknown>(
      (o, k) => (o && typeof o === 'object' ? (o as Record<PropertyKey, unknown>)[k] : undefined),
      data,
    );
    const field =
      i.path
        .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
        .join('')
        .replace(/^\./, '') || '(top)';
    return `${where}: ${field}: ${bad === undefined ? 'missing' : JSON.stringify(bad)?.slice(0, 80)}: ${i.message}`;
  });
  return new Error(lines.join('\n'));
}

/** Builds one enforcer; its config is validated by the enforcer's own schema. */
export function createEnforcer(def: EnforcerDef, secret: SecretLookup): Enforcer {
  const where = `enforcer ${def.name} (${def.kind})`;
  try {
    switch (def.kind) {
      case 'dry-run':
        return new DryRunEnforcer(def.name);
      case 'nftables':
        return new NftablesEnforcer(def.name, def.config);
      case 'nginx':
        return new NginxEnforcer(def.name, def.config);
      case 'modsecurity':
        return new ModSecurityEnforcer(def.name, def.config);
      case 'crowdsec':
        return new CrowdsecEnforcer(def.name, def.config, secret);
      case 'rest':
        return new RestEnforcer(def.name, def.config, secret);
    }
  } catch (err) {
    if (err instanceof z.ZodError) throw describeIssues(`${where} config`, err, def.config);
    throw err;
  }
}

/** Parses a response configuration (YAML text); throws naming the field and the bad value. */
export function parseResponseConfig(text: string, file = 'response.yaml'): ResponseConfig {
  let data: unknown;
  try {
    data = parse(text) ?? {};
  } catch (err) {
    throw new Error(`${file}: YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const result = responseConfigSchema.safeParse(data);
  if (!result.success) throw describeIssues(file, result.error, data);
  const names = new Set<string>();
  for (const e of result.data.enforcers) {
    if (names.has(e.name)) throw new Error(`${file}: enforcers: "${e.name}" is named twice`);
    names.add(e.name);
  }
  return result.data;
}

export function loadResponseConfig(file: string): ResponseConfig {
  return parseResponseConfig(readFileSync(file, 'utf8'), file);
}
