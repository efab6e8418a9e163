// The renderer's view of the preload bridge: in Electron, window.haechi is the API; in the console
// (plain Chromium) it is absent and src/api.ts speaks the WebSocket wire protocol instead.
import type { HaechiApi } from '../../shared/api';

declare global {
  interface Window {
    haechi?: HaechiApi;
  }
}

export {};
