import { readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { scanBatch } from '../../src/main/pii/batch';
import { decryptDocument, redactDocument, scanDocument } from '../../src/main/pii/documents';
import { entities, splitMessage } from '../../src/main/pii/documents/mime';
import { KeyRing } from '../../src/main/pii/keys';
import { parseOperators, Redactor } from '../../src/main/pii/operators';
import { EMAILS, filesUnder, hasEmails, rel } from './helpers';

const keys = KeyRing.fromPassphrase('correct horse battery');

/** Content types of every MIME node, in order, without our restore header. */
async function structure(file: string, bytes: Buffer): Promise<string[]> {
  const chunks = await splitMessage(file, bytes);
  return entities(chunks).map(
    (e) => `${String(e.node.contentType)};${String(e.node.charset)};${String(e.node.encoding)}`,
  );
}

const pdfErrors = [
  ['mail/emails/attachment_emails/attachment_message_rfc822.eml', '2/2'],
  ['mail/emails/attachment_emails/attachment_pdf.eml', '2'],
  ['mail/emails/attachment_emails/attachment_pdf_lf.eml', '2'],
  ['mail/emails/attachment_emails/attachment_pdf_non_ascii.eml', '2'],
  ['mail/emails/attachment_emails/attachment_pdf_non_ascii_lf.eml', '2'],
  ['mail/emails/attachment_emails/attachment_with_base64_encoded_name.eml', '2'],
  ['mail/emails/mime_emails/raw_email7.eml', '1.3'],
  ['mail/emails/mime_emails/raw_email_with_multipart_mixed_quoted_boundary.eml', '2'],
];

describe.skipIf(!hasEmails)(
  'e-mail scanning over ../shared/data/emails (skipped: data absent)',
  () => {
    it('scans all 81 messages; the malformed ones give a clear error and the rest go on', async () => {
      const report = await scanBatch([EMAILS]);
      expect(report.files.length).toBe(81);
      expect(report.scanned).toBe(80);
      expect(report.failed).toBe(1);
      const withErrors = report.files
        .filter((f) => f.errors.length > 0)
        .map((f) => [rel(f.file), f.errors]);
      const expected = [
        ...pdfErrors.map(([f, part]) => [
          f,
          [`${path.join(EMAILS, f)}: part ${part}: not a readable PDF: Invalid PDF structure.`],
        ]),
        [
          'mail/emails/sample_output_multipart',
          [
            `${path.join(EMAILS, 'mail/emails/sample_output_multipart')}: empty file: nothing to scan`,
          ],
        ],
      ];
      expect(withErrors.sort()).toEqual(expected.sort());
    });

    it('names header, body and attached-message parts', async () => {
      const file = path.join(EMAILS, 'mail/emails/attachment_emails/attachment_message_rfc822.eml');
      const result = await scanDocument(file, readFileSync(file));
      expect(result.parts.map((p) => p.part)).toEqual(['header', '1', '2/header', '2/1']);
      const torture = path.join(EMAILS, 'postal-mime/mimetorture.eml');
      const parts = (await scanDocument(torture, readFileSync(torture))).parts.map((p) => p.part);
      expect(parts.slice(0, 6)).toEqual(['header', '1', '2/header', '2/body', '3/header', '3.1']);
      expect(parts).toContain('3.2/header');
    });

    it('decodes header fields and finds the addresses in them', async () => {
      const file = path.join(EMAILS, 'mail/emails/plain_emails/raw_email_bad_time.eml');
      const result = await scanDocument(file, readFileSync(file));
      const header = result.parts[0];
      const values = header.findings.map((f) => `${f.type}=${header.text.slice(f.start, f.end)}`);
      expect(values).toContain('IP_ADDRESS=92.47.238.91');
      expect(values).toContain('EMAIL_ADDRESS=yusuf75thu@auracom.net');
    });
  },
);

describe.skipIf(!hasEmails)('e-mail redaction round trips (skipped: data absent)', () => {
  it('encrypt then decrypt gives back every message byte for byte, and the redacted copy keeps its MIME structure', async () => {
    const files = filesUnder(EMAILS).filter((f) => readFileSync(f).length > 0);
    expect(files.length).toBe(80);
    let redactedValues = 0;
    for (const file of files) {
      const raw = readFileSync(file);
      const red = await redactDocument(file, raw, { redactor: new Redactor({}, keys), scan: {} });
      redactedValues += red.redacted;
      expect(await structure(file, red.bytes), rel(file)).toEqual(await structure(file, raw));
      const back = await decryptDocument(file, red.bytes, keys);
      expect(back.bytes.equals(raw), rel(file)).toBe(true);
      expect(back.restored, rel(file)).toBe(red.redacted);
    }
    expect(redactedValues).toBeGreaterThan(1000);
  });

  it('a redacted copy parses as the same message with the values replaced', async () => {
    const file = path.join(EMAILS, 'mail/emails/multi_charset/ks_c_5601-1987.eml');
    const raw = readFileSync(file);
    const red = await redactDocument(file, raw, {
      redactor: new Redactor(parseOperators('*=replace')),
      scan: {},
    });
    const [before, after] = [await simpleParser(raw), await simpleParser(red.bytes)];
    expect(after.subject).toBe(before.subject);
    expect(after.text).toBe(before.text);
    const head = red.bytes.toString('latin1').split('\r\n\r\n')[0];
    expect(head).toContain('\r\nFrom: [EMAIL_ADDRESS]\r\nTo: [EMAIL_ADDRESS]\r\nSubject: test\r\n');
    expect(red.bytes.toString('latin1')).not.toContain('from@example.com');
    expect(red.redacted).toBe(4);
  });

  it('leaves nothing to find but tokens after redaction', async () => {
    const file = path.join(EMAILS, 'postal-mime/bounce.eml');
    const red = await redactDocument(file, readFileSync(file), {
      redactor: new Redactor({}, keys),
      scan: {},
    });
    const again = await scanDocument(file, red.bytes);
    const left = again.parts.flatMap((p) =>
      p.findings.filter((f) => !p.text.slice(f.start, f.end).startsWith('[ENC:')),
    );
    expect(left).toEqual([]);
  });
});
