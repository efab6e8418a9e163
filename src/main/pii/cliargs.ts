// Argument parsing shared by `haechi pii scan`, `haechi redact` and `haechi decrypt`, and the
// per-file report of the last two.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { KeyFileSecretBox } from '../response/secrets';
import { checkTypes } from './analyzer';
import type { FileOutcome } from './files';
import { workstationKey } from './keychain';
import { KeyRing } from './keys';

export interface CliArgs {
  positional: string[];
  flags: Set<string>;
  values: Map<string, string>;
}

/** Split args into positionals, `--flag`s and `--name VALUE` pairs; unknown options are errors. */
export function parseCli(args: string[], valued: string[], flags: string[]): CliArgs {
  const out: CliArgs = { positional: [], flags: new Set(), values: new Map() };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) out.positional.push(arg);
    else if (flags.includes(arg)) out.flags.add(arg);
    else if (valued.includes(arg)) {
      const value = args[++i];
      if (value === undefined) throw new Error(`${arg} needs a value`);
      out.values.set(arg, value);
    } else throw new Error(`unknown option ${arg}`);
  }
  return out;
}

export function typesArg(value: string | undefined): string[] | undefined {
  if (!value) return undefined;
  const types = value
    .split(',')
    .map((t) => t.trim().toUpperCase())
    .filter(Boolean);
  checkTypes(types);
  return types;
}

/** True when the user asked for the usage (`--help`, `-h`). */
export function wantsHelp(args: string[]): boolean {
  return args.includes('--help') || args.includes('-h');
}

/** Read a key or passphrase file, or say which option's file could not be read and why. */
function readKeyFile(option: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'a folder' : e.message;
    throw new Error(`${option} ${file}: cannot read: ${why}`);
  }
}

/** Run `make`, naming the option and its file in the error it throws. */
function named<T>(option: string, file: string, make: () => T): T {
  try {
    return make();
  } catch (err) {
    throw new Error(`${option} ${file}: ${(err as Error).message}`);
  }
}

export const KEYCHAIN_HELP =
  '  --keychain DATA_DIR  use the workstation key of a console data folder (`haechi serve --data\n' +
  '                       DATA_DIR`): a random key made on first redaction, kept sealed by\n' +
  '                       DATA_DIR/secret.key; a key sealed by the desktop app stays in the app';

/** The workstation key of a data folder, sealed by its secret.key (console and CLI mode). */
function keychainArg(dataDir: string, create: boolean): KeyRing {
  const box = () => new KeyFileSecretBox(path.join(dataDir, 'secret.key'));
  return named('--keychain', dataDir, () => workstationKey(dataDir, box, { create }));
}

/** The key from --passphrase-file (first line), --key-file or --keychain DATA_DIR; undefined when
 * none is given. `create`: make the workstation key when the data folder has none (redact). */
export function keysArg(cli: CliArgs, create = false): KeyRing | undefined {
  const passFile = cli.values.get('--passphrase-file');
  const keyFile = cli.values.get('--key-file');
  const keychain = cli.values.get('--keychain');
  if ([passFile, keyFile, keychain].filter(Boolean).length > 1)
    throw new Error('give one of --passphrase-file, --key-file or --keychain');
  if (keychain) return keychainArg(keychain, create);
  if (passFile) {
    const text = readKeyFile('--passphrase-file', passFile).toString('utf8').split(/\r?\n/)[0];
    return named('--passphrase-file', passFile, () => KeyRing.fromPassphrase(text));
  }
  if (keyFile) {
    const bytes = readKeyFile('--key-file', keyFile);
    return named('--key-file', keyFile, () => KeyRing.fromKeyFile(bytes));
  }
  return undefined;
}

export interface InOutArgs<T> {
  cli: CliArgs;
  input: string;
  /** undefined: in place. */
  out: string | undefined;
  /** What `need` gave. */
  needed: T;
}

/** `IN (--out OUT | --in-place)` with the command's own options: the usage on stdout and 0 for
 * `--help`, on stderr and 2 for another shape or when `need` (run right after parsing) gives
 * nothing. */
export function inOutArgs<T = true>(
  args: string[],
  usage: string,
  valued: string[],
  flags: string[],
  need: (cli: CliArgs) => T | undefined = () => true as T,
): InOutArgs<T> | number {
  if (wantsHelp(args)) {
    process.stdout.write(`${usage}\n${KEYCHAIN_HELP}\n`);
    return 0;
  }
  const cli = parseCli(args, ['--out', ...valued], ['--in-place', ...flags]);
  const out = cli.values.get('--out');
  const inPlace = cli.flags.has('--in-place');
  const needed = need(cli);
  if (cli.positional.length !== 1 || (!out && !inPlace) || (out && inPlace) || !needed) {
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  return { cli, input: cli.positional[0], out: inPlace ? undefined : out, needed };
}

/** One stderr line per file (`verb` its values, or its error) and its warnings; 1 when any failed. */
export function reportOutcomes(verb: string, done: string, outcomes: FileOutcome[]): number {
  for (const o of outcomes) {
    if (o.error) process.stderr.write(`haechi ${verb}: ${o.error}\n`);
    else
      process.stderr.write(
        `haechi ${verb}: ${o.input} -> ${o.output}: ${o.count} values ${done}\n`,
      );
    for (const w of o.warnings) process.stderr.write(`haechi ${verb}: ${o.input}: ${w}\n`);
  }
  return outcomes.some((o) => o.error) ? 1 : 0;
}
