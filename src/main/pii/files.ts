// Redact or decrypt files and folders on disk. The original is never touched unless in-place is
// asked for, and then it is first copied to FILE.bak (refusing to overwrite an older backup).
import { constants as fsConstants, promises as fs } from 'node:fs';
import path from 'node:path';
import { listFiles, MAX_FILE_BYTES } from './batch';
import { decryptDocument, redactDocument } from './documents';
import type { KeyRing } from './keys';
import type { Redactor } from './operators';
import type { ScanOptions } from './types';

export interface FileOutcome {
  input: string;
  output?: string;
  count: number;
  warnings: string[];
  error?: string;
}

type Job = (
  file: string,
  bytes: Buffer,
) => Promise<{ bytes: Buffer; count: number; warnings: string[] }>;

async function writeAtomically(file: string, bytes: Buffer): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.tmp-${process.pid}`;
  await fs.writeFile(temp, bytes);
  await fs.rename(temp, file);
}

/** Copy FILE to FILE.bak, never over an older backup. */
async function backup(file: string): Promise<void> {
  try {
    await fs.copyFile(file, `${file}.bak`, fsConstants.COPYFILE_EXCL);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    throw new Error(
      `${file}: the backup ${file}.bak already exists; move it away before redacting in place again`,
    );
  }
}

/** Pairs of (input, output) for a file or for every file under a folder. */
async function pairs(input: string, output: string | undefined): Promise<Array<[string, string]>> {
  const stat = await fs.stat(input);
  if (stat.isFile()) return [[input, output ?? input]];
  const { files, errors } = await listFiles([input]);
  if (errors.length > 0) throw new Error(errors[0].errors[0]);
  return files.map((f) => [f, output ? path.join(output, path.relative(input, f)) : f]);
}

async function runJob(input: string, output: string | undefined, job: Job): Promise<FileOutcome[]> {
  const inPlace = output === undefined;
  if (!inPlace && path.resolve(input) === path.resolve(output)) {
    throw new Error(
      `${input}: --out is the input itself; use --in-place to overwrite it (a .bak copy is kept)`,
    );
  }
  const outcomes: FileOutcome[] = [];
  let todo: Array<[string, string]>;
  try {
    todo = await pairs(input, output);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return [
      {
        input,
        count: 0,
        warnings: [],
        error: e.code === 'ENOENT' ? `${input}: no such file or directory` : e.message,
      },
    ];
  }
  for (const [file, target] of todo) {
    try {
      const stat = await fs.stat(file);
      if (stat.size > MAX_FILE_BYTES)
        throw new Error(`${file}: larger than ${MAX_FILE_BYTES} bytes, skipped`);
      const result = await job(file, await fs.readFile(file));
      if (inPlace) await backup(file);
      await writeAtomically(target, result.bytes);
      outcomes.push({
        input: file,
        output: target,
        count: result.count,
        warnings: result.warnings,
      });
    } catch (err) {
      const message = (err as Error).message;
      outcomes.push({
        input: file,
        count: 0,
        warnings: [],
        error: message.startsWith(file) ? message : `${file}: ${message}`,
      });
    }
  }
  return outcomes;
}

export function redactPath(
  input: string,
  output: string | undefined,
  redactor: Redactor,
  scan: ScanOptions,
): Promise<FileOutcome[]> {
  return runJob(input, output, async (file, bytes) => {
    const out = await redactDocument(file, bytes, { redactor, scan });
    return { bytes: out.bytes, count: out.redacted, warnings: out.warnings };
  });
}

export function decryptPath(
  input: string,
  output: string | undefined,
  keys: KeyRing,
): Promise<FileOutcome[]> {
  return runJob(input, output, async (file, bytes) => {
    const out = await decryptDocument(file, bytes, keys);
    return { bytes: out.bytes, count: out.restored, warnings: [] };
  });
}
