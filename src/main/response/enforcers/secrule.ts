// Generation and validation of Haechi's ModSecurity rules. `nginx -t` accepts broken SecRules
// (an unbalanced `@rx (`, an unterminated action string), so every rule Haechi writes is first
// checked here by its own small parser: quoting and escapes, a closed set of variables, operators
// and actions, balanced regular expressions, no macro expansion.
import { isIP } from 'node:net';

/** `address` is a block-ip carried out by ModSecurity (REMOTE_ADDR, @ipMatch). */
export type WafField = 'path' | 'user-agent' | 'parameter' | 'header' | 'address';
export type WafMatch = 'equals' | 'contains' | 'starts-with' | 'ends-with' | 'regex' | 'ip-match';

export interface WafSpec {
  field: WafField;
  name?: string;
  match: WafMatch;
  value: string;
}

export class SecRuleError extends Error {
  constructor(message: string) {
    super(`SecRule rejected: ${message}`);
    this.name = 'SecRuleError';
  }
}

const OPERATOR: Record<WafMatch, string> = {
  equals: '@streq',
  contains: '@contains',
  'starts-with': '@beginsWith',
  'ends-with': '@endsWith',
  regex: '@rx',
  'ip-match': '@ipMatch',
};
const VARIABLE =
  /^(REMOTE_ADDR|REQUEST_FILENAME|REQUEST_URI|REQUEST_HEADERS:[A-Za-z0-9-]{1,64}|ARGS:[A-Za-z0-9_-]{1,64})$/;
const OPERATORS = new Set(Object.values(OPERATOR));
const ACTION_KEYS = new Set(['id', 'phase', 'deny', 'status', 'log', 't', 'msg', 'tag']);

function variableFor(spec: WafSpec): string {
  if (spec.field === 'address') return 'REMOTE_ADDR';
  if (spec.field === 'path') return 'REQUEST_FILENAME';
  if (spec.field === 'user-agent') return 'REQUEST_HEADERS:User-Agent';
  if (!spec.name) throw new SecRuleError(`field ${spec.field} needs a name`);
  return spec.field === 'header' ? `REQUEST_HEADERS:${spec.name}` : `ARGS:${spec.name}`;
}

/** Renders one rule; `validateSecRule` is then run on the text itself. */
export function renderSecRule(spec: WafSpec, id: number, actionId: string): string {
  const variable = variableFor(spec);
  const phase = spec.field === 'parameter' ? 2 : 1;
  const op = `${OPERATOR[spec.match]} ${spec.value}`;
  const actions = `id:${id},phase:${phase},deny,status:403,log,t:none,msg:'haechi action ${actionId}',tag:'haechi'`;
  const text = `SecRule ${variable} "${op}" "${actions}"`;
  validateSecRule(text, { minId: id, maxId: id });
  return text;
}

/** Splits `SecRule VAR "OP" "ACTIONS"` into its parts, honouring backslash escapes in quotes. */
function tokens(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === ' ') {
      i += 1;
      continue;
    }
    if (text[i] !== '"') {
      const end = text.indexOf(' ', i);
      out.push(text.slice(i, end < 0 ? text.length : end));
      i = end < 0 ? text.length : end;
      continue;
    }
    let j = i + 1;
    let tok = '';
    while (j < text.length && text[j] !== '"') {
      if (text[j] === '\\') {
        if (j + 1 >= text.length) throw new SecRuleError(`dangling backslash at column ${j + 1}`);
        tok += text[j] + text[j + 1];
        j += 2;
      } else tok += text[j++];
    }
    if (j >= text.length)
      throw new SecRuleError(`unterminated quoted string starting at column ${i + 1}`);
    out.push(tok);
    i = j + 1;
    if (i < text.length && text[i] !== ' ')
      throw new SecRuleError(`text right after a closing quote at column ${i + 1}`);
  }
  return out;
}

/** Checks that parentheses and brackets balance, outside escapes and character classes. */
export function checkBalanced(pattern: string): void {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i];
    if (c === '\\') {
      if (i + 1 >= pattern.length) throw new SecRuleError('@rx pattern ends with a lone backslash');
      i += 1;
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
      if (pattern[i + 1] === ']') i += 1;
    } else if (c === '(') depth += 1;
    else if (c === ')' && --depth < 0)
      throw new SecRuleError(`@rx pattern has an unbalanced ")" at position ${i + 1}`);
  }
  if (inClass) throw new SecRuleError('@rx pattern has an unclosed "["');
  if (depth > 0) throw new SecRuleError(`@rx pattern has ${depth} unclosed "("`);
}

function checkOperator(op: string): void {
  const m = /^(@[A-Za-z]+) (.+)$/s.exec(op);
  if (!m || !OPERATORS.has(m[1]))
    throw new SecRuleError(
      `operator "${op.split(' ')[0]}" is not one Haechi writes (${[...OPERATORS].join(', ')})`,
    );
  const arg = m[2];
  if (arg.includes('%{'))
    throw new SecRuleError('operator argument contains "%{" (macro expansion is not allowed)');
  if (m[1] === '@ipMatch') {
    if (!isIP(arg))
      throw new SecRuleError(
        `@ipMatch argument ${JSON.stringify(arg.slice(0, 60))} is not an IP address`,
      );
  } else if (m[1] === '@rx') {
    checkBalanced(arg);
    try {
      new RegExp(arg);
    } catch (err) {
      throw new SecRuleError(`@rx pattern does not compile: ${(err as Error).message}`);
    }
  } else if (/[\\"]/.test(arg)) {
    throw new SecRuleError(
      `${m[1]} argument contains a quote or backslash: ${JSON.stringify(arg.slice(0, 60))}`,
    );
  }
}

/** Splits actions on commas outside single quotes; an unterminated quote is an error. */
function splitActions(actions: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const c of actions) {
    if (c === "'") quoted = !quoted;
    if (c === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (quoted) throw new SecRuleError('unterminated single-quoted action value');
  out.push(cur);
  return out;
}

function checkActions(actions: string, range: { minId: number; maxId: number }): void {
  const seen = new Set<string>();
  for (const part of splitActions(actions)) {
    const [key, ...rest] = part.split(':');
    const value = rest.join(':');
    if (!ACTION_KEYS.has(key)) throw new SecRuleError(`action "${key}" is not one Haechi writes`);
    if (seen.has(key) && key !== 'tag') throw new SecRuleError(`action "${key}" appears twice`);
    seen.add(key);
    if (
      key === 'id' &&
      !(/^\d+$/.test(value) && Number(value) >= range.minId && Number(value) <= range.maxId)
    ) {
      throw new SecRuleError(`id ${value} is outside Haechi's range ${range.minId}-${range.maxId}`);
    }
    if (key === 'phase' && !['1', '2'].includes(value))
      throw new SecRuleError(`phase ${value} is not 1 or 2`);
    if (key === 'status' && value !== '403') throw new SecRuleError(`status ${value} is not 403`);
    if (key === 't' && value !== 'none')
      throw new SecRuleError(`transformation ${value} is not none`);
    if ((key === 'msg' || key === 'tag') && !/^'[^'\\"%]{0,200}'$/.test(value))
      throw new SecRuleError(
        `${key} must be a single-quoted text without quotes, backslashes or %`,
      );
  }
  for (const k of ['id', 'phase', 'deny'])
    if (!seen.has(k)) throw new SecRuleError(`action "${k}" is missing`);
}

/** Validates one generated rule line; throws SecRuleError saying what is wrong. */
export function validateSecRule(text: string, range = { minId: 1, maxId: 99_999_999 }): void {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\x00-\x1f\x7f]/.test(text))
    throw new SecRuleError('rule contains a control character or line break');
  const t = tokens(text);
  if (t[0] !== 'SecRule') throw new SecRuleError('rule must start with SecRule');
  if (t.length !== 4)
    throw new SecRuleError(
      `rule must have a variable, an operator and actions (found ${t.length - 1} parts)`,
    );
  if (!VARIABLE.test(t[1])) throw new SecRuleError(`variable "${t[1]}" is not one Haechi writes`);
  checkOperator(t[2]);
  checkActions(t[3], range);
}
