// `haechi redact IN --out OUT [--operator TYPE=OP[:N],...] [--passphrase-file F | --key-file F | --keychain DATA_DIR]
// [--types T,...] [--names] [--in-place]`: writes a redacted copy of a file or of every file in a
// folder, in the input's format (a PDF gives a redacted text export). Default operator: encrypt
// when a key is given, else replace with the type's tag.
import { inOutArgs, keysArg, reportOutcomes, typesArg } from '../pii/cliargs';
import { redactPath } from '../pii/files';
import { parseOperators, Redactor } from '../pii/operators';

const USAGE =
  'usage: haechi redact IN (--out OUT | --in-place) [--operator TYPE=OP[:N],...] [--passphrase-file F | --key-file F | --keychain DATA_DIR] [--types T,...] [--names]';

export async function run(args: string[]): Promise<number> {
  const parsed = inOutArgs(
    args,
    USAGE,
    ['--operator', '--passphrase-file', '--key-file', '--keychain', '--types'],
    ['--names'],
  );
  if (typeof parsed === 'number') return parsed;
  const { cli, input, out } = parsed;
  const redactor = new Redactor(
    parseOperators(cli.values.get('--operator') ?? ''),
    keysArg(cli, true),
  );
  const scan = { types: typesArg(cli.values.get('--types')), names: cli.flags.has('--names') };
  return reportOutcomes('redact', 'redacted', await redactPath(input, out, redactor, scan));
}
