// Korean identifiers: resident and foreigner registration numbers, business registration numbers,
// passports, driver's licences and bank accounts. Boundaries are ASCII-only, so a particle written
// straight after a number (…-1234567이고) still ends the match.
import {
  brnChecksumValid,
  centuryOf,
  frnChecksumValid,
  rrnChecksumValid,
  validBirthDate,
} from '../checksums';
import { contextWordsNear } from '../context';
import { eachMatch, type Candidate, type Recognizer } from '../types';

const NB = '(?<![0-9A-Za-z_\\-+.])';
const NA = '(?![0-9A-Za-z_]|[-+.][0-9])';

// YYMMDD, one separator (or none), then the gender digit and six more.
const registrationPattern = new RegExp(`${NB}(\\d{6})(-?)(\\d{7})${NA}`, 'g');

function registration(text: string, type: 'KR_RRN' | 'KR_FRN'): Candidate[] {
  const out: Candidate[] = [];
  eachMatch(text, registrationPattern, (m) => {
    const gender = Number(m[3][0]);
    const foreign = gender >= 5 && gender <= 8;
    if ((type === 'KR_FRN') !== foreign) return;
    const century = centuryOf(gender);
    if (century === undefined || (type === 'KR_RRN' && century === 1800)) return;
    if (!validBirthDate(m[1], century)) return;
    const digits = m[1] + m[3];
    const valid = type === 'KR_RRN' ? rrnChecksumValid(digits) : frnChecksumValid(digits);
    const reasons = ['pattern: YYMMDD-NNNNNNN with a valid birth date'];
    // Numbers issued since October 2020 carry no check digit: a failed check only lowers the score.
    if (valid) reasons.push('checksum: pre-2020 check digit valid');
    else reasons.push('checksum: none (issued after Oct 2020 or not a registration number)');
    const score = valid ? 1 : m[2] ? 0.5 : 0.4;
    out.push({ type, start: m.index, end: m.index + m[0].length, score, reasons });
  });
  return out;
}

const brnPattern = new RegExp(`${NB}(\\d{3})(-?)(\\d{2})\\2(\\d{5})${NA}`, 'g');

function businessRegistration(text: string): Candidate[] {
  const out: Candidate[] = [];
  eachMatch(text, brnPattern, (m) => {
    const digits = m[1] + m[3] + m[4];
    if (!brnChecksumValid(digits) || /^(\d)\1+$/.test(digits)) return;
    const reasons = ['pattern: NNN-NN-NNNNN', 'checksum: BRN check digit valid'];
    out.push({
      type: 'KR_BRN',
      start: m.index,
      end: m.index + m[0].length,
      score: m[2] ? 0.9 : 0.6,
      reasons,
    });
  });
  return out;
}

// New (2021) passports: M123A4567; older: M12345678. Type letters M, S, R, O, D.
const passportNew = new RegExp(`${NB}[MSROD]\\d{3}[A-Z]\\d{4}${NA}`, 'gi');
const passportOld = new RegExp(`${NB}[MSROD]\\d{8}${NA}`, 'gi');

function passport(text: string): Candidate[] {
  const out: Candidate[] = [];
  eachMatch(text, passportNew, (m) => {
    const reasons = ['pattern: Korean passport (2021 format)'];
    out.push({
      type: 'KR_PASSPORT',
      start: m.index,
      end: m.index + m[0].length,
      score: 0.4,
      reasons,
    });
  });
  eachMatch(text, passportOld, (m) => {
    const reasons = ['pattern: Korean passport (pre-2021 format)'];
    out.push({
      type: 'KR_PASSPORT',
      start: m.index,
      end: m.index + m[0].length,
      score: 0.3,
      reasons,
    });
  });
  return out;
}

const regions = '서울|부산|경기|강원|충북|충남|전북|전남|경북|경남|제주|대구|인천|광주|대전|울산';
const licencePattern = new RegExp(
  `${NB}(?:(1[1-9]|2[0-8])|(${regions})\\s?)([- ]?)(\\d{2})([- ]?)(\\d{6})\\5(\\d{2})${NA}`,
  'g',
);

function driverLicence(text: string): Candidate[] {
  const out: Candidate[] = [];
  eachMatch(text, licencePattern, (m) => {
    const separated = m[5] !== '' && (m[1] === undefined || m[3] === m[5]);
    const reasons = [
      m[2]
        ? 'pattern: region name + licence number'
        : 'pattern: region code 11-28 + licence number',
    ];
    const score = separated || m[2] ? 0.6 : 0.3;
    out.push({
      type: 'KR_DRIVER_LICENSE',
      start: m.index,
      end: m.index + m[0].length,
      score,
      reasons,
    });
  });
  return out;
}

// Bank accounts have no fixed format (10-14 digits in 2-4 groups): only with a context word.
const accountPattern = new RegExp(`${NB}\\d{2,6}(?:-\\d{2,7}){1,3}${NA}|${NB}\\d{10,14}${NA}`, 'g');

function bankAccount(text: string): Candidate[] {
  const out: Candidate[] = [];
  eachMatch(text, accountPattern, (m) => {
    const digits = m[0].replace(/-/g, '').length;
    if (digits < 10 || digits > 14) return;
    const end = m.index + m[0].length;
    const context = contextWordsNear(text, 'KR_BANK_ACCOUNT', m.index, end);
    if (context.length === 0) return;
    const reasons = [
      'pattern: 10-14 digit account number',
      `context: ${context.slice(0, 3).join(', ')}`,
    ];
    out.push({
      type: 'KR_BANK_ACCOUNT',
      start: m.index,
      end,
      score: 0.6,
      reasons,
      contextApplied: true,
    });
  });
  return out;
}

export const koreanRecognizers: Recognizer[] = [
  { name: 'kr-rrn', types: ['KR_RRN'], find: (t) => registration(t, 'KR_RRN') },
  { name: 'kr-frn', types: ['KR_FRN'], find: (t) => registration(t, 'KR_FRN') },
  { name: 'kr-brn', types: ['KR_BRN'], find: businessRegistration },
  { name: 'kr-passport', types: ['KR_PASSPORT'], find: passport },
  { name: 'kr-driver-licence', types: ['KR_DRIVER_LICENSE'], find: driverLicence },
  { name: 'kr-bank-account', types: ['KR_BANK_ACCOUNT'], find: bankAccount },
];
