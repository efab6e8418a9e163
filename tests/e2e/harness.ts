// What the end-to-end tests share: the console server started for real on 127.0.0.1, Debian's
// Chromium under Playwright with the flags that work here, and the artifacts folder.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ROOT = resolve(__dirname, '../..');
export const ARTIFACTS = join(ROOT, 'tests/artifacts');
export const DATA = resolve(ROOT, '../shared/data');
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const hasData = existsSync(join(DATA, 'security_datasets'));
export const hasRenderer = existsSync(join(ROOT, 'out/renderer/index.html'));

const URL_RE = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[^\s"'\])]+)/;
const START_TIMEOUT_MS = 60_000;

export interface Console {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** Waits for a child to exit, or kills it after `ms`. */
function ended(proc: ChildProcess, ms: number): Promise<void> {
  return new Promise((done) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return done();
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      done();
    }, ms);
    proc.once('exit', () => {
      clearTimeout(timer);
      done();
    });
  });
}

/**
 * Starts `haechi serve --port 0` on a fresh data folder and reads its URL from the output.
 * `userRules` are put in the data folder's `rules/`, where an analyst's own rules live.
 */
export async function startConsole(userRules: string[] = []): Promise<Console> {
  const dataDir = mkdtempSync(join(tmpdir(), 'haechi-e2e-'));
  if (userRules.length) {
    mkdirSync(join(dataDir, 'rules'));
    for (const rule of userRules) copyFileSync(rule, join(dataDir, 'rules', basename(rule)));
  }
  const args = ['bin/haechi.mjs', 'serve', '--port', '0', '--data', dataDir];
  const proc = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';

  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(
      () =>
        fail(
          new Error(`haechi serve printed no URL within ${START_TIMEOUT_MS / 1000} s:\n${output}`),
        ),
      START_TIMEOUT_MS,
    );
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const m = URL_RE.exec(output);
      if (m) {
        clearTimeout(timer);
        ok(m[1]);
      }
    };
    proc.stdout!.on('data', read);
    proc.stderr!.on('data', read);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`haechi serve exited with ${code} before printing its URL:\n${output}`));
    });
  });

  return {
    url,
    dataDir,
    stop: async () => {
      proc.kill('SIGTERM');
      await ended(proc, 10_000);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Chromium as root, offline, headless: pitfall 7 of STACK.md. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Errors thrown in the page (uncaught) and console errors, for tests that assert none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, name);
  await page.screenshot({ path });
  return path;
}

/** Matches of `haechi scan` (the offline scanner) for the given rules and file: the oracle. */
export function scanMatches(rules: string[], file: string): { ruleTitle: string }[] {
  const r = spawnSync(process.execPath, ['bin/haechi.mjs', 'scan', '--rules', ...rules, file], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`haechi scan failed (${r.status}): ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { ruleTitle: string });
}
