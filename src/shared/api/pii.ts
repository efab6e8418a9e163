// PII API: the Redact view. Owned by the PII work. Documents cross the boundary as base64.
import { z } from 'zod';
import { method } from './contract';
import type { Finding } from '../types';

export interface PiiPart {
  part: string;
  text: string;
  findings: Finding[];
}

export interface PiiScanResult {
  name: string;
  kind: string;
  parts: PiiPart[];
  errors: string[];
}

export const operatorName = z.enum(['mask', 'remove', 'replace', 'hash', 'encrypt']);

export const piiMethods = {
  piiScan: method<PiiScanResult>()(
    z
      .object({
        name: z.string().min(1).max(500),
        base64: z.string().max(200 * 1024 * 1024),
        types: z.array(z.string().max(40)).max(50).optional(),
      })
      .strict(),
  ),
  piiRedact: method<{ name: string; base64: string; redacted: number }>()(
    z
      .object({
        name: z.string().min(1).max(500),
        base64: z.string().max(200 * 1024 * 1024),
        operators: z.record(z.string().max(40), operatorName).default({}),
        /** Findings the analyst rejected, as `part:start:end`. */
        rejected: z.array(z.string().max(300)).max(100_000).default([]),
        passphrase: z.string().max(1000).optional(),
      })
      .strict(),
  ),
};
