// Payment and national numbers found everywhere: credit cards (Luhn), IBANs (mod 97 and the
// country's BBAN structure) and US social security numbers.
import { ibanMod97Valid, luhnValid } from '../checksums';
import { contextWordsNear } from '../context';
import { eachMatch, type Candidate, type Recognizer } from '../types';
import { bbanLength, bbanPattern } from './iban-formats';

const cardPattern = /(?<![0-9A-Za-z_.-])\d(?:[ -]?\d){11,18}(?![0-9A-Za-z_]|[.-]\d)/g;

function creditCards(text: string): Candidate[] {
  const out: Candidate[] = [];
  eachMatch(text, cardPattern, (m) => {
    const seps = new Set(m[0].replace(/\d/g, ''));
    if (seps.size > 1) return;
    const digits = m[0].replace(/\D/g, '');
    if (/^(\d)\1+$/.test(digits) || !luhnValid(digits)) return;
    const reasons = ['pattern: 12-19 digits', 'checksum: Luhn valid'];
    out.push({
      type: 'CREDIT_CARD',
      start: m.index,
      end: m.index + m[0].length,
      score: 0.9,
      reasons,
    });
  });
  return out;
}

const ibanStart = /(?<![0-9A-Za-z_])[A-Z]{2}\d{2}(?=[ -]?[A-Z0-9])/g;

/** Walk alphanumerics from `from`, skipping single separators, until `wanted` were read. */
function takeIban(
  text: string,
  from: number,
  wanted: number,
): { value: string; end: number } | undefined {
  let value = '';
  let i = from;
  while (value.length < wanted && i < text.length) {
    const ch = text[i];
    if (/[A-Za-z0-9]/.test(ch)) value += ch;
    else if ((ch === ' ' || ch === '-') && /[A-Za-z0-9]/.test(text[i + 1] ?? '')) {
      if (value.length % 4 !== 0) return undefined;
    } else break;
    i++;
  }
  if (value.length !== wanted || /[A-Za-z0-9]/.test(text[i] ?? '')) return undefined;
  return { value, end: i };
}

function ibans(text: string): Candidate[] {
  const out: Candidate[] = [];
  eachMatch(text, ibanStart, (m) => {
    const country = m[0].slice(0, 2);
    const length = bbanLength(country);
    if (!length) return;
    const taken = takeIban(text, m.index, length + 4);
    if (!taken || !bbanPattern(country)!.test(taken.value.slice(4))) return;
    if (!ibanMod97Valid(taken.value)) return;
    const reasons = [`pattern: ${country} IBAN structure`, 'checksum: mod 97 valid'];
    out.push({ type: 'IBAN_CODE', start: m.index, end: taken.end, score: 1, reasons });
  });
  return out;
}

const ssnPattern =
  /(?<![0-9A-Za-z_.-])(\d{3})([- .]?)(\d{2})([- .]?)(\d{4})(?![0-9A-Za-z_]|[.-]\d)/g;

/** Types whose context words name another identifier that a bare 9-digit number often is. */
const OTHER_ID_TYPES = ['KR_PASSPORT', 'KR_DRIVER_LICENSE', 'KR_BANK_ACCOUNT'];

/**
 * A number without the AAA-GG-SSSS shape is an SSN only by its context: kept when SSN words are
 * near, or when no word names another identifier (passport, licence, account) — a lone 9-digit
 * number stays a weak SSN candidate, as Presidio scores it.
 */
function weakSsnKept(text: string, start: number, end: number): boolean {
  if (contextWordsNear(text, 'US_SSN', start, end).length > 0) return true;
  return OTHER_ID_TYPES.every((t) => contextWordsNear(text, t, start, end).length === 0);
}

function ssns(text: string): Candidate[] {
  const out: Candidate[] = [];
  eachMatch(text, ssnPattern, (m) => {
    const [, area, s1, group, s2, serial] = m;
    if (s1 && s2 && s1 !== s2) return;
    if (area === '000' || area === '666' || area[0] === '9' || group === '00' || serial === '0000')
      return;
    const full = s1 !== '' && s1 === s2;
    if (!full && !weakSsnKept(text, m.index, m.index + m[0].length)) return;
    const reasons = [full ? 'pattern: AAA-GG-SSSS' : 'pattern: 9 digits, partly delimited'];
    out.push({
      type: 'US_SSN',
      start: m.index,
      end: m.index + m[0].length,
      score: full ? 0.5 : 0.3,
      reasons,
    });
  });
  return out;
}

export const financeRecognizers: Recognizer[] = [
  { name: 'credit-card', types: ['CREDIT_CARD'], find: creditCards },
  { name: 'iban', types: ['IBAN_CODE'], find: ibans },
  { name: 'us-ssn', types: ['US_SSN'], find: ssns },
];
