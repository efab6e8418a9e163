// `haechi pii scan FILE_OR_DIR... [--types T,...] [--names] [--min-score N] [--report-json F]
// [--report-csv F]`: one JSON object per finding on stdout,
// {"file","part","type","start","end","score"}; offsets are in that part's text (for plain text,
// the file's text). Files that cannot be read are named on stderr with the reason; the rest go on.
import { writeFileSync } from 'node:fs';
import type { PiiScanResult } from '../../shared/api/pii';
import { reportCsv, scanBatch } from '../pii/batch';
import { parseCli, typesArg, wantsHelp } from '../pii/cliargs';

const USAGE =
  'usage: haechi pii scan FILE_OR_DIR... [--types T,...] [--names] [--min-score N] [--report-json F] [--report-csv F]';

function findingLines(result: PiiScanResult): string {
  const lines: string[] = [];
  for (const part of result.parts) {
    for (const f of part.findings) {
      lines.push(
        JSON.stringify({
          file: result.name,
          part: part.part,
          type: f.type,
          start: f.start,
          end: f.end,
          score: f.score,
        }),
      );
    }
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

export async function run(args: string[]): Promise<number> {
  if (wantsHelp(args)) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args[0] !== 'scan') {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const cli = parseCli(
    args.slice(1),
    ['--types', '--min-score', '--report-json', '--report-csv'],
    ['--names'],
  );
  if (cli.positional.length === 0) {
    process.stderr.write(`haechi pii scan: no FILE_OR_DIR given\n${USAGE}\n`);
    return 2;
  }
  // A closed pipe (`| head`) ends the output quietly.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
  });
  const minScore = cli.values.has('--min-score')
    ? Number(cli.values.get('--min-score'))
    : undefined;
  if (minScore !== undefined && !(minScore >= 0 && minScore <= 1))
    throw new Error('--min-score must be between 0 and 1');
  const scan = {
    types: typesArg(cli.values.get('--types')),
    names: cli.flags.has('--names'),
    minScore,
  };
  const report = await scanBatch(cli.positional, {
    scan,
    onResult: (r) => process.stdout.write(findingLines(r)),
  });
  for (const f of report.files)
    for (const e of f.errors) process.stderr.write(`haechi pii: ${e}\n`);
  const json = cli.values.get('--report-json');
  if (json) writeFileSync(json, JSON.stringify(report, null, 2) + '\n');
  const csv = cli.values.get('--report-csv');
  if (csv) writeFileSync(csv, reportCsv(report));
  return report.failed > 0 ? 1 : 0;
}
