#!/usr/bin/env node
// `npm run test:e2e`: builds the app when the built renderer is missing or older than its
// sources, then runs the end-to-end specs (tests/e2e/*.e2e.ts) with vitest. Each spec starts its
// own `haechi serve` on 127.0.0.1 and drives Debian's Chromium through playwright-core.
// `--screenshot` also copies the overview artifact (alerts with one explained) to docs/screenshot.png for the README.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { needsBuild } from './build-state.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const log = (msg) => process.stderr.write(`e2e: ${msg}\n`);

function run(cmd, cmdArgs) {
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit' });
  return r.status ?? 1;
}

const built = ['out/renderer/index.html', 'out/main/index.js'];
const sources = ['src/renderer', 'src/shared', 'src/main', 'src/preload'];
if (needsBuild(root, built, sources)) {
  log('building (electron-vite build)…');
  const code = run('npx', ['electron-vite', 'build']);
  if (code !== 0) {
    log('build failed; the end-to-end tests need the built renderer');
    process.exit(code);
  }
}

const vitestArgs = [
  'vitest',
  'run',
  '--config',
  'vitest.e2e.config.ts',
  ...args.filter((a) => a !== '--screenshot'),
];
const code = run('npx', vitestArgs);

if (args.includes('--screenshot') && code === 0) {
  const shot = join(root, 'tests/artifacts/console-overview.png');
  if (existsSync(shot)) {
    copyFileSync(shot, join(root, 'docs/screenshot.png'));
    log('docs/screenshot.png updated from tests/artifacts/console-overview.png');
  } else log('no alert screenshot to copy');
}
process.exit(code);
