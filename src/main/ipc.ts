// Binds the API to Electron IPC: every method as `haechi:<name>` through callApi (the same
// validation as the WebSocket server), and every topic pushed as `haechi:topic:<topic>`.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { ApiError, callApi, subscribe, type Handlers } from './api';
import type { AppContext } from './context';
import { logger } from './log';
import { METHOD_NAMES, TOPICS } from '../shared/api';

const log = logger('ipc');

/** Only our own page may call: the built renderer (file://) or electron-vite's dev server. */
function trustedSender(event: IpcMainInvokeEvent, rendererUrl: string): boolean {
  const url = event.senderFrame?.url ?? '';
  // A prefix must end at a path boundary: `http://localhost:5173` would also admit
  // `http://localhost:5173.evil.example`.
  const prefix = rendererUrl.endsWith('/') ? rendererUrl : `${rendererUrl}/`;
  return url === rendererUrl || url.startsWith(prefix);
}

export function bindIpc(
  ctx: AppContext,
  handlers: Handlers,
  window: () => BrowserWindow | null,
  rendererUrl: string,
): () => void {
  for (const name of METHOD_NAMES) {
    ipcMain.handle(`haechi:${name}`, async (event, input: unknown) => {
      if (!trustedSender(event, rendererUrl)) {
        log.warn(`refused ${name} from an untrusted frame`);
        throw new Error('refused: not the Haechi window');
      }
      try {
        return await callApi(handlers, name, input);
      } catch (err) {
        // Electron passes only the message across; the code leads it so the UI can tell kinds.
        const e = err instanceof ApiError ? err : new ApiError('failed', (err as Error).message);
        throw new Error(`${e.code}: ${e.message}`);
      }
    });
  }
  const unsubscribe = TOPICS.map((topic) =>
    subscribe(ctx, topic, (payload) => {
      const win = window();
      if (win && !win.isDestroyed()) win.webContents.send(`haechi:topic:${topic}`, payload);
    }),
  );
  return () => {
    for (const name of METHOD_NAMES) ipcMain.removeHandler(`haechi:${name}`);
    unsubscribe.forEach((off) => off());
  };
}
