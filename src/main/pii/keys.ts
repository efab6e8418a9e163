// Keys for the hash and encrypt operators: from a passphrase (scrypt) or from a key file of 32
// bytes (raw, hex or base64), or the workstation key (keychain.ts: random, sealed by the app's
// SecretBox). Encryption is AES-256-GCM; each redaction run draws a fresh salt, carried in every
// token so that decrypt can derive the same key.
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  scryptSync,
} from 'node:crypto';

const VERSION = 1;
const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export class KeyError extends Error {}

export class KeyRing {
  private readonly derived = new Map<string, Buffer>();
  private readonly salt = randomBytes(16);
  private hashKeyCache?: Buffer;

  private constructor(
    private readonly secret: Buffer,
    private readonly fromPassphrase: boolean,
    /** Names the key in errors (never the key itself), e.g. "the workstation key of /data". */
    private readonly label?: string,
  ) {}

  static fromPassphrase(passphrase: string): KeyRing {
    if (passphrase.length < 8)
      throw new KeyError('passphrase too short: use at least 8 characters');
    return new KeyRing(Buffer.from(passphrase.normalize('NFC'), 'utf8'), true);
  }

  /** A key file holds 32 bytes: raw, 64 hex digits or base64. */
  static fromKeyFile(content: Buffer): KeyRing {
    const text = content.toString('utf8').trim();
    let key: Buffer | undefined;
    if (/^[0-9a-fA-F]{64}$/.test(text)) key = Buffer.from(text, 'hex');
    else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) key = Buffer.from(text, 'base64');
    else if (content.length === 32) key = content;
    if (!key || key.length !== 32)
      throw new KeyError('key file must hold 32 bytes (raw, 64 hex digits or base64)');
    return new KeyRing(key, false);
  }

  /** A raw 32-byte key, named by `label` in errors. */
  static fromKey(key: Buffer, label: string): KeyRing {
    if (key.length !== 32) throw new KeyError(`${label} must be 32 bytes`);
    return new KeyRing(Buffer.from(key), false, label);
  }

  private keyFor(salt: Buffer): Buffer {
    const id = salt.toString('hex');
    let key = this.derived.get(id);
    if (!key) {
      key = this.fromPassphrase
        ? scryptSync(this.secret, salt, 32, SCRYPT)
        : Buffer.from(hkdfSync('sha256', this.secret, salt, 'haechi-pii-encrypt', 32));
      this.derived.set(id, key);
    }
    return key;
  }

  /** Stable keyed pseudonym: the same value and key give the same hash in every document. */
  pseudonym(type: string, value: string): string {
    if (!this.hashKeyCache) {
      const salt = Buffer.from('haechi-pii-hash-v1');
      this.hashKeyCache = this.fromPassphrase
        ? scryptSync(this.secret, salt, 32, SCRYPT)
        : Buffer.from(hkdfSync('sha256', this.secret, salt, 'haechi-pii-hash', 32));
    }
    return createHmac('sha256', this.hashKeyCache)
      .update(`${type}\u0000${value}`)
      .digest('hex')
      .slice(0, 16);
  }

  /** AES-256-GCM over value; the type is bound as associated data. Returns base64url. */
  encrypt(type: string, value: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keyFor(this.salt), iv);
    cipher.setAAD(Buffer.from(type));
    const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    const out = Buffer.concat([Buffer.from([VERSION]), this.salt, iv, cipher.getAuthTag(), body]);
    return out.toString('base64url');
  }

  /** Reverse of encrypt; throws KeyError when the key is wrong or the token was altered. */
  decrypt(type: string, token: string): string {
    const raw = Buffer.from(token.replace(/\s+/g, ''), 'base64url');
    if (raw.length < 45 || raw[0] !== VERSION) throw new KeyError('not a Haechi encryption token');
    const decipher = createDecipheriv(
      'aes-256-gcm',
      this.keyFor(raw.subarray(1, 17)),
      raw.subarray(17, 29),
    );
    decipher.setAAD(Buffer.from(type));
    decipher.setAuthTag(raw.subarray(29, 45));
    try {
      return Buffer.concat([decipher.update(raw.subarray(45)), decipher.final()]).toString('utf8');
    } catch {
      if (this.label)
        throw new KeyError(
          `cannot decrypt with ${this.label}: the values were encrypted with another key ` +
            '(another data folder, a passphrase or a key file), or the token was altered',
        );
      throw new KeyError('cannot decrypt: wrong passphrase or key, or the token was altered');
    }
  }
}
