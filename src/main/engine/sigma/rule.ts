// Parses rule text (one or more YAML documents) into compiled rules, collecting every problem with
// its file, line and column.
import { isMap, isPair, isScalar, LineCounter, parseAllDocuments, type Document } from 'yaml';
import { LEVELS, type Level, type RuleInfo, type RuleProblem } from '../../../shared/types';
import {
  ConditionError,
  compileCondition,
  matchNames,
  orOf,
  parseCondition,
  type Selection,
} from './condition';
import { compileCorrelation } from './correlation-spec';
import { andOf } from './condition';
import { compileItem, type ItemEnv } from './item';
import type { Mapping } from './logsource';
import { RuleError, type CompiledRule, type LogSource, type Where } from './types';

type Path = (string | number)[];

/** Locates a key (or, failing that, the value) at a path in a YAML document, 1-based. */
export class Locator {
  constructor(
    private readonly doc: Document,
    private readonly lc: LineCounter,
  ) {}

  at(path: Path): Where {
    const parent = path.length ? this.doc.getIn(path.slice(0, -1), true) : this.doc.contents;
    const last = path[path.length - 1];
    let offset: number | undefined;
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === last);
      offset = (pair?.key as { range?: [number, number] } | undefined)?.range?.[0];
    }
    if (offset === undefined) {
      const node = this.doc.getIn(path, true) as { range?: [number, number] } | undefined;
      offset = node?.range?.[0];
    }
    if (offset === undefined)
      offset = (this.doc.contents as { range?: [number, number] } | null)?.range?.[0] ?? 0;
    const { line, col } = this.lc.linePos(offset);
    return { line, column: col };
  }

  /** Position of a character inside a scalar value (for condition errors). */
  inside(path: Path, charOffset: number): Where {
    const node = this.doc.getIn(path, true) as
      { range?: [number, number]; type?: string } | undefined;
    if (!node?.range) return this.at(path);
    const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? 1 : 0;
    const { line, col } = this.lc.linePos(node.range[0] + quoted + charOffset);
    return { line, column: col };
  }
}

export interface ParseResult {
  rules: CompiledRule[];
  problems: RuleProblem[];
}

/** Parses and compiles every document of a rule file. Problems never stop the other documents. */
export function parseRuleText(text: string, file: string, mapping: Mapping): ParseResult {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const rules: CompiledRule[] = [];
  const problems: RuleProblem[] = [];
  if (!Array.isArray(docs)) return { rules, problems };
  docs.forEach((doc, index) => {
    if (doc.errors.length) {
      for (const err of doc.errors) {
        const pos = lc.linePos(err.pos[0]);
        problems.push({
          file,
          line: pos.line,
          column: pos.col,
          message: `YAML: ${firstLine(err.message)}`,
        });
      }
      return;
    }
    if (doc.contents === null) return;
    const loc = new Locator(doc, lc);
    try {
      const rule = compileDocument(
        doc.toJS() as Record<string, unknown>,
        loc,
        file,
        index,
        mapping,
        text,
      );
      if (rule) rules.push(rule);
    } catch (err) {
      const where = err instanceof RuleError ? err.where : {};
      problems.push({ file, ...where, message: (err as Error).message });
    }
  });
  return { rules, problems };
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

function strList(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x) => x !== null && x !== undefined).map(String);
  return typeof v === 'string' ? [v] : [];
}

function compileDocument(
  raw: Record<string, unknown>,
  loc: Locator,
  file: string,
  index: number,
  mapping: Mapping,
  text: string,
): CompiledRule | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new RuleError(
      'a rule must be a YAML mapping with title, logsource and detection',
      loc.at([]),
    );
  }
  if (raw.action === 'global' || raw.action === 'reset' || raw.action === 'repeat') {
    throw new RuleError(
      `rule collections with "action: ${String(raw.action)}" are not supported; write each rule as its own document`,
      loc.at(['action']),
    );
  }
  const kind = raw.correlation ? 'correlation' : raw.filter ? 'filter' : 'detection';
  const title = str(raw.title);
  if (!title)
    throw new RuleError(
      'the rule has no "title"; add a short title',
      loc.at(raw.title === undefined ? [] : ['title']),
    );
  const level = ruleLevel(raw, loc);
  const id = str(raw.id) ?? `${file}#${index + 1}`;
  const logsource = ruleLogsource(raw, loc, kind);
  const info = ruleInfo(raw, id, title, level, file, logsource, kind);
  const base = {
    kind,
    id,
    name: str(raw.name),
    title,
    level,
    info,
    file,
    yaml: text,
    logsource,
  } as const;
  if (kind === 'correlation') {
    return { ...base, correlation: compileCorrelation(raw.correlation, loc) };
  }
  const env: ItemEnv = {
    fieldNames: (f) => mapping.fieldNames(f),
    placeholders: mapping.placeholders,
  };
  if (kind === 'filter') {
    const section = raw.filter as Record<string, unknown>;
    const det = compileDetection(section, loc, ['filter'], env);
    return { ...base, filter: { rules: strList(section.rules), test: det.test } };
  }
  if (raw.detection === undefined) {
    throw new RuleError('the rule has no "detection"; add selections and a condition', loc.at([]));
  }
  const det = compileDetection(raw.detection, loc, ['detection'], env);
  return { ...base, test: det.test, selections: det.selections, probes: det.probes };
}

function ruleLevel(raw: Record<string, unknown>, loc: Locator): Level {
  if (raw.level === undefined) return 'medium';
  if (typeof raw.level === 'string' && (LEVELS as readonly string[]).includes(raw.level))
    return raw.level as Level;
  throw new RuleError(
    `level ${JSON.stringify(raw.level)} is not one of ${LEVELS.join(', ')}`,
    loc.at(['level']),
  );
}

function ruleLogsource(raw: Record<string, unknown>, loc: Locator, kind: string): LogSource {
  const ls = raw.logsource;
  if (ls === undefined) {
    if (kind === 'correlation') return {};
    throw new RuleError(
      'the rule has no "logsource"; add product, category or service',
      loc.at([]),
    );
  }
  if (typeof ls !== 'object' || ls === null || Array.isArray(ls)) {
    throw new RuleError(
      '"logsource" must be a mapping of product, category and service',
      loc.at(['logsource']),
    );
  }
  const o = ls as Record<string, unknown>;
  return { product: str(o.product), category: str(o.category), service: str(o.service) };
}

function ruleInfo(
  raw: Record<string, unknown>,
  id: string,
  title: string,
  level: Level,
  file: string,
  logsource: LogSource,
  kind: RuleInfo['kind'],
): RuleInfo {
  return {
    id,
    title,
    status: str(raw.status),
    level,
    tags: strList(raw.tags),
    file,
    logsource,
    author: str(raw.author),
    references: strList(raw.references),
    falsepositives: strList(raw.falsepositives),
    description: str(raw.description),
    kind,
  };
}

interface Detection {
  test: CompiledRule['test'] & object;
  selections: NonNullable<CompiledRule['selections']>;
  probes: CompiledRule['probes'];
}

/** Compiles a detection (or filter) section: every selection, then the condition. */
export function compileDetection(
  section: unknown,
  loc: Locator,
  at: Path,
  env: ItemEnv,
): Detection {
  if (typeof section !== 'object' || section === null || Array.isArray(section)) {
    throw new RuleError('"detection" must be a mapping of selections and a condition', loc.at(at));
  }
  const det = section as Record<string, unknown>;
  const names = Object.keys(det).filter(
    (k) => k !== 'condition' && k !== 'timeframe' && k !== 'rules',
  );
  const sels = new Map<string, Selection>();
  for (const name of names) sels.set(name, compileSelection(det[name], loc, [...at, name], env));
  if (det.condition === undefined) {
    throw new RuleError(
      'the detection has no "condition"; add e.g. "condition: selection"',
      loc.at(at),
    );
  }
  const conds = Array.isArray(det.condition) ? det.condition : [det.condition];
  const compiled = conds.map((c, i) => {
    const path = Array.isArray(det.condition) ? [...at, 'condition', i] : [...at, 'condition'];
    if (typeof c !== 'string') throw new RuleError('"condition" must be a string', loc.at(path));
    try {
      return compileCondition(parseCondition(c, names), sels);
    } catch (err) {
      if (err instanceof ConditionError)
        throw new RuleError(err.message, loc.inside(path, err.offset));
      throw err;
    }
  });
  const whole = orOf(compiled);
  return {
    test: whole.pred,
    selections: (c) => names.filter((n) => (sels.get(n) as Selection).pred(c)),
    probes: whole.probes,
  };
}

function compileSelection(value: unknown, loc: Locator, path: Path, env: ItemEnv): Selection {
  if (value === null || value === undefined) {
    throw new RuleError(`selection "${String(path[path.length - 1])}" is empty`, loc.at(path));
  }
  if (
    Array.isArray(value) &&
    value.length &&
    value.every((v) => typeof v === 'object' && v !== null && !Array.isArray(v))
  ) {
    return orOf(
      value.map((v, i) => compileMap(v as Record<string, unknown>, loc, [...path, i], env)),
    );
  }
  if (Array.isArray(value) || typeof value !== 'object') {
    return item('', value, loc, path, env);
  }
  return compileMap(value as Record<string, unknown>, loc, path, env);
}

function compileMap(
  map: Record<string, unknown>,
  loc: Locator,
  path: Path,
  env: ItemEnv,
): Selection {
  const keys = Object.keys(map);
  if (!keys.length)
    throw new RuleError('empty selection map; add at least one field', loc.at(path));
  return andOf(keys.map((k) => item(k, map[k], loc, [...path, k], env)));
}

function item(key: string, value: unknown, loc: Locator, path: Path, env: ItemEnv): Selection {
  try {
    return compileItem(key, value, env);
  } catch (err) {
    if (err instanceof RuleError) throw err;
    throw new RuleError((err as Error).message, loc.at(path));
  }
}

export { matchNames };
