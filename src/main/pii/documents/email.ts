// E-mail (.eml) and mailboxes (.mbox). The message is split into MIME chunks (mailsplit); header
// values are decoded (libmime), bodies are transfer-decoded and charset-decoded, attachments are
// read recursively (attached messages, .docx, text; PDF attachments are scanned but not rewritten).
// Redaction replaces only the chunks it changed, re-encoded as they were, so the output keeps the
// structure, charsets and every untouched byte. When every finding of a part was encrypted, the
// part's original bytes ride along encrypted in an X-Haechi-Restore header, so decrypt gives back
// the exact original message.
// Known gaps: a header field we change is re-encoded as UTF-8 encoded-words (its other fields keep
// their bytes); format=flowed bodies are scanned as sent, so a value broken by a soft line break
// is missed; S/MIME and PGP-encrypted parts cannot be read.
import libmime from 'libmime';
import { redactText, type Redactor } from '../operators';
import type { Finding, ScanOptions } from '../types';
import { decodeCharset, normalizeCharset } from './charset';
import { scanDocx } from './docx';
import { DocumentError, scanPart, type PiiPart } from './model';
import {
  entities,
  headerPartName,
  isMessageRoot,
  partName,
  pipeThrough,
  rawBody,
  splitMessage,
  type Chunk,
  type Entity,
  type MailHeaders,
  type MailNode,
} from './mime';
import { scanPdf } from './pdf';
import { htmlScanView } from './text';

export const MAX_DEPTH = 8;
const SKIP_HEADERS = /^(content-|mime-version$|dkim-|arc-|x-haechi-restore$|domainkey-signature$)/i;

export type BodyKind = 'text' | 'html' | 'message' | 'docx' | 'pdf' | 'skip';

export function bodyKind(node: MailNode): BodyKind {
  if (node.multipart || node.messageNode) return 'skip';
  const type = (node.contentType || 'text/plain').toLowerCase();
  const file = (node.filename || '').toLowerCase();
  if (type === 'message/rfc822' || type === 'message/global' || file.endsWith('.eml'))
    return 'message';
  if (file.endsWith('.docx') || type.includes('wordprocessingml')) return 'docx';
  if (file.endsWith('.pdf') || type === 'application/pdf') return 'pdf';
  if (type === 'text/html' || /\.html?$/.test(file)) return 'html';
  if (type.startsWith('text/') || type.startsWith('message/') || /\.(txt|csv|json)$/.test(file))
    return 'text';
  return 'skip';
}

export interface HeaderLine {
  key: string;
  name: string;
  index: number;
  value: string;
  start: number;
  end: number;
}

export function decodeHeaderValue(line: string): string {
  const raw = line
    .slice(line.indexOf(':') + 1)
    .replace(/\r?\n[ \t]/g, ' ')
    .trim();
  const value = libmime.decodeWords(raw);
  // Raw 8-bit header bytes (RFC 6532) arrive as Latin-1 characters: read them as UTF-8.
  if (/[\x80-\xff]/.test(value) && [...value].every((c) => c.charCodeAt(0) <= 0xff)) {
    const utf8 = Buffer.from(value, 'latin1').toString('utf8');
    if (!utf8.includes('\ufffd')) return utf8;
  }
  return value;
}

/** The scanned view of a header block: one `Name: decoded value` line per field. */
export function headerView(headers: MailHeaders): { text: string; lines: HeaderLine[] } {
  const lines: HeaderLine[] = [];
  let text = '';
  for (const [index, { key, line }] of headers.getList().entries()) {
    if (SKIP_HEADERS.test(key)) continue;
    const name = line.slice(0, line.indexOf(':')).trim();
    const value = decodeHeaderValue(line);
    const start = text.length + name.length + 2;
    text += `${name}: ${value}\n`;
    lines.push({ key, name, index, value, start, end: start + value.length });
  }
  return { text, lines };
}

/** Replace one header field's value in place (other fields keep their bytes). */
export function setHeaderValue(headers: MailHeaders, line: HeaderLine, value: string): void {
  const encoded = /[^\t\x20-\x7e]/.test(value)
    ? libmime.encodeWords(value, 'Q', 52, 'utf-8')
    : value;
  headers.getList()[line.index].line = libmime.foldLines(`${line.name}: ${encoded}`, 76, false);
  headers.changed = true;
}

/** Apply findings of the header view to the header fields they fall in. */
export function redactHeaders(
  headers: MailHeaders,
  lines: HeaderLine[],
  findings: Finding[],
  redactor: Redactor,
): number {
  let count = 0;
  for (const line of lines) {
    const inLine = findings
      .filter((f) => f.start >= line.start && f.end <= line.end)
      .map((f) => ({ ...f, start: f.start - line.start, end: f.end - line.start }));
    if (inLine.length === 0) continue;
    const out = redactText(line.value, inLine, redactor);
    setHeaderValue(headers, line, out.text);
    count += out.count;
  }
  return count;
}

interface Walk {
  file: string;
  prefix: string;
  depth: number;
  parts: PiiPart[];
  errors: string[];
}

export async function decodedBody(
  chunks: Chunk[],
  e: Entity,
): Promise<{ raw: Buffer; content: Buffer }> {
  const raw = rawBody(chunks, e);
  return { raw, content: await pipeThrough(e.node.getDecoder(), raw) };
}

export function textPart(
  name: string,
  kind: BodyKind,
  node: MailNode,
  content: Buffer,
  options: ScanOptions,
) {
  const charset = normalizeCharset(node.charset);
  const text = decodeCharset(content, charset);
  const scanned = scanPart(name, kind === 'html' ? htmlScanView(text) : text, options);
  return { charset, part: { ...scanned, text } };
}

async function scanEntity(
  chunks: Chunk[],
  e: Entity,
  walk: Walk,
  options: ScanOptions,
): Promise<void> {
  const kind = bodyKind(e.node);
  if (kind === 'skip') return;
  const name = partName(walk.prefix, e.node);
  const { content } = await decodedBody(chunks, e);
  if (kind === 'text' || kind === 'html')
    walk.parts.push(textPart(name, kind, e.node, content, options).part);
  else if (kind === 'message')
    await walkMessage(content, { ...walk, prefix: `${name}/`, depth: walk.depth + 1 }, options);
  else {
    const inner =
      kind === 'docx'
        ? await scanDocx(walk.file, content, options)
        : await scanPdf(walk.file, content, options);
    for (const p of inner)
      walk.parts.push({
        ...p,
        part: `${name}:${p.part}`,
        findings: p.findings.map((f) => ({ ...f, part: `${name}:${p.part}` })),
      });
  }
}

async function walkMessage(bytes: Buffer, walk: Walk, options: ScanOptions): Promise<void> {
  if (walk.depth > MAX_DEPTH) {
    walk.errors.push(
      `${walk.file}: part ${walk.prefix}: attached messages nested deeper than ${MAX_DEPTH} levels were not read`,
    );
    return;
  }
  const chunks = await splitMessage(walk.file, bytes);
  for (const e of entities(chunks)) {
    if (isMessageRoot(e.node) && e.node.headers) {
      const view = headerView(e.node.headers);
      walk.parts.push(scanPart(headerPartName(walk.prefix, e.node), view.text, options));
    }
    try {
      await scanEntity(chunks, e, walk, options);
    } catch (err) {
      const why = err instanceof DocumentError ? err.why : (err as Error).message;
      walk.errors.push(`${walk.file}: part ${partName(walk.prefix, e.node)}: ${why}`);
    }
  }
}

export async function scanEmail(
  file: string,
  bytes: Buffer,
  options: ScanOptions,
  prefix = '',
): Promise<{ parts: PiiPart[]; errors: string[] }> {
  const walk: Walk = { file, prefix, depth: 0, parts: [], errors: [] };
  await walkMessage(bytes, walk, options);
  return { parts: walk.parts, errors: walk.errors };
}
