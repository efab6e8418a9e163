// `haechi decrypt IN --out OUT (--passphrase-file F | --key-file F | --keychain DATA_DIR) [--in-place]`: restores the
// values `haechi redact` encrypted (and, for e-mail, the exact original parts).
import { KEYCHAIN_HELP, keysArg, parseCli, wantsHelp } from '../pii/cliargs';
import { decryptPath } from '../pii/files';

const USAGE =
  'usage: haechi decrypt IN (--out OUT | --in-place) (--passphrase-file F | --key-file F | --keychain DATA_DIR)';

export async function run(args: string[]): Promise<number> {
  if (wantsHelp(args)) {
    process.stdout.write(`${USAGE}\n${KEYCHAIN_HELP}\n`);
    return 0;
  }
  const cli = parseCli(
    args,
    ['--out', '--passphrase-file', '--key-file', '--keychain'],
    ['--in-place'],
  );
  const out = cli.values.get('--out');
  const inPlace = cli.flags.has('--in-place');
  const keys = keysArg(cli);
  if (cli.positional.length !== 1 || (!out && !inPlace) || (out && inPlace) || !keys) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const outcomes = await decryptPath(cli.positional[0], inPlace ? undefined : out, keys);
  for (const o of outcomes) {
    if (o.error) process.stderr.write(`haechi decrypt: ${o.error}\n`);
    else
      process.stderr.write(
        `haechi decrypt: ${o.input} -> ${o.output}: ${o.count} values restored\n`,
      );
  }
  return outcomes.some((o) => o.error) ? 1 : 0;
}
