// Phone numbers of any country, validated by libphonenumber-js (full metadata). Candidates are
// cut with a cheap pattern first; each is then parsed as international (+CC) or against the
// regions below, Korea first.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { contextWordsNear } from '../context';
import { eachMatchAt, isWordCode, type Candidate, type Recognizer } from '../types';

const regions: CountryCode[] = ['KR', 'US', 'GB', 'DE', 'IL', 'IN', 'JP', 'BR', 'FR'];

const candidatePattern = /(?:\+|\(\+?)?\d[\d ().-]{5,21}\d(?![\w]|[.-]\d|\/)/g;
const datePattern = /^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})$/;

// Cheap gates on digit count and trunk prefix, so a candidate is parsed only for regions whose
// national numbers could have its shape (parsing is the expensive step).
const gates: Record<string, (digits: string, trunk: boolean) => boolean> = {
  KR: (d, t) => (t ? d.length >= 9 && d.length <= 11 : d.length === 8 && /^1[5-9]/.test(d)),
  US: (d, t) => !t && (d.length === 10 || (d.length === 11 && d[0] === '1')),
  GB: (d, t) => t && d.length >= 10 && d.length <= 11,
  DE: (d, t) => t && d.length >= 6 && d.length <= 12,
  IL: (d, t) => t && d.length >= 9 && d.length <= 10,
  IN: (d, t) =>
    t
      ? d.length === 11
      : (d.length === 10 && /^[6-9]/.test(d)) || (d.length === 12 && d.startsWith('91')),
  JP: (d, t) => t && d.length >= 10 && d.length <= 11,
  BR: (d, t) => (t ? d.length >= 11 && d.length <= 12 : d.length >= 10 && d.length <= 11),
  FR: (d, t) => t && d.length === 10,
};

function validRegion(raw: string, digits: string): string | undefined {
  if (raw.startsWith('+') || raw.startsWith('(+')) {
    const parsed = parsePhoneNumberFromString(raw.replace(/^\(\+/, '+'));
    return parsed?.isValid() ? (parsed.country ?? 'international') : undefined;
  }
  const trunk = digits[0] === '0';
  for (const region of regions) {
    if (!gates[region](digits, trunk)) continue;
    const parsed = parsePhoneNumberFromString(raw, region);
    if (parsed?.isValid()) return region;
  }
  return undefined;
}

function trimCandidate(raw: string): string {
  let value = raw;
  // A closing bracket is only part of the number when it closes an area code.
  while (
    value.endsWith(')') &&
    (value.match(/\(/g) ?? []).length < (value.match(/\)/g) ?? []).length
  ) {
    value = value.slice(0, -1);
  }
  return value.trimEnd();
}

function phones(text: string): Candidate[] {
  const out: Candidate[] = [];
  const startOk = (c: number) => !isWordCode(c) && c !== 43 && c !== 46 && c !== 45 && c !== 47;
  eachMatchAt(text, candidatePattern, startOk, (m) => {
    const value = trimCandidate(m[0]);
    const digits = value.replace(/\D/g, '');
    if (digits.length < 7 || digits.length > 15 || datePattern.test(value)) return;
    if (/\s{2,}|\n/.test(value) || /^\d+\.\d+\.\d+\.\d+$/.test(value)) return;
    // A bare run of digits is a phone number only with a phone word nearby.
    const end = m.index + value.length;
    if (/^\d+$/.test(value) && contextWordsNear(text, 'PHONE_NUMBER', m.index, end).length === 0)
      return;
    const region = validRegion(value, digits);
    if (!region) return;
    const reasons = [`pattern: phone number valid for ${region} (libphonenumber)`];
    out.push({
      type: 'PHONE_NUMBER',
      start: m.index,
      end: m.index + value.length,
      score: 0.5,
      reasons,
    });
  });
  return out;
}

export const phoneRecognizers: Recognizer[] = [
  { name: 'phone', types: ['PHONE_NUMBER'], find: phones },
];
