// The workstation key: a random 32-byte PII key made on first use and kept in the data folder
// sealed by the app's SecretBox (Electron: the system keychain through safeStorage; console and
// CLI: the 0600 key file secret.key). Whoever runs Haechi on this data folder can decrypt what it
// encrypted, without a passphrase. The key itself is never logged nor returned by the API.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { logger } from '../log';
import { KeyError, KeyRing } from './keys';

const log = logger('pii');
export const SEALED_KEY_FILE = 'pii-key.sealed';

/** The part of the app's SecretBox (src/main/response/secrets.ts) the PII key needs. */
export interface Sealer {
  readonly kind: string;
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

interface SealedKey {
  version: 1;
  /** The SecretBox kind that sealed it, so a mismatch is named instead of failing blindly. */
  box: string;
  sealed: string;
}

function readSealed(file: string): SealedKey {
  let parsed: Partial<SealedKey>;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<SealedKey>;
  } catch (err) {
    throw new KeyError(
      `${file}: the sealed workstation key cannot be read: ${(err as Error).message}`,
    );
  }
  if (parsed.version !== 1 || typeof parsed.box !== 'string' || typeof parsed.sealed !== 'string')
    throw new KeyError(`${file}: not a sealed workstation key (version 1 with box and sealed)`);
  return parsed as SealedKey;
}

function unseal(file: string, entry: SealedKey, box: Sealer): Buffer {
  if (entry.box !== box.kind)
    throw new KeyError(
      `${file}: the workstation key was sealed by ${entry.box}, this Haechi opens ${box.kind} ` +
        '(a key sealed by the desktop app can only be used by the desktop app)',
    );
  let key: Buffer;
  try {
    key = Buffer.from(box.decrypt(entry.sealed), 'base64');
  } catch (err) {
    throw new KeyError(
      `${file}: the workstation key cannot be unsealed: ${(err as Error).message}`,
    );
  }
  if (key.length !== 32) throw new KeyError(`${file}: the workstation key is not 32 bytes`);
  return key;
}

/** Seal a new random key into `file`; if another process made one first, use that one. */
function create(file: string, box: Sealer): void {
  const entry: SealedKey = {
    version: 1,
    box: box.kind,
    sealed: box.encrypt(randomBytes(32).toString('base64')),
  };
  try {
    writeFileSync(file, JSON.stringify(entry) + '\n', { mode: 0o600, flag: 'wx' });
    log.info(`workstation PII key created in ${file} (sealed by ${box.kind})`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

/**
 * The workstation key of `dataDir` as a KeyRing. `create: false` (decrypting) refuses a data
 * folder that has no key yet instead of making one that cannot decrypt anything.
 */
export function workstationKey(
  dataDir: string,
  sealer: Sealer | (() => Sealer),
  opts: { create: boolean },
): KeyRing {
  const file = path.join(dataDir, SEALED_KEY_FILE);
  if (!existsSync(dataDir)) throw new KeyError(`${dataDir}: no such data folder`);
  const exists = existsSync(file);
  if (!exists && !opts.create)
    throw new KeyError(
      `${dataDir} has no workstation key yet (${SEALED_KEY_FILE}): nothing was encrypted with it`,
    );
  const box = typeof sealer === 'function' ? sealer() : sealer;
  if (!exists) {
    create(file, box);
  }
  const key = unseal(file, readSealed(file), box);
  return KeyRing.fromKey(key, `the workstation key of ${dataDir}`);
}
