// Sigma string values: wildcards `*` and `?` with their escapes, and a linear wildcard matcher.
//
// Escapes follow the specification: `\*`, `\?` and `\\` stand for the literal character; a
// backslash before anything else is a literal backslash (so `C:\Windows\` needs no doubling).

export const STAR = 0;
export const ONE = 1;
/** A Sigma string: literal text pieces and wildcards. */
export type Token = string | typeof STAR | typeof ONE;

export function parseWildcards(value: string): Token[] {
  const out: Token[] = [];
  let lit = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '\\') {
      const next = value[i + 1];
      if (next === '*' || next === '?' || next === '\\') {
        lit += next;
        i++;
      } else lit += '\\';
    } else if (ch === '*' || ch === '?') {
      if (lit) out.push(lit);
      lit = '';
      out.push(ch === '*' ? STAR : ONE);
    } else lit += ch;
  }
  if (lit) out.push(lit);
  return out;
}

/** Value taken literally (no wildcards), as after base64 and similar encodings. */
export function literalTokens(value: string): Token[] {
  return value ? [value] : [];
}

export function tokensText(tokens: Token[]): string | null {
  let s = '';
  for (const t of tokens) {
    if (typeof t !== 'string') return null;
    s += t;
  }
  return s;
}

/** Merges adjacent literals and repeated stars. */
export function normalize(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (const t of tokens) {
    const last = out[out.length - 1];
    if (typeof t === 'string' && typeof last === 'string') out[out.length - 1] = last + t;
    else if (t === STAR && last === STAR) continue;
    else if (t !== '') out.push(t);
  }
  return out;
}

export type Shape =
  | { kind: 'eq' | 'sw' | 'ew' | 'co'; lit: string }
  | { kind: 'any' }
  | { kind: 'glob'; tokens: Token[] };

/** Classifies a token list into the fastest string test that gives the same answer. */
export function shapeOf(tokens: Token[]): Shape {
  const t = normalize(tokens);
  const n = t.length;
  if (n === 0) return { kind: 'eq', lit: '' };
  if (n === 1 && t[0] === STAR) return { kind: 'any' };
  const lits = t.filter((x) => typeof x === 'string').length;
  const starAt = (i: number) => t[i] === STAR;
  if (n === 1 && lits === 1) return { kind: 'eq', lit: t[0] as string };
  if (n === 2 && lits === 1 && starAt(1)) return { kind: 'sw', lit: t[0] as string };
  if (n === 2 && lits === 1 && starAt(0)) return { kind: 'ew', lit: t[1] as string };
  if (n === 3 && lits === 1 && starAt(0) && starAt(2)) return { kind: 'co', lit: t[1] as string };
  return { kind: 'glob', tokens: t };
}

/**
 * Wildcard match of the whole string. Literal pieces are matched with indexOf and `*` retries only
 * from its last position (greedy with one backtrack point), so the cost is O(len(s) · len(pattern))
 * at worst, never exponential.
 */
export function globMatch(tokens: Token[], s: string): boolean {
  let ti = 0;
  let si = 0;
  let starTi = -1;
  let starSi = 0;
  while (si < s.length || ti < tokens.length) {
    if (ti < tokens.length) {
      const t = tokens[ti];
      if (t === STAR) {
        starTi = ti++;
        starSi = si;
        continue;
      }
      if (t === ONE && si < s.length) {
        ti++;
        si++;
        continue;
      }
      if (typeof t === 'string' && s.startsWith(t, si)) {
        ti++;
        si += t.length;
        continue;
      }
    }
    if (starTi < 0 || starSi >= s.length) return false;
    ti = starTi + 1;
    si = ++starSi;
  }
  return true;
}
