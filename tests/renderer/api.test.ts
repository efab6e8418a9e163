// The console's API client (src/renderer/src/api.ts) against a real WebSocket server on
// 127.0.0.1 speaking the wire protocol: calls, errors, pushes, and the token handling.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { HaechiApi } from '../../src/shared/api';
import type { WireCall } from '../../src/shared/wire';

let server: WebSocketServer;
let api: HaechiApi;
let errorText: (e: unknown) => string;
const seen: { url: string; calls: WireCall[] } = { url: '', calls: [] };
const replaced: string[] = [];

beforeAll(async () => {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.on('connection', (ws, req) => {
    seen.url = req.url ?? '';
    ws.send(JSON.stringify({ topic: 'case', payload: { id: 'C-1' } }));
    ws.on('message', (data) => {
      const call = JSON.parse(String(data)) as WireCall;
      seen.calls.push(call);
      if (call.method === 'getCase') {
        const error = { code: 'not-found', message: 'no case "C-404"' };
        ws.send(JSON.stringify({ id: call.id, ok: false, error }));
      } else ws.send(JSON.stringify({ id: call.id, ok: true, result: { echo: call.input } }));
    });
  });

  // A browser page at the console's URL, as far as the client looks at one.
  const store = new Map<string, string>();
  Object.assign(globalThis, {
    WebSocket,
    window: globalThis,
    location: {
      protocol: 'http:',
      host: `127.0.0.1:${port}`,
      pathname: '/',
      hash: '',
      search: '?token=t0k3n',
    },
    history: { replaceState: (_s: unknown, _t: string, url: string) => replaced.push(url) },
    sessionStorage: {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => store.set(k, v),
    },
  });
  const mod = await import('../../src/renderer/src/api');
  api = mod.api;
  errorText = mod.errorText;
});

afterAll(async () => {
  for (const ws of server.clients) ws.terminate();
  server.close();
});

describe('the console API client', () => {
  it('connects to /api with the token from the page URL and then hides it from the address bar', async () => {
    const result = await api.listAlerts({ limit: 5 });
    expect(result).toEqual({ echo: { limit: 5 } });
    expect(seen.url).toBe('/api?token=t0k3n');
    expect(replaced).toEqual(['/']);
  });

  it('sends each call as {id, method, input} and matches answers by id', async () => {
    seen.calls.length = 0;
    const [a, b] = await Promise.all([api.setDemo({ on: true }), api.status({})]);
    expect(a).toEqual({ echo: { on: true } });
    expect(b).toEqual({ echo: {} });
    expect(seen.calls.map((c) => c.method)).toEqual(['setDemo', 'status']);
    expect(new Set(seen.calls.map((c) => c.id)).size).toBe(2);
  });

  it('turns an error answer into an error naming the method and the server message', async () => {
    const err = await api.getCase({ id: 'C-404' }).catch((e: unknown) => e);
    expect(errorText(err)).toBe('getCase: no case "C-404"');
  });

  it('hands pushed topics to their listeners only', async () => {
    const got: unknown[] = [];
    const off = api.on('live', (tick) => got.push(tick));
    for (const ws of server.clients)
      ws.send(JSON.stringify({ topic: 'live', payload: { eps: 7 } }));
    for (const ws of server.clients) ws.send(JSON.stringify({ topic: 'action', payload: {} }));
    await expect.poll(() => got).toEqual([{ eps: 7 }]);
    off();
    for (const ws of server.clients)
      ws.send(JSON.stringify({ topic: 'live', payload: { eps: 8 } }));
    await api.status({}); // one round trip: the push above has arrived by now
    expect(got).toEqual([{ eps: 7 }]);
  });
});
