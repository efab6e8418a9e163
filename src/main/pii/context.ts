// Context words: a word near a candidate that names its kind raises the score. Korean words are
// matched as substrings, so particles (주민등록번호는, 여권번호가) do not hide them; English words
// must stand alone.
import type { Candidate } from './types';

const BEFORE = 60;
const AFTER = 25;
const BOOST = 0.35;

const words: Record<string, string[]> = {
  KR_RRN: [
    '주민등록번호',
    '주민번호',
    '주민등록',
    '생년월일',
    'resident registration',
    'rrn',
    'jumin',
  ],
  KR_FRN: [
    '외국인등록번호',
    '외국인등록',
    '외국인번호',
    'foreigner registration',
    'alien registration',
    'frn',
  ],
  KR_BRN: ['사업자등록번호', '사업자번호', '사업자', '법인', 'business registration', 'brn'],
  KR_PASSPORT: ['여권번호', '여권', 'passport'],
  KR_DRIVER_LICENSE: ['운전면허', '면허번호', '면허증', 'driver', 'driving', 'licence', 'license'],
  KR_BANK_ACCOUNT: [
    '계좌번호',
    '계좌',
    '입금',
    '송금',
    '이체',
    '예금주',
    '은행',
    '뱅크',
    '농협',
    '신협',
    '새마을금고',
    '우체국',
    'account',
    'bank',
  ],
  PHONE_NUMBER: [
    '전화번호',
    '전화',
    '휴대폰',
    '핸드폰',
    '휴대전화',
    '연락처',
    '팩스',
    'phone',
    'tel',
    'mobile',
    'cell',
    'fax',
    'call',
  ],
  EMAIL_ADDRESS: ['이메일', '메일', '전자우편', 'email', 'e-mail', 'mail'],
  CREDIT_CARD: ['신용카드', '카드번호', '카드', 'credit', 'card', 'visa', 'mastercard', 'amex'],
  IBAN_CODE: ['iban', '계좌', 'account', 'bank'],
  IP_ADDRESS: [
    '아이피',
    '접속',
    'ip',
    'ipv4',
    'ipv6',
    'address',
    'host',
    'src',
    'dst',
    'client',
    'server',
  ],
  MAC_ADDRESS: ['맥주소', 'mac', 'ethernet', 'physical', 'hardware'],
  URL: ['주소', '링크', '사이트', 'url', 'link', 'website', 'site'],
  US_SSN: ['ssn', 'social security', 'social'],
  CRYPTO: ['지갑', '비트코인', '이더리움', 'wallet', 'bitcoin', 'btc', 'ethereum', 'eth', 'crypto'],
};

function isAsciiWordChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function hasWord(window: string, word: string): boolean {
  const ascii = /^[a-z -]+$/.test(word);
  let from = 0;
  for (let at = window.indexOf(word, from); at >= 0; at = window.indexOf(word, from)) {
    if (!ascii) return true;
    const before = at === 0 ? 0 : window.charCodeAt(at - 1);
    const after = window.charCodeAt(at + word.length) || 0;
    // English context words may carry a plural or possessive ending ("cards", "ssns").
    const endOk = !isAsciiWordChar(after) || after === 115;
    if (!isAsciiWordChar(before) && endOk) return true;
    from = at + 1;
  }
  return false;
}

/** The context words for a type found around [start, end) in text. Pass `lowered` when the
 * text is already lower-cased (same length), to save lower-casing each window. */
export function contextWordsNear(
  text: string,
  type: string,
  start: number,
  end: number,
  lowered = false,
): string[] {
  const list = words[type];
  if (!list) return [];
  const before = text.slice(Math.max(0, start - BEFORE), start);
  const after = text.slice(end, end + AFTER);
  return findWords(
    list,
    lowered ? before : before.toLowerCase(),
    lowered ? after : after.toLowerCase(),
  );
}

function findWords(list: string[], before: string, after: string): string[] {
  return list.filter((w) => hasWord(before, w) || hasWord(after, w));
}

/** Raise a candidate's score when context words name its type; record them as reasons. */
export function applyContext(text: string, c: Candidate, lowered = false): Candidate {
  const found = contextWordsNear(text, c.type, c.start, c.end, lowered);
  if (found.length === 0) return c;
  const score = Math.min(1, c.score + BOOST);
  return { ...c, score, reasons: [...c.reasons, `context: ${found.slice(0, 3).join(', ')}`] };
}
