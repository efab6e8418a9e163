// Playbooks: YAML policies that turn an alert into actions. Parsed with `yaml`, validated with zod;
// every problem names the file, line, field and bad value.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseDocument, isNode } from 'yaml';
import { z } from 'zod';
import type { ActionKind, PlaybookMode } from '../../shared/types';

const DURATION = /^(\d+)\s*(s|m|h|d)$/;
const UNIT_SEC: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** '90s', '10m', '1h', '2d' or a number of seconds → seconds. */
export function parseDuration(value: string | number): number | null {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : null;
  const m = DURATION.exec(value.trim());
  return m ? Number(m[1]) * UNIT_SEC[m[2]] : null;
}

const duration = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const sec = parseDuration(v);
  if (sec === null || sec > 30 * 86400) {
    ctx.addIssue({
      code: 'custom',
      message: 'is not a duration between 1s and 30d (use 30s, 10m, 1h, 1d)',
    });
    return z.NEVER;
  }
  return sec;
});

export const FIELD_OPS = [
  'equals',
  'not-equals',
  'contains',
  'starts-with',
  'ends-with',
  'matches',
  'in-cidr',
  'exists',
] as const;
export type FieldOp = (typeof FIELD_OPS)[number];

const fieldCondition = z
  .object({
    field: z.string().regex(/^[A-Za-z0-9_.@-]+$/, 'must be a field name such as source.ip'),
    op: z.enum(FIELD_OPS).default('equals'),
    value: z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.op !== 'exists' && c.value === undefined)
      ctx.addIssue({ code: 'custom', path: ['value'], message: `is required for op ${c.op}` });
    if (c.op === 'matches' && typeof c.value === 'string') {
      try {
        new RegExp(c.value);
      } catch (err) {
        ctx.addIssue({
          code: 'custom',
          path: ['value'],
          message: `is not a valid regular expression (${(err as Error).message})`,
        });
      }
    }
  });

const condition = z
  .object({
    minScore: z.number().min(0).max(100).optional(),
    rules: z.array(z.string().min(1)).optional(),
    tags: z.array(z.string().min(1)).optional(),
    indicatorHit: z.boolean().optional(),
    fields: z.array(fieldCondition).optional(),
  })
  .strict();

const blockIp = z
  .object({
    action: z.literal('block-ip'),
    target: z.string().default('{{source.ip}}'),
    ttl: duration,
    enforcer: z.string().optional(),
  })
  .strict();

export const WAF_FIELDS = ['path', 'user-agent', 'parameter', 'header'] as const;
export const WAF_MATCHES = ['equals', 'contains', 'starts-with', 'ends-with', 'regex'] as const;
const wafRule = z
  .object({
    action: z.literal('waf-rule'),
    field: z.enum(WAF_FIELDS),
    name: z
      .string()
      .regex(
        /^[A-Za-z0-9_-]{1,64}$/,
        'must be a header or parameter name (letters, digits, _ and -)',
      )
      .optional(),
    match: z.enum(WAF_MATCHES).default('contains'),
    value: z.string().min(1).max(1000),
    ttl: duration,
    enforcer: z.string().optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    if ((a.field === 'header' || a.field === 'parameter') && !a.name)
      ctx.addIssue({ code: 'custom', path: ['name'], message: `is required for field ${a.field}` });
  });

const notify = z
  .object({
    action: z.literal('notify'),
    channel: z.string().min(1).max(100),
    message: z.string().max(2000).optional(),
    enforcer: z.string().optional(),
  })
  .strict();

export const actionSpec = z.discriminatedUnion('action', [blockIp, wafRule, notify]);
export type ActionSpec = z.infer<typeof actionSpec>;

export const playbookSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,79}$/, 'must be lowercase letters, digits and dashes'),
    description: z.string().max(2000).optional(),
    mode: z.enum(['auto', 'approve', 'dry-run']),
    enabled: z.boolean().default(true),
    when: condition,
    then: z.array(actionSpec).min(1),
  })
  .strict();

export type Playbook = z.infer<typeof playbookSchema> & { yaml: string; file?: string };
export type Condition = z.infer<typeof condition>;
export type { ActionKind, PlaybookMode };

export class PlaybookError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'PlaybookError';
  }
}

function valueAt(obj: unknown, path: PropertyKey[]): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

function fieldName(path: PropertyKey[]): string {
  return (
    path
      .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`))
      .join('') || '(top)'
  );
}

/** Parses and validates one playbook. Throws PlaybookError listing every problem found. */
export function parsePlaybook(text: string, file = 'playbook'): Playbook {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length) {
    throw new PlaybookError(
      doc.errors.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        return `${file}:${pos.line}:${pos.col}: YAML: ${e.message.split('\n')[0]}`;
      }),
    );
  }
  const data = doc.toJS();
  const result = playbookSchema.safeParse(data);
  if (result.success) return { ...result.data, yaml: text, file };

  const problems = result.error.issues.map((issue) => {
    // A missing field points at the nearest enclosing node that exists.
    let node: unknown;
    for (let n = issue.path.length; n >= 0 && !isNode(node); n -= 1) {
      node = doc.getIn(issue.path.slice(0, n) as (string | number)[], true);
    }
    const where = isNode(node) && node.range ? lines.linePos(node.range[0]) : undefined;
    const loc = where ? `${file}:${where.line}:${where.col}` : file;
    const bad = valueAt(data, issue.path);
    const shown = bad === undefined ? 'missing' : JSON.stringify(bad)?.slice(0, 80);
    return `${loc}: ${fieldName(issue.path)}: ${shown}: ${issue.message}`;
  });
  throw new PlaybookError(problems);
}

export interface LoadedPlaybooks {
  playbooks: Playbook[];
  problems: string[];
}

/** Loads every *.yaml / *.yml playbook in a folder; a bad one is reported and the rest load. */
export function loadPlaybookDir(dir: string): LoadedPlaybooks {
  const out: LoadedPlaybooks = { playbooks: [], problems: [] };
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  for (const f of files) {
    try {
      out.playbooks.push(parsePlaybook(readFileSync(join(dir, f), 'utf8'), f));
    } catch (err) {
      if (err instanceof PlaybookError) out.problems.push(...err.problems);
      else out.problems.push(`${f}: ${(err as Error).message}`);
    }
  }
  return out;
}
