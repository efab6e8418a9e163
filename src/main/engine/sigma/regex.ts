// Regular expressions for the `re` modifier, with a guarantee that no rule can freeze the engine.
//
// Every pattern is first compiled by RE2JS (a linear-time RE2 port): a pattern RE2 cannot compile
// (backreferences, lookaround, possessive quantifiers) is rejected with the reason. Matching then
// uses RE2JS, except for patterns proven safe for V8's backtracking engine, which is faster. A
// pattern is "safe" when it has no unbounded quantifier (`*`, `+`, `{n,}`) and every bounded
// quantifier is at most {0,64} and not nested inside another quantified group: then the work per
// start position is bounded by a constant of the pattern, so matching is linear in the input.
// Anything else (e.g. `.*foo.*bar`, `(a+)+`) runs on RE2JS.
import { RE2JS } from 're2js';

export interface RegexFlags {
  i?: boolean;
  m?: boolean;
  s?: boolean;
}

export interface CompiledRegex {
  test(s: string): boolean;
  engine: 'native' | 're2';
}

const stats = { native: 0, re2: 0 };

/** How many patterns use each engine (reported by the benchmark). */
export function regexStats(): { native: number; re2: number } {
  return { ...stats };
}

/** Strips a leading inline flag group such as `(?i)` into flags (RE2 accepts it, V8 does not). */
function leadingFlags(pattern: string, flags: RegexFlags): [string, RegexFlags] {
  const m = /^\(\?([ims]+)\)/.exec(pattern);
  if (!m) return [pattern, flags];
  const f = { ...flags };
  for (const ch of m[1]) f[ch as 'i' | 'm' | 's'] = true;
  return [pattern.slice(m[0].length), f];
}

/** True when the pattern only has bounded, non-nested quantifiers (see the file comment). */
export function isLinearForBacktracking(pattern: string): boolean {
  if (/\\[1-9]|\\k<|\(\?[=!<]|\(\?\w/.test(pattern)) return false;
  let depth = 0;
  const quantifiedAtDepth: boolean[] = [false];
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch === '[') {
      i = skipClass(pattern, i);
      continue;
    }
    if (ch === '*' || ch === '+') return false;
    if (ch === '(') {
      depth++;
      quantifiedAtDepth[depth] = false;
    } else if (ch === ')') {
      const inner = quantifiedAtDepth[depth];
      depth--;
      const next = pattern[i + 1];
      if (next === '?' || next === '{') {
        if (inner) return false;
        quantifiedAtDepth[depth] = true;
      } else if (inner) quantifiedAtDepth[depth] = true;
    } else if (ch === '{') {
      const q = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
      if (q && q[2] !== undefined && (q[3] === '' || Number(q[3]) > 64)) return false;
      if (q) quantifiedAtDepth[depth] = true;
    } else if (ch === '?') {
      quantifiedAtDepth[depth] = true;
    }
  }
  return true;
}

function skipClass(p: string, start: number): number {
  let i = start + 1;
  if (p[i] === '^') i++;
  if (p[i] === ']') i++;
  for (; i < p.length; i++) {
    if (p[i] === '\\') i++;
    else if (p[i] === ']') return i;
  }
  return i;
}

/** Compiles a Sigma `re` value. Throws an Error naming the problem when RE2 rejects it. */
export function compileRegex(source: string, flags: RegexFlags): CompiledRegex {
  const [pattern, f] = leadingFlags(source, flags);
  let re2Flags = 0;
  if (f.i) re2Flags |= RE2JS.CASE_INSENSITIVE;
  if (f.m) re2Flags |= RE2JS.MULTILINE;
  if (f.s) re2Flags |= RE2JS.DOTALL;
  let re2: RE2JS;
  try {
    re2 = RE2JS.compile(pattern, re2Flags);
  } catch (err) {
    throw new Error(
      `regular expression ${JSON.stringify(source)} is not supported by the linear-time engine ` +
        `(${(err as Error).message}); rewrite it without backreferences or lookaround`,
    );
  }
  if (isLinearForBacktracking(pattern)) {
    try {
      const native = new RegExp(pattern, (f.i ? 'i' : '') + (f.m ? 'm' : '') + (f.s ? 's' : ''));
      stats.native++;
      return { test: (s) => native.test(s), engine: 'native' };
    } catch {
      // RE2 syntax V8 does not accept (e.g. `\pN`, `(?P<n>…)`): keep RE2.
    }
  }
  stats.re2++;
  return { test: (s) => re2.test(s), engine: 're2' };
}

/**
 * The longest run of literal characters every match of the pattern must contain, or null. Used
 * only to index the rule (a necessary condition), never to decide a match. Patterns with a
 * top-level alternation give null.
 */
export function requiredLiteral(source: string): string | null {
  const pattern = source.replace(/^\(\?[ims]+\)/, '');
  let depth = 0;
  let best = '';
  let run = '';
  const end = () => {
    if (run.length > best.length) best = run;
    run = '';
  };
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    let lit: string | null = null;
    if (ch === '\\') {
      const next = pattern[++i] ?? '';
      lit = /[\\.*+?()[\]{}|^$/-]/.test(next) ? next : null;
    } else if (ch === '[') {
      i = skipClass(pattern, i);
    } else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) return null;
    else if (!/[.*+?{}^$|]/.test(ch)) lit = ch;
    const quantified = /[*?{]/.test(pattern[i + 1] ?? '');
    if (lit !== null && depth === 0 && !quantified) run += lit;
    else {
      // A quantifier `+` keeps one copy of the character; anything else ends the run.
      if (lit !== null && depth === 0 && pattern[i + 1] === '+') run += lit;
      end();
    }
  }
  end();
  return best.length >= 3 ? best : null;
}
