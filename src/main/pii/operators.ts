// Operators: what redaction does to a finding — mask (keep the last N characters), remove,
// replace with the type's tag, hash (keyed HMAC pseudonym) or encrypt (AES-256-GCM token that
// `haechi decrypt` reverses). Every replacement is ASCII, so it survives any charset.
import type { Finding } from './types';
import { KeyError, type KeyRing } from './keys';

export const OPERATOR_NAMES = ['mask', 'remove', 'replace', 'hash', 'encrypt'] as const;
export type OperatorName = (typeof OPERATOR_NAMES)[number];

export interface OperatorSpec {
  name: OperatorName;
  /** mask: characters left visible at the end (default 4). */
  keep?: number;
}

/** Operator per type; `*` applies to every type not named. */
export type OperatorPlan = Record<string, OperatorSpec>;

/** Parse `TYPE=OP[:N],...` (e.g. `KR_RRN=mask:6,*=encrypt`). Throws naming the bad item. */
export function parseOperators(text: string, plan: OperatorPlan = {}): OperatorPlan {
  for (const item of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([A-Z_*]+)=([a-z]+)(?::(\d{1,3}))?$/.exec(item);
    if (!m || !(OPERATOR_NAMES as readonly string[]).includes(m[2])) {
      throw new Error(
        `bad operator "${item}": expected TYPE=OP with OP one of ${OPERATOR_NAMES.join(', ')} (mask:N keeps N)`,
      );
    }
    plan[m[1]] = {
      name: m[2] as OperatorName,
      keep: m[3] === undefined ? undefined : Number(m[3]),
    };
  }
  return plan;
}

export const TOKEN_PATTERN = /\[ENC:([A-Z_]+):([A-Za-z0-9_-]{60,})\]/g;

export class Redactor {
  readonly counts = new Map<string, number>();

  constructor(
    private readonly plan: OperatorPlan,
    private readonly keys?: KeyRing,
  ) {
    const needKey = Object.values(plan).some((s) => s.name === 'hash' || s.name === 'encrypt');
    if (needKey && !keys)
      throw new KeyError('operators hash and encrypt need a passphrase or a key file');
  }

  operatorFor(type: string): OperatorSpec {
    return this.plan[type] ?? this.plan['*'] ?? { name: this.keys ? 'encrypt' : 'replace' };
  }

  /** The replacement text for one value of one type. */
  apply(type: string, value: string): string {
    const op = this.operatorFor(type);
    this.counts.set(op.name, (this.counts.get(op.name) ?? 0) + 1);
    switch (op.name) {
      case 'remove':
        return '';
      case 'replace':
        return `[${type}]`;
      case 'mask':
        return mask(value, op.keep ?? 4);
      case 'hash':
        return `[${type}:${this.keys!.pseudonym(type, value)}]`;
      case 'encrypt':
        return `[ENC:${type}:${this.keys!.encrypt(type, value)}]`;
    }
  }

  /** How many values were given an operator that cannot be undone (all but encrypt). */
  get irreversible(): number {
    let n = 0;
    for (const [name, count] of this.counts) if (name !== 'encrypt') n += count;
    return n;
  }

  /** An encrypted copy of a whole part, for byte-exact restore; none without a key. */
  restoreToken(payload: string): string | undefined {
    return this.keys?.encrypt('RESTORE', payload);
  }

  /** True when every finding would be encrypted, so the originals can be restored exactly. */
  allEncrypted(findings: Finding[]): boolean {
    return !!this.keys && findings.every((f) => this.operatorFor(f.type).name === 'encrypt');
  }
}

/** Hide letters and digits except the last `keep`; punctuation and spaces stay. */
export function mask(value: string, keep: number): string {
  const chars = [...value];
  let visible = keep;
  for (let i = chars.length - 1; i >= 0; i--) {
    if (!/[\p{L}\p{N}]/u.test(chars[i])) continue;
    if (visible > 0) visible--;
    else chars[i] = '*';
  }
  return chars.join('');
}

/** Apply findings (sorted, disjoint) to a text. */
export function redactText(
  text: string,
  findings: Finding[],
  redactor: Redactor,
): { text: string; count: number } {
  const pieces: string[] = [];
  let at = 0;
  const sorted = [...findings].sort((a, b) => a.start - b.start);
  for (const f of sorted) {
    if (f.start < at) continue;
    pieces.push(text.slice(at, f.start), redactor.apply(f.type, text.slice(f.start, f.end)));
    at = f.end;
  }
  pieces.push(text.slice(at));
  return { text: pieces.join(''), count: sorted.length };
}

/** Replace every encryption token in text by its original. Counts what was restored. */
export function decryptText(text: string, keys: KeyRing): { text: string; restored: number } {
  let restored = 0;
  const out = text.replace(TOKEN_PATTERN, (_all, type: string, token: string) => {
    restored++;
    return keys.decrypt(type, token);
  });
  return { text: out, restored };
}
