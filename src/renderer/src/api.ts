// The renderer's only door to the Node side. In Electron the preload exposes window.haechi; in the
// console (plain Chromium, `haechi serve`) this module implements the same HaechiApi over the
// WebSocket wire protocol of src/shared/wire.ts, with the token taken from location.search.
import type { HaechiApi, MethodName, Topic, TopicPayloads } from '../../shared/api';
import type { WireCall, WirePush, WireReply } from '../../shared/wire';
import { API_PATH } from '../../shared/wire';

/** An API call that failed: the method, the server's code and its message. */
export class ApiError extends Error {
  constructor(
    readonly method: string,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type ConnectionState = 'electron' | 'connecting' | 'open' | 'closed' | 'no-token';
type Listener = (payload: unknown) => void;

const CALL_TIMEOUT_MS = 10 * 60_000;
const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 5_000;

/** Reads the console token once, then keeps it out of the address bar (and history). */
function takeToken(): string | null {
  const params = new URLSearchParams(location.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    sessionStorage.setItem('haechi.token', fromUrl);
    params.delete('token');
    const rest = params.toString();
    history.replaceState(null, '', location.pathname + (rest ? `?${rest}` : '') + location.hash);
    return fromUrl;
  }
  return sessionStorage.getItem('haechi.token');
}

interface Pending {
  method: string;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** HaechiApi over one WebSocket, reconnecting with backoff; pushes fan out to `on` listeners. */
class WireClient {
  private ws: WebSocket | null = null;
  private nextId = 1;
  private retryMs = RETRY_MIN_MS;
  private readonly pending = new Map<number, Pending>();
  private readonly outbox: string[] = [];
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly stateListeners = new Set<(s: ConnectionState) => void>();
  state: ConnectionState = 'connecting';

  constructor(private readonly token: string) {
    this.connect();
  }

  private setState(s: ConnectionState): void {
    this.state = s;
    for (const l of this.stateListeners) l(s);
  }

  onState(l: (s: ConnectionState) => void): () => void {
    this.stateListeners.add(l);
    return () => this.stateListeners.delete(l);
  }

  private connect(): void {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const url = `${scheme}://${location.host}${API_PATH}?token=${encodeURIComponent(this.token)}`;
    this.setState('connecting');
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.onopen = () => {
      this.retryMs = RETRY_MIN_MS;
      this.setState('open');
      for (const msg of this.outbox.splice(0)) ws.send(msg);
    };
    ws.onmessage = (e) => this.receive(String(e.data));
    ws.onclose = () => this.closed();
  }

  private closed(): void {
    this.ws = null;
    this.setState('closed');

    // Calls in flight are lost with the socket: fail them rather than hang.
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new ApiError(p.method, 'failed', 'connection to Haechi closed; retrying'));
      this.pending.delete(id);
    }
    setTimeout(() => this.connect(), this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
  }

  private receive(text: string): void {
    let msg: WireReply | WirePush;
    try {
      msg = JSON.parse(text) as WireReply | WirePush;
    } catch {
      console.error('[api] unreadable message from server, ignored');
      return;
    }
    if ('topic' in msg) {
      for (const l of this.listeners.get(msg.topic) ?? []) l(msg.payload);
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    clearTimeout(p.timer);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new ApiError(p.method, msg.error.code, msg.error.message));
  }

  call(method: string, input: unknown): Promise<unknown> {
    const id = this.nextId++;
    const call: WireCall = { id, method, input: input ?? {} };
    const text = JSON.stringify(call);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ApiError(method, 'failed', `no answer within ${CALL_TIMEOUT_MS / 1000} s`));
      }, CALL_TIMEOUT_MS);
      this.pending.set(id, { method, resolve, reject, timer });
      if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(text);
      else this.outbox.push(text);
    });
  }

  on(topic: string, l: Listener): () => void {
    let set = this.listeners.get(topic);
    if (!set) this.listeners.set(topic, (set = new Set()));
    set.add(l);
    return () => set.delete(l);
  }
}

/** Electron's IPC errors read "Error invoking remote method 'x': Error: msg"; keep the msg. */
function cleanIpcMessage(message: string): string {
  return message.replace(/^Error invoking remote method '[^']+': (?:\w*Error: )?/, '');
}

function fromBridge(bridge: HaechiApi): HaechiApi {
  return new Proxy({} as HaechiApi, {
    get(_t, name: string) {
      if (name === 'on') return bridge.on.bind(bridge);
      const fn = (bridge as unknown as Record<string, (i: unknown) => Promise<unknown>>)[name];
      if (typeof fn !== 'function') return undefined;
      return (input: unknown) =>
        fn(input ?? {}).catch((e: Error) => {
          throw new ApiError(name, 'failed', cleanIpcMessage(e.message));
        });
    },
  });
}

function fromWire(client: WireClient): HaechiApi {
  return new Proxy({} as HaechiApi, {
    get(_t, name: string) {
      if (name === 'on') {
        return <T extends Topic>(topic: T, l: (p: TopicPayloads[T]) => void) =>
          client.on(topic, l as Listener);
      }
      if (name === 'then') return undefined; // not a thenable
      return (input: unknown) => client.call(name as MethodName, input);
    },
  });
}

let wire: WireClient | null = null;

function create(): HaechiApi {
  if (window.haechi) return fromBridge(window.haechi);
  const token = takeToken();
  if (!token) {
    return new Proxy({} as HaechiApi, {
      get(_t, name: string) {
        if (name === 'on') return () => () => undefined;
        return () =>
          Promise.reject(
            new ApiError(name, 'failed', 'no token: open the URL that `haechi serve` printed'),
          );
      },
    });
  }
  wire = new WireClient(token);
  return fromWire(wire);
}

export const api: HaechiApi = create();

export function connectionState(): ConnectionState {
  if (window.haechi) return 'electron';
  return wire ? wire.state : 'no-token';
}

export function onConnectionState(l: (s: ConnectionState) => void): () => void {
  return wire ? wire.onState(l) : () => undefined;
}

/** A readable message for any error thrown by an API call. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) return `${e.method}: ${e.message}`;
  if (e instanceof Error) return e.message;
  return String(e);
}
