import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/main/pii/analyzer';

/** The values found for one type in a text. */
function found(text: string, type: string, minScore?: number): string[] {
  return analyze(text, { types: [type], minScore }).map((f) => text.slice(f.start, f.end));
}

describe('Korean resident registration numbers (KR_RRN)', () => {
  it('scores a pre-2020 number with a valid check digit 1.0 and says why', () => {
    const [f] = analyze('960121-1021413', { types: ['KR_RRN'] });
    expect(f).toMatchObject({ type: 'KR_RRN', start: 0, end: 14, score: 1 });
    expect(f.reasons).toEqual([
      'pattern: YYMMDD-NNNNNNN with a valid birth date',
      'checksum: pre-2020 check digit valid',
    ]);
  });

  it('keeps a number without a valid check digit (issued after Oct 2020) at a lower score that context raises', () => {
    expect(analyze('800101-1234567', { types: ['KR_RRN'] })[0].score).toBe(0.5);
    const withContext = analyze('주민등록번호: 800101-1234567', { types: ['KR_RRN'] })[0];
    expect(withContext.score).toBe(0.85);
    expect(withContext.reasons).toContain('context: 주민등록번호, 주민등록');
  });

  it('is not hidden by a Korean particle written straight after the number', () => {
    const text = '제 주민번호는 800101-1234567이고 동생은 9601211021413입니다';
    expect(found(text, 'KR_RRN')).toEqual(['800101-1234567', '9601211021413']);
  });

  it('rejects impossible birth dates, foreigner digits, wrong separators and longer numbers', () => {
    for (const bad of [
      '001332-1234567',
      '760413-5212134',
      '960121+1021413',
      '960111-10214131',
      '960303-0021413',
    ]) {
      expect(found(bad, 'KR_RRN')).toEqual([]);
    }
  });
});

describe('other Korean identifiers', () => {
  it('finds foreigner registration numbers (KR_FRN) with and without the check digit', () => {
    expect(analyze('911124-5678906', { types: ['KR_FRN'] })[0].score).toBe(1);
    expect(analyze('외국인등록번호 911124-5678901', { types: ['KR_FRN'] })[0].score).toBe(0.85);
    expect(found('760413-1212134', 'KR_FRN')).toEqual([]);
  });

  it('checks the business registration number (KR_BRN) check digit', () => {
    expect(found('사업자등록번호 104-86-56659입니다', 'KR_BRN')).toEqual(['104-86-56659']);
    expect(found('104-86-56658', 'KR_BRN')).toEqual([]);
    expect(found('110-81-4127', 'KR_BRN')).toEqual([]);
  });

  it('finds both passport formats (KR_PASSPORT) and raises them with 여권', () => {
    expect(found('여권번호는 M789C1234입니다', 'KR_PASSPORT')).toEqual(['M789C1234']);
    expect(analyze('대한민국 여권 S87654321', { types: ['KR_PASSPORT'] })[0].score).toBe(0.65);
    expect(found('A123B4567 M12A4567 M123456789', 'KR_PASSPORT')).toEqual([]);
  });

  it('finds driver licences (KR_DRIVER_LICENSE) by region code or region name', () => {
    expect(found('운전면허 11-22-123456-12, 서울 02-123456-78', 'KR_DRIVER_LICENSE')).toEqual([
      '11-22-123456-12',
      '서울 02-123456-78',
    ]);
    expect(found('99-22-123456-12', 'KR_DRIVER_LICENSE')).toEqual([]);
  });

  it('reports bank accounts (KR_BANK_ACCOUNT) only with a context word', () => {
    expect(found('국민은행 계좌 123-456789-01-234로 입금해 주세요', 'KR_BANK_ACCOUNT')).toEqual([
      '123-456789-01-234',
    ]);
    expect(found('주문번호 123-456789-01-234', 'KR_BANK_ACCOUNT')).toEqual([]);
  });

  it('finds Korean mobile and landline numbers (PHONE_NUMBER)', () => {
    expect(found('휴대폰 010-1234-5678로, 사무실은 02-123-4567이에요', 'PHONE_NUMBER')).toEqual([
      '010-1234-5678',
      '02-123-4567',
    ]);
    expect(analyze('연락처: +82 10-1234-5678', { types: ['PHONE_NUMBER'] })[0].reasons).toEqual([
      'pattern: phone number valid for KR (libphonenumber)',
      'context: 연락처',
    ]);
  });
});

describe('identifiers found everywhere', () => {
  it('checks credit cards with Luhn', () => {
    expect(found('card 4012-8888-8888-1881 and 4012-8888-8888-1882', 'CREDIT_CARD')).toEqual([
      '4012-8888-8888-1881',
    ]);
  });

  it('checks IBANs with mod 97 and the country structure', () => {
    expect(found('pay to DE89 3704 0044 0532 0130 00 today', 'IBAN_CODE')).toEqual([
      'DE89 3704 0044 0532 0130 00',
    ]);
    expect(found('DE89 3704 0044 0532 0130 01', 'IBAN_CODE')).toEqual([]);
    expect(found('GI75 aWBK 0000 0000 7099 453', 'IBAN_CODE')).toEqual([]);
  });

  it('finds e-mail addresses with a known top-level domain only', () => {
    expect(found('mail hong@example.co.kr or info@presidio.', 'EMAIL_ADDRESS')).toEqual([
      'hong@example.co.kr',
    ]);
  });

  it('finds IPv4 and IPv6 (with zone, prefix and embedded IPv4) but not look-alikes', () => {
    const text = 'from 192.168.0.1, fe80::1%eth0, ::ffff:10.0.0.1 and 2001:db8::/32';
    expect(found(text, 'IP_ADDRESS')).toEqual([
      '192.168.0.1',
      'fe80::1%eth0',
      '::ffff:10.0.0.1',
      '2001:db8::/32',
    ]);
    expect(
      found('300.1.1.1 MyClass::toString aa:bb:cc:dd:ee:ff 2001::db8::1', 'IP_ADDRESS'),
    ).toEqual([]);
  });

  it('finds MAC addresses in colon, dash and dotted forms', () => {
    expect(
      found('00:1A:2B:3C:4D:5E 01-b3-4a-67-d9-cf 0012.3456.789a 00:00:00:00:00:00', 'MAC_ADDRESS'),
    ).toEqual(['00:1A:2B:3C:4D:5E', '01-b3-4a-67-d9-cf', '0012.3456.789a']);
  });

  it('finds URLs with a scheme and bare domains with a known top-level domain', () => {
    expect(
      found('see https://www.example.com/a?b=1. or example.org, not www.microsoft', 'URL'),
    ).toEqual(['https://www.example.com/a?b=1', 'example.org']);
  });

  it('finds US social security numbers but not impossible ones', () => {
    expect(found('ssn 078-05-1123, 000-12-3456, 693-09.4444', 'US_SSN')).toEqual(['078-05-1123']);
  });

  it('does not call a bare 9-digit number after a passport, licence or account word an SSN', () => {
    const all = (text: string) =>
      analyze(text).map((f) => [f.type, text.slice(f.start, f.end), f.score]);
    expect(all('passport: 191280342')).toEqual([]);
    expect(all('여권번호 191280342, driver license 191-280342, account 19128-0342')).toEqual([]);
    // The AAA-GG-SSSS shape or an SSN word still makes it one; a lone number stays weak.
    expect(all('passport: 078-05-1123')).toEqual([['US_SSN', '078-05-1123', 0.5]]);
    expect(all('passport and ssn 191280342')).toEqual([['US_SSN', '191280342', 0.65]]);
    expect(all('191280342')).toEqual([['US_SSN', '191280342', 0.3]]);
  });

  it('checks crypto wallets: base58check, bech32 and EIP-55', () => {
    const text =
      '16Yeky6GMjeNkAiNcBY7ZhrLoMSgg1BoyZ bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
    expect(found(text, 'CRYPTO')).toEqual(text.split(' '));
    expect(
      found(
        '16Yeky6GMjeNkAiNcBY7ZhrLoMSgg1BoyA 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD',
        'CRYPTO',
      ),
    ).toEqual([]);
  });

  it('finds English person and place names with the bundled model when asked', () => {
    const text = 'Hi my name is Charles Darwin and I live in Maine.';
    expect(found(text, 'PERSON')).toEqual(['Charles Darwin']);
    expect(found(text, 'LOCATION')).toEqual(['Maine']);
    expect(analyze(text).some((f) => f.type === 'PERSON')).toBe(false);
  });
});

describe('the analyzer', () => {
  it('keeps the strongest of overlapping findings', () => {
    const findings = analyze('주민등록번호 960121-1021413');
    expect(findings.map((f) => f.type)).toEqual(['KR_RRN']);
  });

  it('rejects unknown type names with the list of known ones', async () => {
    const { checkTypes } = await import('../../src/main/pii/analyzer');
    expect(() => checkTypes(['KR_RRN', 'NOPE'])).toThrow(
      /^unknown PII type NOPE; known types: KR_RRN, KR_FRN/,
    );
  });
});
