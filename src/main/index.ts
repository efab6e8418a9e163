// The Electron app: one hardened window on the built renderer, the API bound over IPC.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, safeStorage, session } from 'electron';
import { createHandlers } from './api';
import { createContext, type AppContext } from './context';
import { bindIpc } from './ipc';
import { logger } from './log';
import { safeStorageBox } from './response';
import { CSP } from './server/http';

const log = logger('app');
const here = path.dirname(fileURLToPath(import.meta.url));
const devUrl = process.env.ELECTRON_RENDERER_URL;
const rendererFile = path.join(here, '../renderer/index.html');
const rendererUrl = devUrl ?? `${pathToFileURL(path.dirname(rendererFile)).href}/`;

let mainWindow: BrowserWindow | null = null;
let ctx: AppContext | null = null;

app.enableSandbox();
if (!app.requestSingleInstanceLock()) app.quit();

function dataDir(): string {
  return process.env.HAECHI_DATA ?? path.join(app.getPath('userData'), 'data');
}

/** Deny what a page might ask for: permissions, navigation, new windows, webviews. */
function harden(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    backgroundColor: '#0f1115',
    title: 'Haechi',
    webPreferences: {
      preload: path.join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  if (devUrl) void win.loadURL(devUrl);
  else void win.loadFile(rendererFile);
  return win;
}

async function start(): Promise<void> {
  harden();
  const dir = dataDir();
  const fresh = !fs.existsSync(path.join(dir, 'db'));
  // Enforcer credentials sealed by the OS keychain where it is available.
  const secretBox = safeStorage.isEncryptionAvailable() ? safeStorageBox(safeStorage) : undefined;
  ctx = await createContext({ dataDir: dir, mode: 'electron', demo: fresh, secretBox });
  bindIpc(ctx, createHandlers(ctx), () => mainWindow, rendererUrl);
  mainWindow = createWindow();
  mainWindow.on('closed', () => (mainWindow = null));
  log.info(`window open; data in ${dir}${fresh ? ' (fresh: demo feed on)' : ''}`);
}

app.on('second-instance', () => {
  if (mainWindow?.isMinimized()) mainWindow.restore();
  mainWindow?.focus();
});

app.on('window-all-closed', () => app.quit());

let closing = false;
app.on('before-quit', (event) => {
  if (closing || !ctx) return;
  event.preventDefault();
  closing = true;
  ctx
    .close()
    .catch((err) => log.error(`closing: ${(err as Error).message}`))
    .finally(() => app.exit(0));
});

app
  .whenReady()
  .then(start)
  .catch((err) => {
    log.error(`start failed: ${(err as Error).message}`);
    app.exit(1);
  });
