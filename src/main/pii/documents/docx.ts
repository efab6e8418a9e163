// .docx: the text lives in <w:t> runs of the WordprocessingML parts inside the zip. A part's text
// is its runs in order, with a newline at each paragraph end; redaction rewrites only the inner
// text of the runs a finding touches, so the document keeps its structure and still opens.
// Known gap: a value split over several runs is put back into the first run on decrypt (the text
// is exact, the formatting split of that value is merged).
import JSZip from 'jszip';
import { decryptText } from '../operators';
import type { KeyRing } from '../keys';
import type { ScanOptions } from '../types';
import {
  accepted,
  DocumentError,
  scanPart,
  type PiiPart,
  type RedactOptions,
  type RedactOutput,
} from './model';

const PART_NAMES = /^word\/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml$/;

interface Run {
  innerStart: number;
  innerEnd: number;
  textStart: number;
  text: string;
}

interface XmlPart {
  name: string;
  xml: string;
  runs: Run[];
  text: string;
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (m, e: string) => {
    if (e[0] === '#')
      return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
    return entities[e] ?? m;
  });
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function readPart(name: string, xml: string): XmlPart {
  const runs: Run[] = [];
  let text = '';
  const pattern =
    /<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<w:t(?:\s[^>]*)?\/>|<\/w:p>|<w:(?:tab|br)\b[^>]*\/>/g;
  for (let m = pattern.exec(xml); m; m = pattern.exec(xml)) {
    if (m[0] === '</w:p>') text += '\n';
    else if (m[0].startsWith('<w:tab') || m[0].startsWith('<w:br'))
      text += m[0].startsWith('<w:tab') ? '\t' : '\n';
    else if (m[1] !== undefined) {
      const innerStart = m.index + m[0].indexOf('>') + 1;
      const value = unescapeXml(m[1]);
      runs.push({
        innerStart,
        innerEnd: innerStart + m[1].length,
        textStart: text.length,
        text: value,
      });
      text += value;
    }
  }
  return { name, xml, runs, text };
}

async function loadParts(file: string, bytes: Buffer): Promise<{ zip: JSZip; parts: XmlPart[] }> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch (err) {
    throw new DocumentError(file, `not a readable .docx (zip): ${(err as Error).message}`);
  }
  const names = Object.keys(zip.files)
    .filter((n) => PART_NAMES.test(n))
    .sort();
  if (!names.includes('word/document.xml'))
    throw new DocumentError(file, 'not a .docx: word/document.xml is missing');
  const parts = await Promise.all(
    names.map(async (n) => readPart(n, await zip.file(n)!.async('string'))),
  );
  return { zip, parts };
}

export async function scanDocx(
  file: string,
  bytes: Buffer,
  options: ScanOptions,
): Promise<PiiPart[]> {
  const { parts } = await loadParts(file, bytes);
  return parts.map((p) => scanPart(p.name, p.text, options));
}

interface Replacement {
  start: number;
  end: number;
  with: string;
}

/** New text of one run: kept characters, plus each replacement in the first run it touches. */
function runText(
  part: XmlPart,
  run: Run,
  replacements: Replacement[],
  emitted: Set<Replacement>,
): string {
  const end = run.textStart + run.text.length;
  let pos = run.textStart;
  let out = '';
  for (const r of replacements) {
    if (r.end <= pos || r.start >= end) continue;
    if (r.start > pos) out += part.text.slice(pos, r.start);
    if (!emitted.has(r)) {
      out += r.with;
      emitted.add(r);
    }
    pos = Math.min(r.end, end);
  }
  return out + part.text.slice(pos, end);
}

/** The part's XML with every touched run's inner text rewritten; other bytes stay as they were. */
function rewriteRuns(part: XmlPart, replacements: Replacement[]): string {
  const emitted = new Set<Replacement>();
  let xml = '';
  let at = 0;
  for (const run of part.runs) {
    const next = runText(part, run, replacements, emitted);
    if (next === run.text) continue;
    xml += part.xml.slice(at, run.innerStart) + escapeXml(next);
    at = run.innerEnd;
  }
  return xml + part.xml.slice(at);
}

async function rewrite(
  file: string,
  bytes: Buffer,
  change: (part: XmlPart) => Replacement[],
): Promise<{ bytes: Buffer; count: number }> {
  const { zip, parts } = await loadParts(file, bytes);
  let count = 0;
  for (const part of parts) {
    const replacements = change(part).sort((a, b) => a.start - b.start);
    if (replacements.length === 0) continue;
    count += replacements.length;
    zip.file(part.name, rewriteRuns(part, replacements));
  }
  const out = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  return { bytes: out, count };
}

export async function redactDocx(
  file: string,
  bytes: Buffer,
  options: RedactOptions,
): Promise<RedactOutput> {
  const { bytes: out, count } = await rewrite(file, bytes, (part) => {
    const scanned = scanPart(part.name, part.text, options.scan);
    const findings = accepted(part.name, scanned.findings, options.rejected);
    return findings.map((f) => ({
      start: f.start,
      end: f.end,
      with: options.redactor.apply(f.type, part.text.slice(f.start, f.end)),
    }));
  });
  return { bytes: out, redacted: count, warnings: [] };
}

export async function decryptDocx(
  file: string,
  bytes: Buffer,
  keys: KeyRing,
): Promise<{ bytes: Buffer; restored: number }> {
  let restored = 0;
  const { bytes: out } = await rewrite(file, bytes, (part) => {
    const replacements: Replacement[] = [];
    for (const run of part.runs) {
      const result = decryptText(run.text, keys);
      if (result.restored === 0) continue;
      restored += result.restored;
      replacements.push({
        start: run.textStart,
        end: run.textStart + run.text.length,
        with: result.text,
      });
    }
    return replacements;
  });
  return { bytes: out, restored };
}

/** Text of every part, for tests and the text export. */
export async function docxText(file: string, bytes: Buffer): Promise<Record<string, string>> {
  const { parts } = await loadParts(file, bytes);
  return Object.fromEntries(parts.map((p) => [p.name, p.text]));
}
