// `haechi decrypt IN --out OUT (--passphrase-file F | --key-file F | --keychain DATA_DIR) [--in-place]`: restores the
// values `haechi redact` encrypted (and, for e-mail, the exact original parts).
import { inOutArgs, keysArg, reportOutcomes } from '../pii/cliargs';
import { decryptPath } from '../pii/files';

const USAGE =
  'usage: haechi decrypt IN (--out OUT | --in-place) (--passphrase-file F | --key-file F | --keychain DATA_DIR)';

export async function run(args: string[]): Promise<number> {
  const parsed = inOutArgs(
    args,
    USAGE,
    ['--passphrase-file', '--key-file', '--keychain'],
    [],
    (cli) => keysArg(cli),
  );
  if (typeof parsed === 'number') return parsed;
  const { input, out, needed: keys } = parsed;
  return reportOutcomes('decrypt', 'restored', await decryptPath(input, out, keys));
}
