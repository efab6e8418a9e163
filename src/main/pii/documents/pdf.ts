// PDF: text per page through unpdf (PDF.js). Scanning reports findings with their page; redaction
// writes a redacted text export. Known gaps: the PDF itself is not rewritten (no blacking-out of
// the page content, images or metadata), scanned pages without a text layer yield nothing, and
// text order follows the PDF's drawing order.
import { extractText, getDocumentProxy } from 'unpdf';
import { redactText } from '../operators';
import type { ScanOptions } from '../types';
import {
  accepted,
  DocumentError,
  scanPart,
  type PiiPart,
  type RedactOptions,
  type RedactOutput,
} from './model';

export function isPdf(bytes: Buffer): boolean {
  return bytes.subarray(0, 1024).includes('%PDF-');
}

async function pages(file: string, bytes: Buffer): Promise<string[]> {
  try {
    const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
    const { text } = await extractText(pdf, { mergePages: false });
    return text;
  } catch (err) {
    throw new DocumentError(file, `not a readable PDF: ${(err as Error).message}`);
  }
}

export async function scanPdf(
  file: string,
  bytes: Buffer,
  options: ScanOptions,
): Promise<PiiPart[]> {
  const texts = await pages(file, bytes);
  return texts.map((text, i) => scanPart(`page ${i + 1}`, text, options));
}

/** The redacted text export: one section per page, headed by its page number. */
export async function redactPdf(
  file: string,
  bytes: Buffer,
  options: RedactOptions,
): Promise<RedactOutput> {
  const parts = await scanPdf(file, bytes, options.scan);
  let redacted = 0;
  const sections = parts.map((p) => {
    const out = redactText(
      p.text,
      accepted(p.part, p.findings, options.rejected),
      options.redactor,
    );
    redacted += out.count;
    return `=== ${p.part} ===\n${out.text}\n`;
  });
  const warnings = ['PDF: a redacted text export was written; the PDF itself is not redacted'];
  return { bytes: Buffer.from(sections.join('\n'), 'utf8'), redacted, extension: '.txt', warnings };
}
