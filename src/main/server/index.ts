// `haechi serve`'s server: the console (HTTP) and the API (WebSocket, src/shared/wire.ts) on
// 127.0.0.1 only, both guarded by one random token. The same handlers as Electron IPC answer.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { ApiError, callApi, subscribe, type Handlers } from '../api';
import type { AppContext } from '../context';
import { logger } from '../log';
import { TOPICS } from '../../shared/api';
import { API_PATH, type WireCall, type WirePush, type WireReply } from '../../shared/wire';
import { handleHttp, hasToken, hostAllowed } from './http';
import { newToken } from './token';

const log = logger('server');

/** The largest message a client may send (an import's text: the schema allows 512 MiB). */
const MAX_PAYLOAD = 520 * 1024 * 1024;
/** Pushes are skipped for a client this far behind; replies are always sent. */
const MAX_BUFFERED = 8 * 1024 * 1024;

export interface ServerOptions {
  ctx: AppContext;
  handlers: Handlers;
  /** 0 (the default) lets the system choose a free port. */
  port?: number;
  rendererDir: string;
  token?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** A browser's Origin must be the console itself; clients without one (CLI, tests) pass. */
function originAllowed(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true;
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.write(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${text}\n`,
  );
  socket.destroy();
}

function parseCall(data: string): WireCall | string {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch (err) {
    return `message is not JSON: ${(err as Error).message}`;
  }
  const v = value as Partial<WireCall>;
  if (!v || typeof v !== 'object' || typeof v.id !== 'number' || typeof v.method !== 'string') {
    return 'message must be {"id": number, "method": string, "input": …}';
  }
  return { id: v.id, method: v.method, input: v.input };
}

async function answer(handlers: Handlers, ws: WebSocket, data: string): Promise<void> {
  const call = parseCall(data);
  let reply: WireReply;
  if (typeof call === 'string') {
    reply = { id: 0, ok: false, error: { code: 'invalid-input', message: call } };
  } else {
    try {
      reply = {
        id: call.id,
        ok: true,
        result: (await callApi(handlers, call.method, call.input)) ?? null,
      };
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError('failed', (err as Error).message);
      reply = { id: call.id, ok: false, error: { code: e.code, message: e.message } };
    }
  }
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply));
}

/** Calls are JSON text frames; a binary frame gets an error reply instead of silence. */
function refuseBinary(ws: WebSocket): void {
  const reply: WireReply = {
    id: 0,
    ok: false,
    error: { code: 'invalid-input', message: 'binary frames are not accepted: send JSON text' },
  };
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply));
}

function serveClient(ctx: AppContext, handlers: Handlers, ws: WebSocket): void {
  const unsubscribe = TOPICS.map((topic) =>
    subscribe(ctx, topic, (payload) => {
      if (ws.readyState !== ws.OPEN || ws.bufferedAmount > MAX_BUFFERED) return;
      const push: WirePush = { topic, payload };
      ws.send(JSON.stringify(push));
    }),
  );
  ws.on('message', (data, isBinary) => {
    if (isBinary) return refuseBinary(ws);
    void answer(handlers, ws, data.toString());
  });
  ws.on('close', () => unsubscribe.forEach((off) => off()));
  ws.on('error', (err) => log.warn(`client error: ${err.message}`));
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const token = opts.token ?? newToken();
  let port = opts.port ?? 0;
  const server = http.createServer((req, res) =>
    handleHttp(req, res, { token, port, rendererDir: opts.rendererDir }),
  );
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname !== API_PATH) return refuse(socket, 404, 'Not Found');
    if (!hostAllowed(req, port)) return refuse(socket, 421, 'Misdirected Request');
    if (!originAllowed(req.headers.origin, port)) return refuse(socket, 403, 'Forbidden');
    if (!hasToken(req, url, token)) return refuse(socket, 401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => serveClient(opts.ctx, opts.handlers, ws));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/?token=${token}`;
  log.info(`listening on 127.0.0.1:${port}`);

  return {
    url,
    port,
    token,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
