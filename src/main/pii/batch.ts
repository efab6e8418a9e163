// Folder and mailbox scans: every file under the given paths, one after another, with a progress
// callback and an AbortSignal. The report counts findings per file and type — never the values.
// A file that cannot be read gets its error in the report and the batch goes on.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { PiiScanResult } from '../../shared/api/pii';
import { logger } from '../log';
import { scanDocument } from './documents';
import type { ScanOptions } from './types';

const log = logger('pii');
export const MAX_FILES = 100_000;
export const MAX_FILE_BYTES = 200 * 1024 * 1024;

export interface FileReport {
  file: string;
  kind?: string;
  counts: Record<string, number>;
  /** Why the file, or a part of it, could not be read. */
  errors: string[];
}

export interface BatchReport {
  files: FileReport[];
  totals: Record<string, number>;
  scanned: number;
  failed: number;
  cancelled: boolean;
}

export interface BatchProgress {
  done: number;
  total: number;
  file: string;
  findings: number;
  /** Findings per type so far, over every file scanned. */
  totals: Record<string, number>;
}

export interface BatchOptions {
  scan?: ScanOptions;
  signal?: AbortSignal;
  onProgress?: (p: BatchProgress) => void;
  /** Each file's full result (with the texts), e.g. for NDJSON output. */
  onResult?: (result: PiiScanResult) => void;
}

function describeFsError(p: string, err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return `${p}: no such file or directory`;
  if (e.code === 'EACCES') return `${p}: permission denied`;
  return `${p}: ${e.message}`;
}

/** Every regular file under the paths, sorted, hidden entries skipped, at most MAX_FILES; paths
 * that cannot be read are returned as errors. */
export async function listFiles(
  paths: string[],
): Promise<{ files: string[]; errors: FileReport[] }> {
  const files: string[] = [];
  const errors: FileReport[] = [];
  const visit = async (p: string): Promise<void> => {
    if (files.length >= MAX_FILES) return;
    try {
      const stat = await fs.stat(p);
      if (stat.isFile()) files.push(p);
      else if (stat.isDirectory()) {
        const names = (await fs.readdir(p)).filter((n) => !n.startsWith('.')).sort();
        for (const n of names) await visit(path.join(p, n));
      }
    } catch (err) {
      errors.push({ file: p, counts: {}, errors: [describeFsError(p, err)] });
    }
  };
  for (const p of paths) await visit(p);
  return { files, errors };
}

function countTypes(result: PiiScanResult): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const part of result.parts)
    for (const f of part.findings) counts[f.type] = (counts[f.type] ?? 0) + 1;
  return counts;
}

async function scanOne(file: string, options: BatchOptions): Promise<FileReport> {
  try {
    const stat = await fs.stat(file);
    if (stat.size > MAX_FILE_BYTES)
      return {
        file,
        counts: {},
        errors: [`${file}: larger than ${MAX_FILE_BYTES} bytes, not scanned`],
      };
    const result = await scanDocument(file, await fs.readFile(file), options.scan);
    options.onResult?.(result);
    return { file, kind: result.kind, counts: countTypes(result), errors: result.errors };
  } catch (err) {
    return { file, counts: {}, errors: [(err as Error).message] };
  }
}

export async function scanBatch(paths: string[], options: BatchOptions = {}): Promise<BatchReport> {
  const { files, errors } = await listFiles(paths);
  const report: BatchReport = {
    files: [...errors],
    totals: {},
    scanned: 0,
    failed: errors.length,
    cancelled: false,
  };
  log.info(`batch scan of ${files.length} files started`);
  for (const [i, file] of files.entries()) {
    if (options.signal?.aborted) {
      report.cancelled = true;
      break;
    }
    const one = await scanOne(file, options);
    report.files.push(one);
    if (one.kind) report.scanned++;
    else report.failed++;
    let findings = 0;
    for (const [type, n] of Object.entries(one.counts)) {
      report.totals[type] = (report.totals[type] ?? 0) + n;
      findings += n;
    }
    options.onProgress?.({
      done: i + 1,
      total: files.length,
      file,
      findings,
      totals: { ...report.totals },
    });
  }
  log.info(
    `batch scan ended: ${report.scanned} scanned, ${report.failed} failed, cancelled=${report.cancelled}`,
  );
  return report;
}

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** `file,kind,type,count` rows, plus one `error` row per file that could not be read. */
export function reportCsv(report: BatchReport): string {
  const rows = ['file,kind,type,count'];
  for (const f of report.files) {
    for (const [type, n] of Object.entries(f.counts).sort())
      rows.push([f.file, f.kind ?? '', type, String(n)].map(csvCell).join(','));
    if (!f.kind) rows.push([f.file, 'error', '', '0'].map(csvCell).join(','));
  }
  return rows.join('\n') + '\n';
}
