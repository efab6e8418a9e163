// PII API: the Redact view. Owned by the PII work. Documents cross the boundary as base64.
import { z } from 'zod';
import { method } from './contract';
import type { Finding } from '../types';

export interface PiiPart {
  /** `text`, `html`, `header`, `body`, an e-mail part number (`1.2`, `2/header`), a docx part
   * (`word/document.xml`) or a PDF page (`page 3`). */
  part: string;
  text: string;
  findings: Finding[];
}

export interface PiiScanResult {
  name: string;
  kind: string;
  parts: PiiPart[];
  /** Parts that could not be read (file, part and why); the rest was scanned. */
  errors: string[];
}

export interface PiiFileReport {
  file: string;
  kind?: string;
  counts: Record<string, number>;
  errors: string[];
}

/** Counts per file and type — never the values themselves. */
export interface PiiBatchReport {
  files: PiiFileReport[];
  totals: Record<string, number>;
  scanned: number;
  failed: number;
  cancelled: boolean;
}

export const operatorName = z.enum(['mask', 'remove', 'replace', 'hash', 'encrypt']);

const document = {
  name: z.string().min(1).max(500),
  base64: z.string().max(200 * 1024 * 1024),
};
const types = z.array(z.string().max(40)).max(50).optional();
/** `keychain`: the workstation key (random, made on first use, sealed by the app's keychain). */
const keySource = z.literal('keychain').optional();

export const piiMethods = {
  /** Find personal data. `names` adds PERSON/LOCATION (slow model); minScore defaults to 0.3. */
  piiScan: method<PiiScanResult>()(
    z
      .object({
        ...document,
        types,
        names: z.boolean().optional(),
        minScore: z.number().min(0).max(1).optional(),
      })
      .strict(),
  ),
  /** Write a redacted copy in the input's format (a PDF gives a text export, name ends .txt). */
  piiRedact: method<{ name: string; base64: string; redacted: number; warnings: string[] }>()(
    z
      .object({
        ...document,
        types,
        names: z.boolean().optional(),
        /** Operator per type; `*` for every other type. Default: encrypt with a passphrase, else replace. */
        operators: z.record(z.string().max(40), operatorName).default({}),
        /** Characters mask keeps visible at the end (default 4). */
        maskKeep: z.number().int().min(0).max(64).optional(),
        /** Findings the analyst rejected, as `part:start:end`. */
        rejected: z.array(z.string().max(300)).max(100_000).default([]),
        passphrase: z.string().min(8).max(1000).optional(),
        /** Use the workstation key instead of a passphrase (not both). */
        key: keySource,
      })
      .strict(),
  ),
  /** Restore encrypted values (e-mail: the exact original bytes when every value was encrypted). */
  piiDecrypt: method<{ name: string; base64: string; restored: number }>()(
    z
      .object({
        ...document,
        /** One of passphrase or `key: 'keychain'`. */
        passphrase: z.string().min(8).max(1000).optional(),
        key: keySource,
      })
      .strict(),
  ),
  /** Scan a folder or mailbox on this machine; progress goes to the `progress` topic as `task`. */
  piiScanFolder: method<{ report: PiiBatchReport; csv: string }>()(
    z
      .object({
        paths: z.array(z.string().min(1).max(4096)).min(1).max(100),
        task: z.string().min(1).max(100),
        types,
        names: z.boolean().optional(),
      })
      .strict(),
  ),
  /** Cancel a running folder scan by its task id. */
  piiCancel: method<{ cancelled: boolean }>()(
    z.object({ task: z.string().min(1).max(100) }).strict(),
  ),
};
