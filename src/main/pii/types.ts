// The recognizer contract: each recognizer has a name, the types it finds and one job — find
// candidate spans in a text and explain their score.
import type { Finding } from '../../shared/types';

export type { Finding };

export interface Candidate {
  type: string;
  start: number;
  end: number;
  /** Score from pattern and checksum alone, before context words. */
  score: number;
  reasons: string[];
  /** Set when the recognizer already required and counted context words. */
  contextApplied?: boolean;
}

export interface Recognizer {
  name: string;
  types: readonly string[];
  find(text: string): Candidate[];
}

export interface ScanOptions {
  /** Only these types; all when absent or empty. */
  types?: readonly string[];
  /** Findings scoring below this are dropped (default 0.3). */
  minScore?: number;
  /** PERSON and LOCATION through the bundled language model (default true). */
  names?: boolean;
}

export const DEFAULT_MIN_SCORE = 0.3;

export const PII_TYPES = [
  'KR_RRN',
  'KR_FRN',
  'KR_BRN',
  'KR_PASSPORT',
  'KR_DRIVER_LICENSE',
  'KR_BANK_ACCOUNT',
  'PHONE_NUMBER',
  'EMAIL_ADDRESS',
  'CREDIT_CARD',
  'IBAN_CODE',
  'IP_ADDRESS',
  'MAC_ADDRESS',
  'URL',
  'US_SSN',
  'CRYPTO',
  'PERSON',
  'LOCATION',
] as const;

export type PiiType = (typeof PII_TYPES)[number];

/** Run a global regex over text and hand every match to `emit`. */
export function eachMatch(text: string, pattern: RegExp, emit: (m: RegExpExecArray) => void): void {
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    emit(m);
    if (m[0].length === 0) pattern.lastIndex++;
  }
}

/**
 * Like eachMatch, for patterns without a leading lookbehind (a lookbehind runs at every offset
 * and is slow): a match whose preceding character fails `startOk` is skipped, and the search
 * resumes one character later, which finds what the lookbehind version would.
 */
export function eachMatchAt(
  text: string,
  pattern: RegExp,
  startOk: (previous: number) => boolean,
  emit: (m: RegExpExecArray) => void,
): void {
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    if (m.index > 0 && !startOk(text.charCodeAt(m.index - 1))) {
      pattern.lastIndex = m.index + 1;
      continue;
    }
    emit(m);
    if (m[0].length === 0) pattern.lastIndex++;
  }
}

/** ASCII letter, digit or underscore. */
export function isWordCode(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    code === 95
  );
}
