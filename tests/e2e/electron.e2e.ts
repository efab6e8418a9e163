// The real desktop app, launched through Playwright's Electron driver wherever an Electron binary
// exists. Here (no download possible) it is reported as skipped with the reason.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { _electron as electron } from 'playwright-core';
import { ROOT } from './harness';

/** The binary the electron package would run, without calling require('electron') (which downloads). */
function electronBinary(): { path: string | null; reason: string } {
  const pkg = join(ROOT, 'node_modules/electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pkg)) return { path: null, reason: 'the electron package is not installed' };
  if (!existsSync(pathFile)) {
    return {
      path: null,
      reason: 'no Electron binary: node_modules/electron/dist was never downloaded',
    };
  }
  const bin = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin)
    ? { path: bin, reason: '' }
    : { path: null, reason: `no Electron binary at ${bin}` };
}

const found = electronBinary();
const hasMain = existsSync(join(ROOT, 'out/main/index.js'));
const why = !found.path
  ? ` (skipped: ${found.reason})`
  : !hasMain
    ? ' (skipped: out/main is not built)'
    : '';

describe.skipIf(!found.path || !hasMain)(`the Electron app${why}`, () => {
  it('opens the Haechi window with the sandboxed renderer and no node in it', async () => {
    const app = await electron.launch({
      executablePath: found.path!,
      args: [ROOT, '--no-sandbox'],
      cwd: ROOT,
      env: { ...process.env, HAECHI_E2E: '1' },
    });
    try {
      const win = await app.firstWindow();
      await win.getByTestId('nav-live').waitFor({ timeout: 30_000 });
      expect(await win.title()).toBe('Haechi');
      expect(await win.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
        'undefined',
      );
      expect(await win.evaluate(() => typeof window.haechi?.status)).toBe('function');
    } finally {
      await app.close();
    }
  });
});
