// Plain text, CSV, JSON and HTML. Bytes are decoded with the first charset that round-trips them
// exactly (UTF-8, UTF-16 with BOM, CP949/EUC-KR, else Latin-1), so a redacted copy is written back
// in the same charset. HTML is scanned with its markup blanked out (attribute values stay).
// Known gaps: HTML character references (&#64;) and JSON \u escapes are not decoded before
// scanning, so a value written only in escaped form is not found.
import iconv from 'iconv-lite';
import { redactText } from '../operators';
import type { ScanOptions } from '../types';
import { accepted, scanPart, type PiiPart, type RedactOptions, type RedactOutput } from './model';

export interface DecodedText {
  text: string;
  charset: string;
}

function roundTrips(bytes: Buffer, charset: string): string | undefined {
  const text = iconv.decode(bytes, charset, { stripBOM: false });
  return iconv.encode(text, charset, { addBOM: false }).equals(bytes) ? text : undefined;
}

export function decodeText(bytes: Buffer): DecodedText {
  const utf8 = bytes.toString('utf8');
  if (Buffer.from(utf8, 'utf8').equals(bytes)) return { text: utf8, charset: 'utf-8' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: iconv.decode(bytes, 'utf-16le', { stripBOM: false }), charset: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: iconv.decode(bytes, 'utf-16be', { stripBOM: false }), charset: 'utf-16be' };
  const korean = roundTrips(bytes, 'cp949');
  if (korean !== undefined && !korean.includes('\ufffd')) return { text: korean, charset: 'cp949' };
  return { text: bytes.toString('latin1'), charset: 'latin1' };
}

export function encodeText(text: string, charset: string): Buffer {
  if (charset === 'utf-8') return Buffer.from(text, 'utf8');
  if (charset === 'latin1') return Buffer.from(text, 'latin1');
  return iconv.encode(text, charset, { addBOM: false });
}

/** Blank HTML markup to spaces, keeping offsets, newlines and quoted attribute values. */
export function htmlScanView(html: string): string {
  const blank = (s: string) => s.replace(/[^\n]/g, ' ');
  return html.replace(/<!--[\s\S]*?-->|<(script|style)\b[\s\S]*?<\/\1\s*>|<[^>]*>/gi, (m, raw) => {
    if (raw || m.startsWith('<!--')) return blank(m);
    return m.replace(/"([^"]*)"|'([^']*)'|[^\n]/g, (x, d, s) =>
      (d ?? s) !== undefined ? ` ${d ?? s} ` : ' ',
    );
  });
}

export function isHtml(name: string, text: string): boolean {
  return /\.x?html?$/i.test(name) || /^\s*(<!doctype html|<html[\s>])/i.test(text.slice(0, 500));
}

export function scanText(
  name: string,
  bytes: Buffer,
  options: ScanOptions,
): { kind: string; parts: PiiPart[] } {
  const { text } = decodeText(bytes);
  if (!isHtml(name, text)) return { kind: 'text', parts: [scanPart('text', text, options)] };
  const scanned = scanPart('html', htmlScanView(text), options);
  return { kind: 'html', parts: [{ ...scanned, text }] };
}

export function redactTextDocument(
  name: string,
  bytes: Buffer,
  options: RedactOptions,
): RedactOutput {
  const { text, charset } = decodeText(bytes);
  const { parts } = scanText(name, bytes, options.scan);
  const part = parts[0];
  const findings = accepted(part.part, part.findings, options.rejected);
  const out = redactText(text, findings, options.redactor);
  return { bytes: encodeText(out.text, charset), redacted: out.count, warnings: [] };
}
