// What every document reader and writer shares: parts of text with their findings, the options
// of a redaction, and errors that name the document and say why.
import type { PiiPart } from '../../../shared/api/pii';
import { analyze } from '../analyzer';
import type { Redactor } from '../operators';
import type { Finding, ScanOptions } from '../types';

export type { PiiPart };

export class DocumentError extends Error {
  constructor(
    readonly file: string,
    readonly why: string,
  ) {
    super(`${file}: ${why}`);
  }
}

export interface RedactOptions {
  redactor: Redactor;
  scan: ScanOptions;
  /** Findings the analyst rejected, as `part:start:end`. */
  rejected?: ReadonlySet<string>;
}

export interface RedactOutput {
  bytes: Buffer;
  redacted: number;
  /** Suggested extension of the output when it differs from the input's (PDF → .txt). */
  extension?: string;
  /** Things the writer could not do, without personal data. */
  warnings: string[];
}

/** Scan one part's text. */
export function scanPart(part: string, text: string, options: ScanOptions): PiiPart {
  return { part, text, findings: analyze(text, options).map((f) => ({ ...f, part })) };
}

/** The findings of a part minus those the analyst rejected. */
export function accepted(
  part: string,
  findings: Finding[],
  rejected?: ReadonlySet<string>,
): Finding[] {
  if (!rejected || rejected.size === 0) return findings;
  return findings.filter((f) => !rejected.has(`${part}:${f.start}:${f.end}`));
}
