// The workstation key: made on first use, sealed by the data folder's SecretBox, usable through
// the API (`key: 'keychain'`) and the CLI (`--keychain DATA_DIR`); another folder's key fails
// with a message that says so.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { piiHandlers } from '../../src/main/pii/handlers';
import { SEALED_KEY_FILE, workstationKey, type Sealer } from '../../src/main/pii/keychain';
import { KeyFileSecretBox } from '../../src/main/response/secrets';
import { EMAILS, hasEmails } from './helpers';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'haechi-keychain-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const memo = '고객 김민수 주민등록번호 800101-1234567이고 메일 minsu@example.com\n';

function dataDir(name: string): string {
  const d = path.join(dir, name);
  mkdirSync(d, { recursive: true });
  return d;
}

function handlersFor(d: string) {
  const box = () => new KeyFileSecretBox(path.join(d, 'secret.key'));
  return piiHandlers({ workstationKey: (create) => workstationKey(d, box, { create }) });
}

async function haechi(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', ['bin/haechi.mjs', ...args], { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the workstation key through the API', () => {
  const a = dataDir('a');
  const b = dataDir('b');
  const base64 = Buffer.from(memo).toString('base64');

  it('encrypts with the key made on first use and decrypts to the exact original', async () => {
    const api = handlersFor(a);
    const red = await api.piiRedact({
      name: 'memo.txt',
      base64,
      operators: { '*': 'encrypt' },
      rejected: [],
      key: 'keychain',
    });
    const redacted = Buffer.from(red.base64, 'base64').toString();
    expect(red.redacted).toBe(2);
    expect(redacted).not.toContain('minsu@example.com');
    expect(redacted).not.toContain('800101-1234567');
    expect(redacted).toMatch(
      /^고객 김민수 주민등록번호 \[ENC:KR_RRN:[\w-]+\]이고 메일 \[ENC:EMAIL_ADDRESS:[\w-]+\]\n$/,
    );

    const sealedFile = path.join(a, SEALED_KEY_FILE);
    expect(statSync(sealedFile).mode & 0o777).toBe(0o600);
    const sealed = JSON.parse(readFileSync(sealedFile, 'utf8')) as { box: string; sealed: string };
    expect(sealed.box).toBe('aes-256-gcm-keyfile');
    expect(sealed.sealed.startsWith('hgcm1:')).toBe(true);

    // A second handler set (the app restarted) reads the same key back.
    const back = await handlersFor(a).piiDecrypt({
      name: red.name,
      base64: red.base64,
      key: 'keychain',
    });
    expect(back.restored).toBe(2);
    expect(Buffer.from(back.base64, 'base64').toString()).toBe(memo);

    // Another data folder: none yet, then a key of its own that cannot open a's values.
    await expect(
      handlersFor(b).piiDecrypt({ name: red.name, base64: red.base64, key: 'keychain' }),
    ).rejects.toThrow(
      `${b} has no workstation key yet (pii-key.sealed): nothing was encrypted with it`,
    );
    await handlersFor(b).piiRedact({
      name: 'x.txt',
      base64,
      operators: {},
      rejected: [],
      key: 'keychain',
    });
    await expect(
      handlersFor(b).piiDecrypt({ name: red.name, base64: red.base64, key: 'keychain' }),
    ).rejects.toThrow(
      `cannot decrypt with the workstation key of ${b}: the values were encrypted with another key (another data folder, a passphrase or a key file), or the token was altered`,
    );
  });

  it('refuses both a passphrase and the keychain, and decrypting with neither', async () => {
    const api = handlersFor(a);
    await expect(
      api.piiRedact({
        name: 'memo.txt',
        base64,
        operators: {},
        rejected: [],
        key: 'keychain',
        passphrase: 'correct horse battery',
      }),
    ).rejects.toThrow('give a passphrase or key: keychain, not both');
    await expect(api.piiDecrypt({ name: 'memo.txt', base64 })).rejects.toThrow(
      'decrypting needs a passphrase or key: keychain',
    );
  });

  it('names the box that sealed the key when another box is asked to open it', () => {
    const desktop: Sealer = {
      kind: 'electron-safe-storage',
      encrypt: (p) => `x${p}`,
      decrypt: (s) => s.slice(1),
    };
    expect(() => workstationKey(a, desktop, { create: true })).toThrow(
      `${path.join(a, SEALED_KEY_FILE)}: the workstation key was sealed by aes-256-gcm-keyfile, this Haechi opens electron-safe-storage (a key sealed by the desktop app can only be used by the desktop app)`,
    );
  });
});

describe.skipIf(!hasEmails)(
  'haechi redact/decrypt --keychain (skipped: ../shared/data/emails absent)',
  () => {
    const mail = path.join(EMAILS, 'mail/emails/multi_charset/ks_c_5601-1987.eml');

    it('round-trips a real EUC-KR e-mail with the workstation key; another folder fails clearly', async () => {
      const a = dataDir('cli-a');
      const b = dataDir('cli-b');
      const red = path.join(dir, 'ks.redacted.eml');
      const back = path.join(dir, 'ks.decrypted.eml');
      const out = await haechi([
        'redact',
        mail,
        '--out',
        red,
        '--keychain',
        a,
        '--operator',
        '*=encrypt',
      ]);
      expect(out.stderr).toMatch(/ -> .*ks\.redacted\.eml: [1-9]\d* values redacted\n$/);
      expect(out.code).toBe(0);
      expect(readFileSync(red).equals(readFileSync(mail))).toBe(false);

      const ok = await haechi(['decrypt', red, '--out', back, '--keychain', a]);
      expect(ok.code).toBe(0);
      expect(readFileSync(back).equals(readFileSync(mail))).toBe(true);

      const none = await haechi(['decrypt', red, '--out', back, '--keychain', b]);
      expect(none.code).toBe(1);
      expect(none.stderr).toContain(
        `--keychain ${b}: ${b} has no workstation key yet (pii-key.sealed): nothing was encrypted with it`,
      );
      writeFileSync(path.join(dir, 'n.txt'), 'mail me at someone@example.org\n');
      const made = await haechi([
        'redact',
        path.join(dir, 'n.txt'),
        '--out',
        path.join(dir, 'n.red.txt'),
        '--keychain',
        b,
      ]);
      expect(made.code).toBe(0);
      const wrong = await haechi([
        'decrypt',
        red,
        '--out',
        path.join(dir, 'wrong.eml'),
        '--keychain',
        b,
      ]);
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toContain(`cannot decrypt with the workstation key of ${b}`);
      expect(wrong.stderr).not.toContain('someone@example.org');
    });

    it('prints --keychain in the usage', async () => {
      const help = await haechi(['redact', '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(
        '--keychain DATA_DIR  use the workstation key of a console data folder',
      );
    });
  },
);
