import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { reportCsv, scanBatch } from '../../src/main/pii/batch';
import { piiHandlers } from '../../src/main/pii/handlers';
import { EMAILS, hasEmails } from './helpers';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'haechi-pii-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const memo = '고객 김민수 주민등록번호 800101-1234567이고 메일 minsu@example.com\n';
const rrnAt = memo.indexOf('800101');
const mailAt = memo.indexOf('minsu@');

async function haechi(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', ['bin/haechi.mjs', ...args], {
      cwd: root,
      env: { ...process.env, HAECHI_LOG: 'debug' },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('haechi pii scan / redact / decrypt', () => {
  it('prints one JSON line per finding with offsets in the file text, and no value reaches stderr', async () => {
    const file = path.join(dir, 'memo.txt');
    writeFileSync(file, memo);
    const out = await haechi(['pii', 'scan', file, path.join(dir, 'missing.txt')]);
    expect(out.code).toBe(1);
    expect(
      out.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([
      { file, part: 'text', type: 'KR_RRN', start: rrnAt, end: rrnAt + 14, score: 0.85 },
      { file, part: 'text', type: 'EMAIL_ADDRESS', start: mailAt, end: mailAt + 17, score: 1 },
    ]);
    expect(out.stderr).toContain(
      `haechi pii: ${path.join(dir, 'missing.txt')}: no such file or directory\n`,
    );
    expect(out.stderr).not.toMatch(/800101|minsu@/);
  });

  it('redacts with per-type operators, refuses to overwrite the input, and decrypts back', async () => {
    const file = path.join(dir, 'memo2.txt');
    const pass = path.join(dir, 'pass');
    writeFileSync(file, memo);
    writeFileSync(pass, 'correct horse battery\n');
    const same = await haechi(['redact', file, '--out', file]);
    expect(same.stderr).toBe(
      `haechi redact: ${file}: --out is the input itself; use --in-place to overwrite it (a .bak copy is kept)\n`,
    );
    const red = await haechi([
      'redact',
      file,
      '--out',
      `${file}.red`,
      '--operator',
      'EMAIL_ADDRESS=mask:3,*=encrypt',
      '--passphrase-file',
      pass,
    ]);
    expect(red.code).toBe(0);
    const text = readFileSync(`${file}.red`, 'utf8');
    expect(text).toMatch(
      /^고객 김민수 주민등록번호 \[ENC:KR_RRN:[A-Za-z0-9_-]+\]이고 메일 \*\*\*\*\*@\*\*\*\*\*\*\*\.com\n$/,
    );
    const back = await haechi([
      'decrypt',
      `${file}.red`,
      '--out',
      `${file}.back`,
      '--passphrase-file',
      pass,
    ]);
    expect(back.stderr).toContain('1 values restored');
    expect(readFileSync(`${file}.back`, 'utf8')).toBe(
      memo.replace('minsu@example.com', '*****@*******.com'),
    );
    expect(readFileSync(file, 'utf8')).toBe(memo);
  });

  it('in place, keeps a backup of the original', async () => {
    const file = path.join(dir, 'memo3.txt');
    writeFileSync(file, memo);
    const out = await haechi(['redact', file, '--in-place']);
    expect(out.code).toBe(0);
    expect(readFileSync(`${file}.bak`, 'utf8')).toBe(memo);
    expect(readFileSync(file, 'utf8')).toBe(
      '고객 김민수 주민등록번호 [KR_RRN]이고 메일 [EMAIL_ADDRESS]\n',
    );
  });
});

describe.skipIf(!hasEmails)('folder scans (skipped: ../shared/data/emails absent)', () => {
  it('reports progress for every file and stops when cancelled', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const report = await scanBatch([EMAILS], {
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(p.done);
        expect(p.total).toBe(81);
        if (p.done === 5) controller.abort();
      },
    });
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(report.cancelled).toBe(true);
    expect(report.files.length).toBe(5);
  });

  it('writes a CSV of counts per file and type without any value', async () => {
    const file = path.join(EMAILS, 'mail/emails/plain_emails/raw_email_bad_time.eml');
    const report = await scanBatch([file]);
    expect(reportCsv(report)).toBe(
      `file,kind,type,count\n${file},email,EMAIL_ADDRESS,7\n${file},email,IP_ADDRESS,2\n${file},email,URL,5\n`,
    );
  });

  it('serves the folder scan through the API with progress on the progress topic', async () => {
    const events: Array<{ task: string; done: number; total: number }> = [];
    const api = piiHandlers({ emitProgress: (p) => events.push(p) });
    const folder = path.join(EMAILS, 'mailparser');
    const { report, csv } = await api.piiScanFolder({ paths: [folder], task: 't1' });
    expect(report.scanned).toBe(3);
    expect(events.map((e) => `${e.task}:${e.done}/${e.total}`)).toEqual([
      't1:1/3',
      't1:2/3',
      't1:3/3',
    ]);
    expect(csv.split('\n')[0]).toBe('file,kind,type,count');
    expect(await api.piiCancel({ task: 't1' })).toEqual({ cancelled: false });
  });
});

describe('the API handlers', () => {
  it('scan, redact with a rejected finding, and decrypt', async () => {
    const api = piiHandlers();
    const base64 = Buffer.from(memo).toString('base64');
    const scan = await api.piiScan({ name: 'memo.txt', base64 });
    const mail = `text:${mailAt}:${mailAt + 17}`;
    expect(scan.parts[0].findings.map((f) => `${f.part}:${f.start}:${f.end}`)).toEqual([
      `text:${rrnAt}:${rrnAt + 14}`,
      mail,
    ]);
    const red = await api.piiRedact({
      name: 'memo.txt',
      base64,
      operators: { '*': 'encrypt' },
      rejected: [mail],
      passphrase: 'correct horse battery',
    });
    expect(red.name).toBe('memo.redacted.txt');
    expect(red.redacted).toBe(1);
    expect(Buffer.from(red.base64, 'base64').toString()).toContain('minsu@example.com');
    const back = await api.piiDecrypt({
      name: red.name,
      base64: red.base64,
      passphrase: 'correct horse battery',
    });
    expect(Buffer.from(back.base64, 'base64').toString()).toBe(memo);
    expect(existsSync(path.join(dir, 'memo.redacted.txt'))).toBe(false);
  });
});

describe('bad input found by QA', () => {
  // A PNG's signature: the NUL is at offset 8.
  const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex');
  const binaryWhy =
    'binary content (a NUL byte at offset 8): not text, e-mail, .docx or PDF, so not read';

  it('refuses a binary file instead of scanning or "redacting" it as text', async () => {
    const file = path.join(dir, 'photo.dat');
    writeFileSync(file, png);
    const scan = await haechi(['pii', 'scan', file]);
    expect(scan.code).toBe(1);
    expect(scan.stdout).toBe('');
    expect(scan.stderr).toContain(`haechi pii: ${file}: ${binaryWhy}\n`);
    const out = path.join(dir, 'photo.redacted.dat');
    const redact = await haechi(['redact', file, '--out', out]);
    expect(redact.code).toBe(1);
    expect(redact.stderr).toBe(`haechi redact: ${file}: ${binaryWhy}\n`);
    expect(existsSync(out)).toBe(false);
  });

  it('still reads UTF-16 text with a byte-order mark', async () => {
    const file = path.join(dir, 'memo16.txt');
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(memo, 'utf16le')]));
    const scan = await haechi(['pii', 'scan', file, '--types', 'EMAIL_ADDRESS']);
    expect(scan.code).toBe(0);
    expect(JSON.parse(scan.stdout).type).toBe('EMAIL_ADDRESS');
  });

  it('names the option and file of a key that cannot be read, and prints --help on stdout', async () => {
    const missing = path.join(dir, 'no-such-pass');
    const out = await haechi(['decrypt', 'x.txt', '--out', 'y.txt', '--passphrase-file', missing]);
    expect(out.code).toBe(1);
    expect(out.stderr).toBe(
      `haechi decrypt: --passphrase-file ${missing}: cannot read: no such file\n`,
    );
    const short = path.join(dir, 'short-pass');
    writeFileSync(short, 'short\n');
    const weak = await haechi(['redact', 'x.txt', '--out', 'y.txt', '--passphrase-file', short]);
    expect(weak.stderr).toBe(
      `haechi redact: --passphrase-file ${short}: passphrase too short: use at least 8 characters\n`,
    );
    const help = await haechi(['redact', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: haechi redact IN \(--out OUT \| --in-place\)/);
  });

  it('refuses a document whose base64 is not valid instead of scanning garbage', async () => {
    const api = piiHandlers();
    await expect(api.piiScan({ name: 'a.txt', base64: '!!!notbase64***' })).rejects.toThrow(
      "a.txt: the document's base64 is not valid (character 1)",
    );
    await expect(api.piiScan({ name: 'b.txt', base64: 'aGVsbG8=x' })).rejects.toThrow(
      "b.txt: the document's base64 is not valid (character 8)",
    );
    const ok = await api.piiScan({ name: 'c.txt', base64: Buffer.from(memo).toString('base64') });
    expect(ok.parts[0].findings.map((f) => f.type)).toEqual(['KR_RRN', 'EMAIL_ADDRESS']);
  });
});
