// The built Electron main (out/main/index.js) started under plain Node with a stand-in for the
// electron module: catches bundles that pass `node --check` but fail at start.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../src/shared/api';
import { STARTER_RULE_FILES } from './helpers';

const root = path.resolve(__dirname, '../..');
const main = path.join(root, 'out/main/index.js');
const stub = path.join(__dirname, 'fixtures/electron-stub');
const built = fs.existsSync(main);

describe.skipIf(!built)(
  `the built main process${built ? '' : ' (skipped: out/main/index.js missing, run npm run build)'}`,
  () => {
    it('starts hardened, opens the renderer and answers over IPC on a fresh data folder', () => {
      const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'haechi-main-'));
      const run = spawnSync(
        process.execPath,
        ['--import', path.join(stub, 'register.mjs'), path.join(stub, 'run-main.mjs'), main],
        {
          // From another folder than the project: the bundle must find its resources by itself.
          cwd: os.tmpdir(),
          env: { ...process.env, STUB_USERDATA: userData, HAECHI_LOG: 'error' },
          encoding: 'utf8',
          timeout: 60_000,
        },
      );
      fs.rmSync(userData, { recursive: true, force: true });
      expect(run.status, run.stderr).toBe(0);
      const out = JSON.parse(run.stdout.trim().split('\n').pop() as string);
      expect(out.handlers).toBe(METHOD_NAMES.length);
      expect(out.calls).toEqual([
        'enableSandbox',
        'permissionRequestHandler',
        'permissionCheckHandler',
        'onHeadersReceived',
        {
          webPreferences: {
            preload: path.join(root, 'out/preload/index.cjs'),
            contextIsolation: true,
            sandbox: true,
            nodeIntegration: false,
            nodeIntegrationInWorker: false,
            webSecurity: true,
            allowRunningInsecureContent: false,
            webviewTag: false,
            spellcheck: false,
          },
        },
        { loadFile: path.join(root, 'out/renderer/index.html') },
      ]);
      expect(out.status).toMatchObject({
        mode: 'electron',
        dataDir: path.join(userData, 'data'),
        rulesLoaded: STARTER_RULE_FILES.length,
        rulesRejected: 0,
        demo: true,
      });
      expect(out.refused).toBe('refused: not the Haechi window');
    });
  },
);
