// One entry point per job — scan, redact, decrypt — dispatching on the document's kind, found
// from its name and its first bytes.
import type { PiiScanResult } from '../../../shared/api/pii';
import type { KeyRing } from '../keys';
import { decryptText } from '../operators';
import type { ScanOptions } from '../types';
import { decryptDocx, redactDocx, scanDocx } from './docx';
import { scanEmail } from './email';
import { decryptEmail, redactEmail } from './email-redact';
import { DocumentError, type RedactOptions, type RedactOutput } from './model';
import { isPdf, redactPdf, scanPdf } from './pdf';
import { decodeText, encodeText, redactTextDocument, scanText } from './text';

export type DocumentKind = 'text' | 'html' | 'email' | 'mbox' | 'docx' | 'pdf';

export function documentKind(name: string, bytes: Buffer): DocumentKind {
  const lower = name.toLowerCase();
  if (isPdf(bytes) || lower.endsWith('.pdf')) return 'pdf';
  if (
    lower.endsWith('.docx') ||
    (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes.includes('word/'))
  )
    return 'docx';
  if (
    lower.endsWith('.mbox') ||
    (bytes.subarray(0, 5).toString('latin1') === 'From ' && lower.endsWith('.mbx'))
  )
    return 'mbox';
  if (/\.(eml|msg822)$/.test(lower)) return 'email';
  if (/\.x?html?$/.test(lower)) return 'html';
  if (/\.(txt|csv|json|log|md)$/.test(lower)) return 'text';
  return looksLikeMessage(bytes) ? 'email' : 'text';
}

/** Why bytes taken for text are binary (an image, an archive, an executable), else undefined.
 * UTF-16 with a byte-order mark is text; NUL or many control bytes elsewhere are not. */
export function binaryReason(bytes: Buffer): string | undefined {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    return undefined;
  const head = bytes.subarray(0, 65536);
  const nul = head.indexOf(0);
  let control = 0;
  for (const b of head)
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) control++;
  if (nul < 0 && control <= Math.max(8, head.length * 0.05)) return undefined;
  const why =
    nul >= 0
      ? `a NUL byte at offset ${nul}`
      : `${control} control bytes in the first ${head.length}`;
  return `binary content (${why}): not text, e-mail, .docx or PDF, so not read`;
}

function checkText(name: string, bytes: Buffer): void {
  const why = binaryReason(bytes);
  if (why) throw new DocumentError(name, why);
}

/** A file without a telling name is an e-mail when it opens with header fields such as From:. */
function looksLikeMessage(bytes: Buffer): boolean {
  const head = bytes
    .subarray(0, 4096)
    .toString('latin1')
    .replace(/^From [^\n]*\n/, '');
  if (!/^[!-9;-~]+:/.test(head)) return false;
  return /^(from|to|subject|date|received|return-path|message-id|mime-version):/im.test(head);
}

interface MboxMessage {
  separator: Buffer;
  message: Buffer;
}

/** Split an mbox at its `From ` lines (at the start or after an empty line). */
export function splitMbox(bytes: Buffer): MboxMessage[] {
  const text = bytes.toString('latin1');
  const starts: number[] = [];
  const pattern = /(?:^|\n\r?\n|^\r?\n)From [^\n]*\n/g;
  for (let m = pattern.exec(text); m; m = pattern.exec(text))
    starts.push(m.index + m[0].indexOf('From '));
  if (starts[0] !== 0) throw new Error('not an mbox: it does not start with a "From " line');
  return starts.map((start, i) => {
    const lineEnd = text.indexOf('\n', start) + 1;
    const end = i + 1 < starts.length ? starts[i + 1] : text.length;
    return { separator: bytes.subarray(start, lineEnd), message: bytes.subarray(lineEnd, end) };
  });
}

async function scanMbox(name: string, bytes: Buffer, options: ScanOptions): Promise<PiiScanResult> {
  const result: PiiScanResult = { name, kind: 'mbox', parts: [], errors: [] };
  for (const [i, m] of splitMbox(bytes).entries()) {
    try {
      const one = await scanEmail(name, m.message, options, `message ${i + 1}/`);
      result.parts.push(...one.parts);
      result.errors.push(...one.errors);
    } catch (err) {
      result.errors.push(`message ${i + 1}: ${(err as Error).message}`);
    }
  }
  return result;
}

/** Scan one document. Throws DocumentError when it cannot be read at all. */
export async function scanDocument(
  name: string,
  bytes: Buffer,
  options: ScanOptions = {},
): Promise<PiiScanResult> {
  if (bytes.length === 0) throw new DocumentError(name, 'empty file: nothing to scan');
  const kind = documentKind(name, bytes);
  if (kind === 'mbox') return scanMbox(name, bytes, options);
  if (kind === 'email') return { name, kind, ...(await scanEmail(name, bytes, options)) };
  if (kind === 'docx')
    return { name, kind, parts: await scanDocx(name, bytes, options), errors: [] };
  if (kind === 'pdf') return { name, kind, parts: await scanPdf(name, bytes, options), errors: [] };
  checkText(name, bytes);
  return { name, errors: [], ...scanText(name, bytes, options) };
}

async function redactMbox(
  name: string,
  bytes: Buffer,
  options: RedactOptions,
): Promise<RedactOutput> {
  const out: Buffer[] = [];
  const warnings: string[] = [];
  let redacted = 0;
  for (const [i, m] of splitMbox(bytes).entries()) {
    const one = await redactEmail(name, m.message, options, `message ${i + 1}/`);
    out.push(m.separator, one.bytes);
    redacted += one.redacted;
    warnings.push(...one.warnings);
  }
  return { bytes: Buffer.concat(out), redacted, warnings };
}

/** Write a redacted copy of one document, in the document's own format (PDF: a text export). */
export async function redactDocument(
  name: string,
  bytes: Buffer,
  options: RedactOptions,
): Promise<RedactOutput> {
  const kind = documentKind(name, bytes);
  if (kind === 'mbox') return redactMbox(name, bytes, options);
  if (kind === 'email') return redactEmail(name, bytes, options);
  if (kind === 'docx') return redactDocx(name, bytes, options);
  if (kind === 'pdf') return redactPdf(name, bytes, options);
  checkText(name, bytes);
  return redactTextDocument(name, bytes, options);
}

/** Restore every encrypted value (and, for e-mail, the exact original parts). */
export async function decryptDocument(
  name: string,
  bytes: Buffer,
  keys: KeyRing,
): Promise<{ bytes: Buffer; restored: number }> {
  const kind = documentKind(name, bytes);
  if (kind === 'email') return decryptEmail(name, bytes, keys);
  if (kind === 'docx') return decryptDocx(name, bytes, keys);
  if (kind === 'mbox') {
    const out: Buffer[] = [];
    let restored = 0;
    for (const m of splitMbox(bytes)) {
      const one = await decryptEmail(name, m.message, keys);
      out.push(m.separator, one.bytes);
      restored += one.restored;
    }
    return { bytes: Buffer.concat(out), restored };
  }
  if (kind === 'pdf')
    throw new DocumentError(
      name,
      'a PDF holds no Haechi tokens: decrypt the redacted text export instead',
    );
  checkText(name, bytes);
  const { text, charset } = decodeText(bytes);
  const out = decryptText(text, keys);
  return { bytes: encodeText(out.text, charset), restored: out.restored };
}
