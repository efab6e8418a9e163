// `haechi redact IN --out OUT [--operator TYPE=OP[:N],...] [--passphrase-file F | --key-file F | --keychain DATA_DIR]
// [--types T,...] [--names] [--in-place]`: writes a redacted copy of a file or of every file in a
// folder, in the input's format (a PDF gives a redacted text export). Default operator: encrypt
// when a key is given, else replace with the type's tag.
import { KEYCHAIN_HELP, parseCli, keysArg, typesArg, wantsHelp } from '../pii/cliargs';
import { redactPath } from '../pii/files';
import { parseOperators, Redactor } from '../pii/operators';

const USAGE =
  'usage: haechi redact IN (--out OUT | --in-place) [--operator TYPE=OP[:N],...] [--passphrase-file F | --key-file F | --keychain DATA_DIR] [--types T,...] [--names]';

export async function run(args: string[]): Promise<number> {
  if (wantsHelp(args)) {
    process.stdout.write(`${USAGE}\n${KEYCHAIN_HELP}\n`);
    return 0;
  }
  const cli = parseCli(
    args,
    ['--out', '--operator', '--passphrase-file', '--key-file', '--keychain', '--types'],
    ['--in-place', '--names'],
  );
  const out = cli.values.get('--out');
  const inPlace = cli.flags.has('--in-place');
  if (cli.positional.length !== 1 || (!out && !inPlace) || (out && inPlace)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const redactor = new Redactor(
    parseOperators(cli.values.get('--operator') ?? ''),
    keysArg(cli, true),
  );
  const scan = { types: typesArg(cli.values.get('--types')), names: cli.flags.has('--names') };
  const outcomes = await redactPath(cli.positional[0], inPlace ? undefined : out, redactor, scan);
  for (const o of outcomes) {
    if (o.error) process.stderr.write(`haechi redact: ${o.error}\n`);
    else
      process.stderr.write(
        `haechi redact: ${o.input} -> ${o.output}: ${o.count} values redacted\n`,
      );
    for (const w of o.warnings) process.stderr.write(`haechi redact: ${o.input}: ${w}\n`);
  }
  return outcomes.some((o) => o.error) ? 1 : 0;
}
