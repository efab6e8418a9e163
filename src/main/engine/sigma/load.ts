// Loading rule files and folders: every `.yml`/`.yaml` file, recursively; a rule that fails is a
// problem with its file, line and column, and the others still load.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LEVELS, type Level, type RuleProblem } from '../../../shared/types';
import { loadMapping, type Mapping } from './logsource';
import { parseRuleText as parseWith } from './rule';
import type { CompiledRule } from './types';

export interface LoadOptions {
  /** Keep only rules with one of these statuses (e.g. ['stable', 'test']). */
  status?: string[];
  /** Keep only rules at this level or above. */
  minLevel?: Level;
  mapping?: Mapping;
}

export interface LoadResult {
  rules: CompiledRule[];
  problems: RuleProblem[];
}

/** Bound on the number of rule files read, so a wrong path cannot make a load run forever. */
export const MAX_RULE_FILES = 100_000;

async function collect(path: string, out: string[], problems: RuleProblem[]): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    problems.push({
      file: path,
      message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    });
    return;
  }
  if (info.isFile()) {
    out.push(path);
    return;
  }
  const entries = await readdir(path, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    if (out.length >= MAX_RULE_FILES) return;
    const full = join(path, e.name);
    if (e.isDirectory()) await collect(full, out, problems);
    else if (/\.ya?ml$/i.test(e.name)) out.push(full);
  }
}

/** Parses rule text (for the rule editor): rules and problems, nothing thrown. */
export function parseRuleText(yaml: string, file: string, mapping?: Mapping): LoadResult {
  return parseWith(yaml, file, mapping ?? loadMapping());
}

function keep(rule: CompiledRule, opts: LoadOptions): boolean {
  if (opts.status && rule.kind === 'detection' && !opts.status.includes(rule.info.status ?? ''))
    return false;
  if (opts.minLevel && LEVELS.indexOf(rule.level) < LEVELS.indexOf(opts.minLevel)) return false;
  return true;
}

/** Loads rule files and folders. */
export async function loadRules(paths: string[], opts: LoadOptions = {}): Promise<LoadResult> {
  const mapping = opts.mapping ?? loadMapping();
  const files: string[] = [];
  const problems: RuleProblem[] = [];
  for (const p of paths) await collect(p, files, problems);
  const rules: CompiledRule[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    const r = parseWith(text, file, mapping);
    problems.push(...r.problems);
    // An empty file (0 bytes, or only comments and blank documents) is rejected, not skipped.
    if (r.rules.length === 0 && r.problems.length === 0)
      problems.push({ file, line: 1, column: 1, message: 'the file holds no rule' });
    for (const rule of r.rules) {
      const prior = seen.get(rule.id);
      if (prior) {
        problems.push({
          file,
          line: 1,
          column: 1,
          message: `rule id ${rule.id} is already used by ${prior}; give this rule its own id`,
        });
        continue;
      }
      seen.set(rule.id, file);
      if (keep(rule, opts)) rules.push(rule);
    }
  }
  return { rules, problems };
}
