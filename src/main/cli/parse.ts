// `haechi parse FILE... [--format NAME]`: one JSON object per parsed event on stdout (normalized
// fields as top-level ECS keys, plus format, raw text and position); rejected lines on stderr.
import fs from 'node:fs';
import path from 'node:path';
import { FORMATS, isFormat, MAX_LINE_BYTES, type FormatName } from '../feed/parsers';
import { readLogFile } from '../feed/reader';
import type { HaechiEvent } from '../../shared/types';

const USAGE = `usage: haechi parse FILE... [--format ${FORMATS.join('|')}]
A line longer than ${MAX_LINE_BYTES} bytes (UTF-8, any format) is rejected; the next is read.`;

export function eventLine(e: HaechiEvent): string {
  const out: Record<string, unknown> = { ...e.norm };
  out.format = e.format;
  if (e.position?.file !== undefined) out.file = e.position.file;
  if (e.position?.record !== undefined) out.record = e.position.record;
  out.raw = e.raw;
  return JSON.stringify(out);
}

function parseArgs(args: string[]): { files: string[]; format: FormatName } | string {
  const files: string[] = [];
  let format: FormatName = 'auto';
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--format') {
      const name = args[++i] ?? '';
      if (!isFormat(name)) return `unknown format "${name}"; choose one of ${FORMATS.join(', ')}`;
      format = name;
    } else if (args[i].startsWith('--')) return `unknown option ${args[i]}`;
    else files.push(args[i]);
  }
  return files.length ? { files, format } : 'no FILE given';
}

async function parseFile(
  file: string,
  format: FormatName,
  out: (s: string) => void,
): Promise<[number, number]> {
  let parsed = 0;
  let rejected = 0;
  for await (const { record, outcome } of readLogFile(file, { format })) {
    if (outcome.ok === true) {
      parsed += 1;
      out(eventLine(outcome.event) + '\n');
    } else if (outcome.ok === false) {
      rejected += 1;
      process.stderr.write(`${file}:${record}: rejected: ${outcome.reason}\n`);
    }
  }
  return [parsed, rejected];
}

/** Folders are read recursively, in name order; licence and read-me files are passed over. */
function expandInputs(inputs: string[]): string[] {
  const files: string[] = [];
  const walk = (p: string): void => {
    const info = fs.statSync(p, { throwIfNoEntry: false });
    if (!info?.isDirectory()) {
      files.push(p);
      return;
    }
    for (const name of fs.readdirSync(p).sort()) {
      if (/^(LICEN[CS]E|COPYING|README)/i.test(name) || name.startsWith('.')) continue;
      walk(path.join(p, name));
    }
  };
  inputs.forEach(walk);
  return files;
}

export async function run(args: string[]): Promise<number> {
  const opts = parseArgs(args);
  if (typeof opts === 'string') {
    process.stderr.write(`haechi parse: ${opts}\n${USAGE}\n`);
    return 2;
  }
  let buffer = '';
  const out = (s: string) => {
    buffer += s;
    if (buffer.length < 65536) return;
    process.stdout.write(buffer);
    buffer = '';
  };
  let failed = 0;
  for (const file of expandInputs(opts.files)) {
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
      process.stderr.write(`haechi parse: ${file}: no such file\n`);
      failed += 1;
      continue;
    }
    try {
      const [parsed, rejected] = await parseFile(file, opts.format, out);
      process.stderr.write(`${file}: ${parsed} events, ${rejected} rejected\n`);
    } catch (err) {
      // A corrupt or unreadable file is named and skipped; the files after it are still parsed.
      process.stderr.write(`haechi parse: ${file}: cannot read: ${(err as Error).message}\n`);
      failed += 1;
    }
  }
  process.stdout.write(buffer);
  return failed ? 1 : 0;
}
