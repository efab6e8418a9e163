import { describe, expect, it } from 'vitest';
import { KeyError, KeyRing } from '../../src/main/pii/keys';
import {
  decryptText,
  mask,
  parseOperators,
  redactText,
  Redactor,
} from '../../src/main/pii/operators';
import { analyze } from '../../src/main/pii/analyzer';

const text = '홍길동 800101-1234567, hong@example.co.kr, 010-1234-5678';
const findings = analyze(text);

describe('operators', () => {
  it('mask keeps the last N letters or digits and the punctuation', () => {
    expect(mask('800101-1234567', 4)).toBe('******-***4567');
    expect(mask('hong@example.co.kr', 2)).toBe('****@*******.**.kr');
  });

  it('replace, remove and mask apply per type, with * for the rest', () => {
    const redactor = new Redactor(parseOperators('KR_RRN=mask:7,EMAIL_ADDRESS=remove,*=replace'));
    expect(redactText(text, findings, redactor).text).toBe(
      '홍길동 ******-1234567, , [PHONE_NUMBER]',
    );
  });

  it('hash gives the same pseudonym for the same value and key, another for another key', () => {
    const a = KeyRing.fromPassphrase('first passphrase');
    const b = KeyRing.fromPassphrase('second passphrase');
    const plan = parseOperators('*=hash');
    const one = redactText(text, findings, new Redactor(plan, a)).text;
    const two = redactText(text, findings, new Redactor(plan, a)).text;
    const other = redactText(text, findings, new Redactor(plan, b)).text;
    expect(one).toBe(two);
    expect(one).not.toBe(other);
    expect(one).toMatch(
      /^홍길동 \[KR_RRN:[0-9a-f]{16}\], \[EMAIL_ADDRESS:[0-9a-f]{16}\], \[PHONE_NUMBER:[0-9a-f]{16}\]$/,
    );
  });

  it('encrypt then decrypt gives back the exact text; a wrong key is refused', () => {
    const keys = KeyRing.fromPassphrase('correct horse battery');
    const redacted = redactText(text, findings, new Redactor({}, keys)).text;
    expect(redacted).not.toContain('800101');
    expect(redacted.match(/\[ENC:[A-Z_]+:/g)).toEqual([
      '[ENC:KR_RRN:',
      '[ENC:EMAIL_ADDRESS:',
      '[ENC:PHONE_NUMBER:',
    ]);
    expect(decryptText(redacted, KeyRing.fromPassphrase('correct horse battery'))).toEqual({
      text,
      restored: 3,
    });
    expect(() => decryptText(redacted, KeyRing.fromPassphrase('wrong horse battery'))).toThrow(
      'cannot decrypt: wrong passphrase or key, or the token was altered',
    );
  });

  it('encrypts with a key file of 64 hex digits', () => {
    const keys = KeyRing.fromKeyFile(Buffer.from('ab'.repeat(32) + '\n'));
    const redacted = redactText(
      text,
      findings,
      new Redactor(parseOperators('*=encrypt'), keys),
    ).text;
    expect(decryptText(redacted, KeyRing.fromKeyFile(Buffer.from('ab'.repeat(32)))).text).toBe(
      text,
    );
    expect(() => KeyRing.fromKeyFile(Buffer.from('short'))).toThrow(
      'key file must hold 32 bytes (raw, 64 hex digits or base64)',
    );
  });

  it('names the bad item of an operator list, and needs a key for hash and encrypt', () => {
    expect(() => parseOperators('KR_RRN=shred')).toThrow(
      'bad operator "KR_RRN=shred": expected TYPE=OP with OP one of mask, remove, replace, hash, encrypt (mask:N keeps N)',
    );
    expect(() => new Redactor(parseOperators('*=encrypt'))).toThrow(KeyError);
  });
});
