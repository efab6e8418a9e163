// Value modifiers of the Sigma specification: encodings that turn one value into variants, then
// the comparison a value is tested with. Encodings run in the order the rule writes them.
import { literalTokens, parseWildcards, STAR, tokensText, type Token } from './pattern';

export const TRANSFORMS = new Set([
  'base64',
  'base64offset',
  'utf16le',
  'utf16be',
  'utf16',
  'wide',
  'windash',
  'expand',
]);
export const POSITIONS = new Set(['contains', 'startswith', 'endswith']);
export const COMPARES = new Set(['re', 'cidr', 'exists', 'fieldref', 'gt', 'gte', 'lt', 'lte']);
export const FLAGS = new Set(['all', 'cased', 'i', 'm', 's']);

export const KNOWN_MODIFIERS = new Set([...TRANSFORMS, ...POSITIONS, ...COMPARES, ...FLAGS]);

/** A value on its way through the encodings: text, or bytes once an encoding produced them. */
type Stage = { text: string; bytes?: undefined } | { bytes: Buffer; text?: undefined };

function toBytes(s: Stage): Buffer {
  return s.bytes ?? Buffer.from(s.text, 'utf8');
}

function utf16be(text: string): Buffer {
  const le = Buffer.from(text, 'utf16le');
  for (let i = 0; i + 1 < le.length; i += 2) {
    const a = le[i];
    le[i] = le[i + 1];
    le[i + 1] = a;
  }
  return le;
}

/** The three base64 renderings of a value at byte offsets 0, 1, 2 inside a longer text. */
export function base64Offsets(value: Buffer): string[] {
  const out: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift, 0x20), value]).toString('base64');
    // Characters that depend on the unknown neighbouring bytes are cut at both ends.
    const start = [0, 2, 3][shift];
    const cut = [0, 3, 2][(value.length + shift) % 3];
    out.push(encoded.slice(start, encoded.length - cut));
  }
  return out;
}

const DASHES = ['-', '/', '\u2013', '\u2014', '\u2015'];

/** All variants of a command-line flag written with `-`, `/`, en dash, em dash or bar. */
export function windashVariants(value: string): string[] {
  const at: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const prev = value[i - 1];
    const dashLike = value[i] === '-' || value[i] === '/';
    if (dashLike && (i === 0 || !/\w/.test(prev)) && /\w/.test(value[i + 1] ?? '')) at.push(i);
  }
  if (at.length === 0) return [value];
  // Every combination up to 4 flags (625 variants); beyond that, one dash style per variant.
  if (at.length > 4) return DASHES.map((d) => at.reduce((s, i) => replaceAt(s, i, d), value));
  let variants = [value];
  for (const i of at) variants = variants.flatMap((v) => DASHES.map((d) => replaceAt(v, i, d)));
  return [...new Set(variants)];
}

function replaceAt(s: string, i: number, ch: string): string {
  return s.slice(0, i) + ch + s.slice(i + 1);
}

/**
 * Applies the encoding modifiers to one string value and returns the variants as token lists.
 * `placeholders` gives the values of `%name%` placeholders for `expand`.
 */
export function applyTransforms(
  value: string,
  mods: string[],
  placeholders: Record<string, string[]>,
): Token[][] {
  let stages: Stage[] = [{ text: value }];
  let encoded = false;
  for (const mod of mods) {
    stages = stages.flatMap((s) => transformOne(s, mod, placeholders));
    if (mod.startsWith('base64')) encoded = true;
  }
  return stages.map((s) => {
    const text = s.text ?? s.bytes.toString('latin1');
    return encoded || s.bytes ? literalTokens(text) : parseWildcards(text);
  });
}

function transformOne(s: Stage, mod: string, placeholders: Record<string, string[]>): Stage[] {
  switch (mod) {
    case 'base64':
      return [{ text: toBytes(s).toString('base64') }];
    case 'base64offset':
      return base64Offsets(toBytes(s)).map((text) => ({ text }));
    case 'utf16le':
    case 'wide':
      return [{ bytes: Buffer.from(s.text ?? s.bytes.toString('utf8'), 'utf16le') }];
    case 'utf16be':
      return [{ bytes: utf16be(s.text ?? s.bytes.toString('utf8')) }];
    case 'utf16':
      return [
        {
          bytes: Buffer.concat([
            Buffer.from([0xff, 0xfe]),
            Buffer.from(s.text ?? s.bytes.toString('utf8'), 'utf16le'),
          ]),
        },
      ];
    case 'windash':
      return windashVariants(s.text ?? s.bytes.toString('utf8')).map((text) => ({ text }));
    case 'expand':
      return expand(s.text ?? '', placeholders).map((text) => ({ text }));
    default:
      return [s];
  }
}

/**
 * Replaces `%name%` placeholders with each configured value. A placeholder without configured
 * values yields no variant, so the item matches nothing (documented in the mapping file).
 */
export function expand(text: string, placeholders: Record<string, string[]>): string[] {
  let variants = [text];
  const names = [...text.matchAll(/%([A-Za-z0-9_.-]+)%/g)].map((m) => m[1]);
  for (const name of new Set(names)) {
    const values = placeholders[name] ?? [];
    variants = variants.flatMap((v) => values.map((x) => v.split(`%${name}%`).join(x)));
  }
  return variants;
}

/** Wraps a token list for `contains`, `startswith` or `endswith`. */
export function position(tokens: Token[], pos: string | undefined): Token[] {
  if (pos === 'contains') return [STAR, ...tokens, STAR];
  if (pos === 'startswith') return [...tokens, STAR];
  if (pos === 'endswith') return [STAR, ...tokens];
  return tokens;
}

export { tokensText };
