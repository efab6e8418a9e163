// The WebSocket wire protocol between the console UI and `haechi serve` (same API as IPC).
//
// The console is served at http://127.0.0.1:PORT/?token=TOKEN; the API lives at
// ws://127.0.0.1:PORT/api?token=TOKEN. A connection without the right token is refused.

/** UI → server: call one API method. */
export interface WireCall {
  id: number;
  method: string;
  input: unknown;
}

/** Server → UI: the answer to one call. */
export type WireReply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { code: 'invalid-input' | 'not-found' | 'failed'; message: string } };

/** Server → UI: one pushed topic payload. */
export interface WirePush {
  topic: string;
  payload: unknown;
}

export const API_PATH = '/api';
