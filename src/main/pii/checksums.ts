// Check digits and checksums used by the recognizers. Pure functions over strings of digits.
import { createHash } from 'node:crypto';
import { keccak_256 } from '@noble/hashes/sha3.js';

/** Luhn (mod 10) over a string of digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** ISO 13616 mod-97 check over a compact IBAN (letters and digits, no separators). */
export function ibanMod97Valid(iban: string): boolean {
  const moved = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (const ch of moved) {
    const code = ch.charCodeAt(0);
    const value = code >= 65 ? String(code - 55) : ch;
    for (const digit of value) rest = (rest * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return rest === 1;
}

const rrnWeights = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];

function weightedSum(digits: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (digits.charCodeAt(i) - 48) * rrnWeights[i];
  return sum;
}

/** Check digit of a resident registration number issued before October 2020. */
export function rrnChecksumValid(digits: string): boolean {
  const check = (11 - (weightedSum(digits) % 11)) % 10;
  return check === digits.charCodeAt(12) - 48;
}

/** Check digit of a foreigner registration number issued before October 2020. */
export function frnChecksumValid(digits: string): boolean {
  const check = (13 - (weightedSum(digits) % 11)) % 10;
  return check === digits.charCodeAt(12) - 48;
}

/** Century for the 7th digit of an RRN/FRN, or undefined when the digit names none. */
export function centuryOf(genderDigit: number): number | undefined {
  if (genderDigit === 9 || genderDigit === 0) return 1800;
  if (genderDigit === 1 || genderDigit === 2 || genderDigit === 5 || genderDigit === 6) return 1900;
  if (genderDigit === 3 || genderDigit === 4 || genderDigit === 7 || genderDigit === 8) return 2000;
  return undefined;
}

/** True when YYMMDD in the given century is a real calendar date. */
export function validBirthDate(yymmdd: string, century: number): boolean {
  const year = century + Number(yymmdd.slice(0, 2));
  const month = Number(yymmdd.slice(2, 4));
  const day = Number(yymmdd.slice(4, 6));
  if (month < 1 || month > 12 || day < 1) return false;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= last;
}

/** Korean business registration number check digit (weights 1,3,7,1,3,7,1,3,5). */
export function brnChecksumValid(digits: string): boolean {
  const weights = [1, 3, 7, 1, 3, 7, 1, 3, 5];
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (digits.charCodeAt(i) - 48) * weights[i];
  sum += Math.floor(((digits.charCodeAt(8) - 48) * 5) / 10);
  return (10 - (sum % 10)) % 10 === digits.charCodeAt(9) - 48;
}

const base58Alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function base58Decode(text: string): Uint8Array | undefined {
  let value = 0n;
  for (const ch of text) {
    const index = base58Alphabet.indexOf(ch);
    if (index < 0) return undefined;
    value = value * 58n + BigInt(index);
  }
  const bytes: number[] = [];
  while (value > 0n) {
    bytes.unshift(Number(value % 256n));
    value /= 256n;
  }
  for (const ch of text) {
    if (ch !== '1') break;
    bytes.unshift(0);
  }
  return Uint8Array.from(bytes);
}

function sha256(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

/** Bitcoin legacy/P2SH address: base58 with a 4-byte double-SHA256 checksum over 21 bytes. */
export function base58CheckValid(text: string): boolean {
  const bytes = base58Decode(text);
  if (!bytes || bytes.length !== 25) return false;
  const payload = bytes.subarray(0, 21);
  const sum = sha256(sha256(payload));
  return sum.subarray(0, 4).equals(Buffer.from(bytes.subarray(21)));
}

const bech32Charset = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

function bech32Polymod(values: number[]): number {
  const gen = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= gen[i];
  }
  return chk >>> 0;
}

/** Segwit address (bech32 for version 0, bech32m for later versions). */
export function bech32AddressValid(text: string): boolean {
  if (text !== text.toLowerCase() && text !== text.toUpperCase()) return false;
  const lower = text.toLowerCase();
  const sep = lower.lastIndexOf('1');
  if (sep < 1 || lower.length - sep - 1 < 6) return false;
  const hrp = lower.slice(0, sep);
  const data: number[] = [];
  for (const ch of lower.slice(sep + 1)) {
    const v = bech32Charset.indexOf(ch);
    if (v < 0) return false;
    data.push(v);
  }
  const expanded = [...hrp].map((c) => c.charCodeAt(0) >> 5);
  expanded.push(0, ...[...hrp].map((c) => c.charCodeAt(0) & 31));
  const residue = bech32Polymod([...expanded, ...data]);
  const version = data[0];
  return version === 0 ? residue === 1 : residue === 0x2bc830a3;
}

/** Ethereum EIP-55: mixed-case addresses must carry the keccak-derived capitalisation. */
export function eip55Valid(address: string): boolean {
  const hex = address.slice(2);
  if (hex === hex.toLowerCase() || hex === hex.toUpperCase()) return true;
  const hash = Buffer.from(keccak_256(new TextEncoder().encode(hex.toLowerCase()))).toString('hex');
  for (let i = 0; i < 40; i++) {
    const ch = hex[i];
    if (!/[a-fA-F]/.test(ch)) continue;
    const upper = parseInt(hash[i], 16) >= 8;
    if (upper !== (ch === ch.toUpperCase())) return false;
  }
  return true;
}
