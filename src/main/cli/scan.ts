// `haechi scan --rules PATH... FILE_OR_DIR...`: match event files offline with the Sigma engine.
// Matches go to stdout as NDJSON; the summary, rule problems and skipped files go to stderr.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RuleMatch } from '../../shared/types';
import { loadRules, SigmaEngine } from '../engine/sigma';
import { readEventText, skipReason } from '../feed/eventfile';

const MAX_FILES = 100_000;
const MAX_FILE_BYTES = 512 * 1024 * 1024;

interface Args {
  rules: string[];
  inputs: string[];
}

export function parseArgs(args: string[]): Args {
  const out: Args = { rules: [], inputs: [] };
  let inRules = false;
  for (const a of args) {
    if (a === '--rules' || a === '-r') inRules = true;
    else if (a === '--') inRules = false;
    else if (a.startsWith('--rules=')) out.rules.push(a.slice(8));
    else if (a.startsWith('-'))
      throw new Error(`unknown option ${a}; usage: haechi scan --rules PATH... FILE_OR_DIR...`);
    else if (inRules && out.rules.length && !out.inputs.length && looksLikeRules(a))
      out.rules.push(a);
    else if (inRules && !out.rules.length) out.rules.push(a);
    else {
      inRules = false;
      out.inputs.push(a);
    }
  }
  return out;
}

/** After `--rules X`, further paths are rules while they are YAML files or rule folders. */
function looksLikeRules(a: string): boolean {
  return /\.ya?ml$/i.test(a) || /(^|\/)rules[^/]*\/?$/.test(a);
}

async function listFiles(input: string, out: string[], skipped: [string, string][]): Promise<void> {
  const info = await stat(input).catch(() => null);
  if (!info) {
    skipped.push([input, 'no such file or folder']);
    return;
  }
  if (info.isFile()) {
    out.push(input);
    return;
  }
  const entries = await readdir(input, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    if (out.length >= MAX_FILES) return;
    const full = join(input, e.name);
    if (e.isDirectory()) await listFiles(full, out, skipped);
    else {
      const why = skipReason(e.name);
      if (why) skipped.push([full, why]);
      else out.push(full);
    }
  }
}

export async function run(args: string[]): Promise<number> {
  const { rules: rulePaths, inputs } = parseArgs(args);
  if (!rulePaths.length || !inputs.length) {
    process.stderr.write('usage: haechi scan --rules PATH... FILE_OR_DIR...\n');
    return 2;
  }
  const started = performance.now();
  const loaded = await loadRules(rulePaths);
  const loadMs = performance.now() - started;
  for (const p of loaded.problems) {
    process.stderr.write(
      `rule rejected: ${p.file}:${p.line ?? 0}:${p.column ?? 0}: ${p.message}\n`,
    );
  }
  if (loaded.rules.length === 0) {
    process.stderr.write(
      `no rule loaded from ${rulePaths.join(', ')}: nothing to match; check the --rules paths\n`,
    );
    return 1;
  }
  const engine = new SigmaEngine(loaded.rules);
  const files: string[] = [];
  const skipped: [string, string][] = [];
  for (const i of inputs) await listFiles(i, files, skipped);
  for (const [f, why] of skipped) process.stderr.write(`skipped: ${f}: ${why}\n`);

  const t0 = performance.now();
  const totals = { events: 0, matches: 0, errors: 0 };
  for (const file of files) {
    try {
      await scanFile(file, engine, totals);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      process.stderr.write(`skipped: ${file}: cannot read (${code ?? (err as Error).message})\n`);
    }
  }
  for (const m of engine.flush()) emit(m, '', 0, totals);
  const secs = (performance.now() - t0) / 1000;
  const eps = secs > 0 ? Math.round(totals.events / secs) : totals.events;
  process.stderr.write(
    `files: ${files.length}, skipped: ${skipped.length}, events: ${totals.events}, bad records: ${totals.errors}, ` +
      `rules loaded: ${loaded.rules.length}, rules rejected: ${loaded.problems.length}, ` +
      `matches: ${totals.matches}, rule load: ${(loadMs / 1000).toFixed(2)} s, scan time: ${secs.toFixed(2)} s, events/s: ${eps}\n`,
  );
  return 0;
}

async function scanFile(
  file: string,
  engine: SigmaEngine,
  totals: { events: number; matches: number; errors: number },
) {
  const size = (await stat(file)).size;
  if (size > MAX_FILE_BYTES) {
    process.stderr.write(`skipped: ${file}: larger than ${MAX_FILE_BYTES} bytes\n`);
    return;
  }
  const bytes = await readFile(file);
  if (bytes.subarray(0, 8192).includes(0)) {
    process.stderr.write(`skipped: ${file}: binary data, not a JSON or NDJSON event file\n`);
    return;
  }
  const text = bytes.toString('utf8');
  for (const rec of readEventText(text, { file })) {
    if (rec.error) {
      totals.errors++;
      process.stderr.write(`${file}: ${rec.error}\n`);
      continue;
    }
    totals.events++;
    for (const m of engine.match(rec.event!)) emit(m, file, rec.record, totals);
  }
}

function emit(m: RuleMatch, file: string, record: number, totals: { matches: number }): void {
  totals.matches++;
  const line: Record<string, unknown> = {
    ruleId: m.ruleId,
    ruleTitle: m.ruleTitle,
    level: m.level,
    file,
    record,
  };
  if (m.correlation) line.correlation = m.correlation;
  line.selections = m.selections;
  process.stdout.write(JSON.stringify(line) + '\n');
}
