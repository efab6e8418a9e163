import { readFileSync } from 'node:fs';
import path from 'node:path';
import Encoding from 'encoding-japanese';
import iconv from 'iconv-lite';
import JSZip from 'jszip';
import mammoth from 'mammoth';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { decryptDocument, redactDocument, scanDocument } from '../../src/main/pii/documents';
import { KeyRing } from '../../src/main/pii/keys';
import { parseOperators, Redactor } from '../../src/main/pii/operators';
import { DOCUMENTS, EMAILS, hasDocuments, hasEmails } from './helpers';

const keys = KeyRing.fromPassphrase('correct horse battery');
const encryptAll = () => ({ redactor: new Redactor({}, keys), scan: {} });
const replaceAll = () => ({ redactor: new Redactor(parseOperators('*=replace')), scan: {} });
const korean = '담당자 홍길동, 주민등록번호 800101-1234567이고 휴대폰 010-1234-5678입니다.';

async function roundTrip(name: string, bytes: Buffer): Promise<{ red: Buffer; back: Buffer }> {
  const red = await redactDocument(name, bytes, encryptAll());
  const back = await decryptDocument(name, red.bytes, keys);
  return { red: red.bytes, back: back.bytes };
}

describe('plain text, CSV, JSON and HTML', () => {
  it('reports offsets in the file text and keeps the charset (CP949) on redaction', async () => {
    const bytes = iconv.encode(korean, 'cp949');
    const result = await scanDocument('memo.txt', bytes);
    const rrn = korean.indexOf('800101');
    const phone = korean.indexOf('010-');
    expect(result.parts[0].findings.map((f) => [f.type, f.start, f.end])).toEqual([
      ['KR_RRN', rrn, rrn + 14],
      ['PHONE_NUMBER', phone, phone + 13],
    ]);
    const red = await redactDocument('memo.txt', bytes, replaceAll());
    expect(iconv.decode(red.bytes, 'cp949')).toBe(
      '담당자 홍길동, 주민등록번호 [KR_RRN]이고 휴대폰 [PHONE_NUMBER]입니다.',
    );
    const { back } = await roundTrip('memo.txt', bytes);
    expect(back.equals(bytes)).toBe(true);
  });

  it('redacts CSV and JSON cells in place and stays parseable', async () => {
    const csv = Buffer.from('name,email,card\nKim,kim@example.com,4111 1111 1111 1111\n');
    expect((await redactDocument('a.csv', csv, replaceAll())).bytes.toString()).toBe(
      'name,email,card\nKim,[EMAIL_ADDRESS],[CREDIT_CARD]\n',
    );
    const json = Buffer.from(JSON.stringify({ user: { mail: 'kim@example.com', ip: '10.1.2.3' } }));
    const red = await redactDocument('a.json', json, replaceAll());
    expect(JSON.parse(red.bytes.toString())).toEqual({
      user: { mail: '[EMAIL_ADDRESS]', ip: '[IP_ADDRESS]' },
    });
  });

  it('scans HTML text and attribute values but not the markup', async () => {
    const html = Buffer.from(
      '<html><body style="color:#ff00aa"><a href="mailto:kim@example.com">Kim</a> 010-1234-5678</body></html>',
    );
    const result = await scanDocument('page.html', html);
    expect(result.kind).toBe('html');
    expect(result.parts[0].findings.map((f) => html.toString().slice(f.start, f.end))).toEqual([
      'kim@example.com',
      '010-1234-5678',
    ]);
    const { back } = await roundTrip('page.html', html);
    expect(back.equals(html)).toBe(true);
  });
});

/** A minimal WordprocessingML package, with a value split over two runs. */
async function buildDocx(): Promise<Buffer> {
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  );
  zip.file(
    '_rels/.rels',
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
  );
  zip.file(
    'word/document.xml',
    '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t xml:space="preserve">주민등록번호 800101-</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>1234567</w:t></w:r><w:r><w:t xml:space="preserve"> &amp; mail kim@example.com</w:t></w:r></w:p><w:p><w:r><w:t>Call 010-1234-5678</w:t></w:r></w:p></w:body></w:document>',
  );
  return zip.generateAsync({ type: 'nodebuffer' });
}

describe('.docx', () => {
  it('finds values across runs, names the part, and the redacted file still opens', async () => {
    const docx = await buildDocx();
    const result = await scanDocument('letter.docx', docx);
    expect(result.parts.map((p) => p.part)).toEqual(['word/document.xml']);
    expect(result.parts[0].text).toBe(
      '주민등록번호 800101-1234567 & mail kim@example.com\nCall 010-1234-5678\n',
    );
    expect(result.parts[0].findings.map((f) => f.type)).toEqual([
      'KR_RRN',
      'EMAIL_ADDRESS',
      'PHONE_NUMBER',
    ]);
    const red = await redactDocument('letter.docx', docx, replaceAll());
    const opened = await mammoth.extractRawText({ buffer: red.bytes });
    expect(opened.value).toBe(
      '주민등록번호 [KR_RRN] & mail [EMAIL_ADDRESS]\n\nCall [PHONE_NUMBER]\n\n',
    );
  });

  it('encrypt then decrypt restores the text of every part exactly', async () => {
    const docx = await buildDocx();
    const { red, back } = await roundTrip('letter.docx', docx);
    expect((await mammoth.extractRawText({ buffer: red })).value).not.toContain('800101');
    const original = await (await JSZip.loadAsync(docx)).file('word/document.xml')!.async('string');
    const restored = await (await JSZip.loadAsync(back)).file('word/document.xml')!.async('string');
    // The split value comes back whole in its first run (the bold run is left empty).
    expect(restored).toBe(
      original
        .replace('800101-</w:t>', '800101-1234567</w:t>')
        .replace('<w:t>1234567</w:t>', '<w:t></w:t>'),
    );
    expect((await mammoth.extractRawText({ buffer: back })).value).toBe(
      (await mammoth.extractRawText({ buffer: docx })).value,
    );
  });

  it('is read, redacted and restored when attached to an e-mail', async () => {
    const docx = await buildDocx();
    const b64 = docx.toString('base64').replace(/.{76}/g, '$&\r\n');
    const raw = Buffer.from(
      'From: kim@example.com\r\nSubject: letter\r\nMIME-Version: 1.0\r\n' +
        'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n' +
        '--b1\r\nContent-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document; name="l.docx"\r\n' +
        `Content-Disposition: attachment; filename="l.docx"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64}\r\n--b1--\r\n`,
    );
    const result = await scanDocument('m.eml', raw);
    const part = result.parts.find((p) => p.part === '2:word/document.xml')!;
    expect(part.findings.map((f) => f.type)).toEqual(['KR_RRN', 'EMAIL_ADDRESS', 'PHONE_NUMBER']);
    const red = await redactDocument('m.eml', raw, replaceAll());
    const attachment = (await simpleParser(red.bytes)).attachments[0];
    expect(attachment.filename).toBe('l.docx');
    expect((await mammoth.extractRawText({ buffer: attachment.content })).value).toBe(
      '주민등록번호 [KR_RRN] & mail [EMAIL_ADDRESS]\n\nCall [PHONE_NUMBER]\n\n',
    );
    const { back } = await roundTrip('m.eml', raw);
    expect(back.equals(raw)).toBe(true);
  });

  it('names the file and the reason when a .docx is not a zip', async () => {
    await expect(scanDocument('broken.docx', Buffer.from('not a zip'))).rejects.toThrow(
      /^broken\.docx: not a readable \.docx \(zip\): /,
    );
  });
});

describe.skipIf(!hasDocuments)('PDF (skipped: ../shared/data/sample_documents absent)', () => {
  it('reports findings with page numbers and writes a redacted text export', async () => {
    const pdf = readFileSync(path.join(DOCUMENTS, 'sample.pdf'));
    const result = await scanDocument('sample.pdf', pdf, { names: true });
    const page = result.parts[0];
    expect(page.part).toBe('page 1');
    expect(page.findings.map((f) => `${f.type}=${page.text.slice(f.start, f.end)}`)).toEqual([
      'PERSON=Charles Darwin',
      'EMAIL_ADDRESS=cdarwin@hmsbeagle.org',
      'PHONE_NUMBER=01234 567890',
    ]);
    const red = await redactDocument('sample.pdf', pdf, replaceAll());
    expect(red.extension).toBe('.txt');
    expect(red.bytes.toString()).toBe(
      '=== page 1 ===\nThis is a test PDF, created by Microsoft Word.\nHi my name is Charles Darwin and my email is [EMAIL_ADDRESS]\nYou can contact me on [PHONE_NUMBER].\n',
    );
    expect(red.warnings).toEqual([
      'PDF: a redacted text export was written; the PDF itself is not redacted',
    ]);
  });
});

/** A one-part message whose body is in the given charset. */
function message(charset: string, body: Buffer, encoding = '8bit'): Buffer {
  const head = `From: kim@example.com\r\nTo: lee@example.org\r\nSubject: test\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=${charset}\r\nContent-Transfer-Encoding: ${encoding}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head), body, Buffer.from('\r\n')]);
}

describe('e-mail bodies in every charset', () => {
  const cases: Array<[string, Buffer, string]> = [
    ['ks_c_5601-1987', iconv.encode(korean, 'cp949'), '8bit'],
    ['EUC-KR', Buffer.from(iconv.encode(korean, 'cp949').toString('base64')), 'base64'],
    [
      'ISO-2022-JP',
      Buffer.from(
        Encoding.convert(Encoding.stringToCode('担当 電話 090-1234-5678 です'), {
          to: 'JIS',
          from: 'UNICODE',
        }),
      ),
      '7bit',
    ],
    ['UTF-7', iconv.encode(korean, 'utf7'), '7bit'],
  ];
  for (const [charset, body, encoding] of cases) {
    it(`redacts a ${charset} body in its charset and restores it byte for byte`, async () => {
      const raw = message(charset, body, encoding);
      const red = await redactDocument('m.eml', raw, replaceAll());
      expect(red.bytes.toString('latin1')).toContain(`charset=${charset}`);
      // mailparser does not read UTF-7: that body is checked with iconv-lite instead.
      const text = async (b: Buffer) =>
        charset === 'UTF-7'
          ? iconv.decode(b.subarray(b.indexOf('\r\n\r\n') + 4), 'utf7')
          : (await simpleParser(b)).text;
      const before = (await text(raw))!;
      expect(before).toMatch(/800101-1234567|090-1234-5678/);
      expect(await text(red.bytes)).toBe(
        before.replace('800101-1234567', '[KR_RRN]').replace(/0[19]0-1234-5678/, '[PHONE_NUMBER]'),
      );
      const { back } = await roundTrip('m.eml', raw);
      expect(back.equals(raw)).toBe(true);
    });
  }
});

describe.skipIf(!hasEmails)('mailboxes (skipped: data absent)', () => {
  it('scans, redacts and restores an .mbox of real messages, naming each message', async () => {
    const files = [
      'mail/emails/plain_emails/raw_email.eml',
      'mailparser/nested.eml',
      'postal-mime/bounce.eml',
    ];
    const mbox = Buffer.concat(
      files.flatMap((f) => [
        Buffer.from('From MAILER-DAEMON Thu Jan  1 00:00:00 2026\n'),
        readFileSync(path.join(EMAILS, f)),
        Buffer.from('\n'),
      ]),
    );
    const result = await scanDocument('box.mbox', mbox);
    expect(result.kind).toBe('mbox');
    expect(new Set(result.parts.map((p) => p.part.split('/')[0]))).toEqual(
      new Set(['message 1', 'message 2', 'message 3']),
    );
    const { back } = await roundTrip('box.mbox', mbox);
    expect(back.equals(mbox)).toBe(true);
  });
});
