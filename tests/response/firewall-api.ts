// A small HTTP firewall API for the REST enforcer tests, in the shape such APIs take: a bearer
// token, an address list with items, asynchronous changes (202 + an operation to poll) and a
// server-side rate limit answering 429. It stands in for a vendor's appliance, which is not here.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FirewallApi {
  url: string;
  items: Map<string, { address: string; ttl: number; comment: string }>;
  tooMany: number;
  unauthorized: number;
  polls: number;
  close(): Promise<void>;
}

export async function startFirewallApi(
  token: string,
  perSecond: number,
  port = 0,
): Promise<FirewallApi> {
  const items = new Map<string, { address: string; ttl: number; comment: string }>();
  const ops = new Map<string, { left: number; item: string }>();
  const stamps: number[] = [];
  let next = 1;
  const api = { url: '', items, tooMany: 0, unauthorized: 0, polls: 0, close: async () => {} };

  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const now = Date.now();
      while (stamps.length && stamps[0] <= now - 1000) stamps.shift();
      if (stamps.length >= perSecond) {
        api.tooMany += 1;
        return res.writeHead(429).end('{"error":"slow down"}');
      }
      stamps.push(now);
      if (req.headers.authorization !== `Bearer ${token}`) {
        api.unauthorized += 1;
        return res.writeHead(401).end('{"error":"bad token"}');
      }
      const url = req.url ?? '/';
      const send = (status: number, json?: unknown, headers: Record<string, string> = {}) =>
        res
          .writeHead(status, { 'content-type': 'application/json', ...headers })
          .end(json === undefined ? '' : JSON.stringify(json));
      if (req.method === 'POST' && url === '/api/lists/blocked/items') {
        const { address, ttl, comment } = JSON.parse(body) as {
          address: string;
          ttl: number;
          comment: string;
        };
        const id = `it-${next++}`;
        ops.set(id, { left: 2, item: id });
        items.set(id, { address, ttl, comment });
        return send(202, { id }, { location: `/api/ops/${id}` });
      }
      const op = /^\/api\/ops\/(.+)$/.exec(url);
      if (req.method === 'GET' && op) {
        api.polls += 1;
        const o = ops.get(op[1]);
        if (!o) return send(404, { error: 'no such operation' });
        o.left -= 1;
        return send(200, { status: o.left > 0 ? 'running' : 'done' });
      }
      const item = /^\/api\/lists\/blocked\/items\/(.+)$/.exec(url);
      if (item && req.method === 'GET')
        return items.has(item[1]) && (ops.get(item[1])?.left ?? 0) <= 0
          ? send(200, items.get(item[1]))
          : send(404, { error: 'not found' });
      if (item && req.method === 'DELETE')
        return items.delete(item[1]) ? send(204) : send(404, { error: 'not found' });
      if (req.method === 'GET' && url === '/api/health') return send(200, { ok: true });
      send(404, { error: 'no route' });
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  api.close = () => new Promise<void>((r) => server.close(() => r()));
  return api;
}
