// The REST enforcer polls an asynchronous operation only on its own baseUrl's origin: a Location
// that names another host would otherwise receive the configured credential headers.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RestEnforcer } from '../../src/main/response/enforcers/rest';
import type { Action } from '../../src/shared/types';

const SECRET = 'rest-origin-secret-5d81';

function listen(handler: http.RequestListener): Promise<http.Server> {
  const server = http.createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const portOf = (s: http.Server) => (s.address() as AddressInfo).port;

describe('REST enforcer asynchronous polling', () => {
  let api: http.Server;
  let other: http.Server;
  const seenByOther: (string | undefined)[] = [];

  beforeAll(async () => {
    other = await listen((req, res) => {
      seenByOther.push(req.headers.authorization);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"done"}');
    });
    // The operation address names the other server (localhost, another port: another origin).
    api = await listen((_req, res) => {
      res.writeHead(202, { location: `http://localhost:${portOf(other)}/op/1` }).end('{"id":"x"}');
    });
  });

  afterAll(async () => {
    await new Promise((r) => api.close(r));
    await new Promise((r) => other.close(r));
  });

  it('refuses an operation address on another origin and sends it nothing', async () => {
    const baseUrl = `http://127.0.0.1:${portOf(api)}`;
    const enforcer = new RestEnforcer(
      'fw',
      {
        baseUrl,
        headers: { authorization: 'Bearer {{secret:tok}}' },
        supports: ['block-ip'],
        rateLimitPerSec: 1000,
        apply: { method: 'POST', path: '/items', body: { address: '{{target}}' } },
        refFrom: 'id',
        async: { statusFrom: 'header:location', field: 'status', done: 'done', pollEveryMs: 10 },
      },
      () => SECRET,
    );
    const action = { id: 'a1', kind: 'block-ip', target: '203.0.113.9', ttlSec: 0 } as Action;
    await expect(enforcer.apply(action)).rejects.toThrow(
      `fw: operation address http://localhost:${portOf(other)} is not on ${baseUrl}; not polled`,
    );
    expect(seenByOther).toEqual([]);
  });

  it('does not follow a redirect, so the credentials never reach another host', async () => {
    const mover = await listen((_req, res) => {
      res.writeHead(307, { location: `http://localhost:${portOf(other)}/items` }).end();
    });
    const baseUrl = `http://127.0.0.1:${portOf(mover)}`;
    const enforcer = new RestEnforcer(
      'fw',
      {
        baseUrl,
        headers: { 'x-api-key': '{{secret:tok}}' },
        supports: ['block-ip'],
        rateLimitPerSec: 1000,
        apply: { method: 'POST', path: '/items', body: { address: '{{target}}' } },
      },
      () => SECRET,
    );
    const action = { id: 'a2', kind: 'block-ip', target: '203.0.113.9', ttlSec: 0 } as Action;
    await expect(enforcer.apply(action)).rejects.toThrow(
      `fw: POST /items redirected (307) to http://localhost:${portOf(other)}/items; redirects are not followed, set baseUrl to the final address`,
    );
    expect(seenByOther).toEqual([]);
    await new Promise((r) => mover.close(r));
  });
});
