#!/usr/bin/env node
// `npm start`: builds Haechi when the build is missing or stale, then opens it. With an Electron
// binary, the desktop app; without one (CI, this machine), the same app as a console: `haechi
// serve` on 127.0.0.1 with a random token and the demo feed on for a fresh data folder, shown in
// the system's Chromium when there is a display, its URL printed when there is none.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { needsBuild } from './build-state.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const say = (msg) => process.stdout.write(`${msg}\n`);

/** The Electron binary when one was downloaded (or given by ELECTRON_OVERRIDE_DIST_PATH). */
function electronBinary() {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const bin = join(override, process.platform === 'win32' ? 'electron.exe' : 'electron');
    return existsSync(bin) ? bin : null;
  }
  const pkg = join(root, 'node_modules/electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

function dataDir() {
  if (process.env.HAECHI_DATA) return process.env.HAECHI_DATA;
  return join(process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'haechi');
}

/** Starts `haechi serve` and resolves with its URL (and the process). */
function serve(dir, demo) {
  const args = [
    'bin/haechi.mjs',
    'serve',
    '--port',
    '0',
    '--data',
    dir,
    ...(demo ? ['--demo'] : []),
  ];
  const env = { ...process.env, HAECHI_LOG: process.env.HAECHI_LOG ?? 'warn' };
  const child = spawn(process.execPath, args, {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (m) resolve({ child, url: m[1] });
    });
    child.once('exit', (code) => reject(new Error(`haechi serve exited with ${code}`)));
  });
}

function openChromium(url) {
  const profile = mkdtempSync(join(tmpdir(), 'haechi-chromium-'));
  const flags = [
    `--app=${url}`,
    `--user-data-dir=${profile}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
  ];
  const browser = spawn(CHROMIUM, flags, { stdio: 'ignore' });
  browser.once('exit', () => rmSync(profile, { recursive: true, force: true }));
  return browser;
}

async function runConsole() {
  say(
    "No Electron binary here: Haechi opens as a console in the system's Chromium (haechi serve on 127.0.0.1).",
  );
  const dir = dataDir();
  const fresh = !existsSync(join(dir, 'db'));
  const { child, url } = await serve(dir, fresh);
  let browser = null;
  const stop = () => {
    browser?.kill('SIGTERM');
    child.kill('SIGTERM');
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  if (process.env.DISPLAY && existsSync(CHROMIUM)) {
    browser = openChromium(url);
    // Closing the console window ends the session.
    browser.once('exit', stop);
  } else {
    say(`Haechi console: ${url}`);
    say('(no display: open that URL in a browser on this machine; Ctrl-C stops Haechi)');
  }
  await new Promise((resolve) => child.once('exit', resolve));
}

const built = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'];
if (needsBuild(root, built, ['src'])) {
  say('Building Haechi (electron-vite build)…');
  const r = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write('npm start: the build failed; see above\n');
    process.exit(r.status ?? 1);
  }
}

const electron = electronBinary();
if (electron) {
  const app = spawn(electron, [root], { cwd: root, stdio: 'inherit' });
  app.once('exit', (code) => process.exit(code ?? 0));
} else {
  runConsole().catch((err) => {
    process.stderr.write(`npm start: ${err.message}\n`);
    process.exit(1);
  });
}
