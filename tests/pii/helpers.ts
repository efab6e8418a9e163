// Shared by the PII tests: where the shared data lives, and small readers of it.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const DATA = path.resolve(__dirname, '../../../shared/data');
export const EMAILS = path.join(DATA, 'emails');
export const DOCUMENTS = path.join(DATA, 'sample_documents');
export const hasEmails = existsSync(EMAILS);
export const hasDocuments = existsSync(DOCUMENTS);

export function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = path.join(dir, n);
      return statSync(p).isDirectory() ? filesUnder(p) : [p];
    });
}

export function rel(file: string): string {
  return path.relative(EMAILS, file);
}
