// Enforcer credentials, encrypted at rest. The app injects a SecretBox over Electron's
// safeStorage; console and CLI modes use AES-256-GCM with a key file readable by the user only.
// Plain values live only in memory, for the call that needs them, and are never logged.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { ResponseStore } from './types';

export interface SecretBox {
  readonly kind: string;
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

const PREFIX = 'hgcm1:';

/** AES-256-GCM with a 32-byte key kept in a file of mode 0600 (created when absent). */
export class KeyFileSecretBox implements SecretBox {
  readonly kind = 'aes-256-gcm-keyfile';
  private readonly key: Buffer;

  constructor(keyFile: string) {
    if (!existsSync(keyFile)) writeFileSync(keyFile, randomBytes(32), { mode: 0o600, flag: 'wx' });
    const mode = statSync(keyFile).mode & 0o777;
    if (mode & 0o077) {
      throw new Error(
        `secret key file ${keyFile} has mode ${mode.toString(8)}; run chmod 600 on it`,
      );
    }
    this.key = readFileSync(keyFile);
    if (this.key.length !== 32)
      throw new Error(`secret key file ${keyFile} must hold 32 bytes, it holds ${this.key.length}`);
    chmodSync(keyFile, 0o600);
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  decrypt(sealed: string): string {
    if (!sealed.startsWith(PREFIX)) throw new Error('secret is not sealed by this key file box');
    const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    try {
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('secret cannot be decrypted with this key (wrong key or tampered value)');
    }
  }
}

/** Electron's safeStorage shape; the app passes `electron.safeStorage` (only ipc/index import it). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(sealed: Buffer): string;
}

export function safeStorageBox(safe: SafeStorageLike): SecretBox {
  if (!safe.isEncryptionAvailable())
    throw new Error('safeStorage encryption is not available on this system');
  return {
    kind: 'electron-safe-storage',
    encrypt: (plain) => safe.encryptString(plain).toString('base64'),
    decrypt: (sealed) => safe.decryptString(Buffer.from(sealed, 'base64')),
  };
}

export const CREDENTIAL_MIGRATIONS = [
  'CREATE TABLE IF NOT EXISTS response_credentials (name TEXT PRIMARY KEY, sealed TEXT NOT NULL, updated_at INTEGER NOT NULL)',
];

/** Named credentials for enforcer configs (`secret: NAME`), sealed in the store. */
export class Credentials {
  constructor(
    private readonly store: ResponseStore,
    private readonly box: SecretBox,
  ) {}

  set(name: string, plain: string): void {
    const sealed = this.box.encrypt(plain);
    this.store.run(
      'INSERT OR REPLACE INTO response_credentials (name, sealed, updated_at) VALUES (?, ?, ?)',
      [name, sealed, Date.now()],
    );
  }

  get(name: string): string {
    const row = this.store.get<{ sealed: string }>(
      'SELECT sealed FROM response_credentials WHERE name = ?',
      [name],
    );
    if (!row) throw new Error(`credential "${name}" is not set`);
    return this.box.decrypt(row.sealed);
  }

  names(): string[] {
    return this.store
      .all<{ name: string }>('SELECT name FROM response_credentials ORDER BY name')
      .map((r) => r.name);
  }
}
