// The REST enforcer against an HTTP firewall API on 127.0.0.1: templated calls with a sealed
// token, asynchronous operations polled to the end, a client-side rate limit, rollback by item.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/main/store';
import { RestEnforcer } from '../../src/main/response/enforcers/rest';
import type { ResponseOptions } from '../../src/main/response/service';
import { Credentials, KeyFileSecretBox } from '../../src/main/response/secrets';
import { ResponseRepo } from '../../src/main/response/repo';
import { blockPlaybook, makeAlert, makeEvent, memoryService, until } from './helpers';
import { startFirewallApi, type FirewallApi } from './firewall-api';

const TOKEN = 'fw-token-7f3a9c2e51';

function restConfig(url: string, perSec = 20) {
  return {
    baseUrl: url,
    headers: { authorization: 'Bearer {{secret:fw-token}}' },
    supports: ['block-ip'],
    rateLimitPerSec: perSec,
    apply: {
      method: 'POST',
      path: '/api/lists/blocked/items',
      body: { address: '{{target}}', ttl: '{{ttl}}', comment: 'haechi {{id}}' },
    },
    refFrom: 'id',
    confirm: { method: 'GET', path: '/api/lists/blocked/items/{{ref}}' },
    rollback: { method: 'DELETE', path: '/api/lists/blocked/items/{{ref}}' },
    health: { method: 'GET', path: '/api/health' },
    async: {
      statusFrom: 'header:location',
      field: 'status',
      done: 'done',
      failed: 'failed',
      pollEveryMs: 20,
    },
  };
}

describe('REST enforcer against an HTTP firewall API', () => {
  let api: FirewallApi;
  let dir: string;
  let creds: Credentials;

  beforeAll(async () => {
    api = await startFirewallApi(TOKEN, 10);
    dir = mkdtempSync(join(tmpdir(), 'haechi-resp-rest-'));
    const store = await Store.memory();
    new ResponseRepo(store);
    creds = new Credentials(store, new KeyFileSecretBox(join(dir, 'secret.key')));
    creds.set('fw-token', TOKEN);
  });
  afterAll(async () => {
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const service = (enforcer: RestEnforcer, extra: Partial<ResponseOptions> = {}) =>
    memoryService(enforcer, extra);

  it('adds the item, follows the operation to done, confirms it and deletes exactly that item on rollback', async () => {
    const rest = new RestEnforcer('fw', restConfig(api.url), (n) => creds.get(n));
    const svc = await service(rest);
    const polls = api.polls;
    svc.onAlert(makeAlert(), makeEvent({ 'source.ip': '203.0.113.40' }));
    await svc.idle();
    const [a] = svc.listActions();
    expect(a.state).toBe('applied');
    expect(api.polls - polls).toBe(2);
    const mine = [...api.items.entries()].find(([, v]) => v.address === '203.0.113.40')!;
    expect(mine[1]).toEqual({ address: '203.0.113.40', ttl: 600, comment: `haechi ${a.id}` });

    await svc.rollback(a.id);
    expect(api.items.has(mine[0])).toBe(false);
    await svc.close();
  });

  it('spaces calls under its rate limit so the API never answers 429', async () => {
    const rest = new RestEnforcer('fw', restConfig(api.url, 4), (n) => creds.get(n));
    const svc = await service(rest);
    const before = api.tooMany;
    for (let i = 1; i <= 4; i += 1)
      svc.onAlert(makeAlert(), makeEvent({ 'source.ip': `203.0.113.${50 + i}` }));
    await svc.idle();
    expect(svc.listActions().map((a) => a.state)).toEqual([
      'applied',
      'applied',
      'applied',
      'applied',
    ]);
    expect(api.tooMany - before).toBe(0);
    for (const a of svc.listActions()) await svc.rollback(a.id);
    await svc.close();
  });

  it('deletes the item when the TTL runs out', async () => {
    const rest = new RestEnforcer('fw', restConfig(api.url), (n) => creds.get(n));
    const svc = await service(rest, { playbooks: [blockPlaybook({ ttl: '1s' })] });
    svc.onAlert(makeAlert(), makeEvent({ 'source.ip': '203.0.113.60' }));
    await svc.idle();
    expect([...api.items.values()].some((v) => v.address === '203.0.113.60')).toBe(true);
    expect(await until(() => svc.listActions()[0].state === 'expired', 5000)).toBe(true);
    expect([...api.items.values()].some((v) => v.address === '203.0.113.60')).toBe(false);
    await svc.close();
  });

  it('fails at once on a wrong token without writing the token anywhere', async () => {
    creds.set('fw-wrong', 'not-the-token-0000');
    const cfg = {
      ...restConfig(api.url),
      headers: { authorization: 'Bearer {{secret:fw-wrong}}' },
    };
    const svc = await service(new RestEnforcer('fw', cfg, (n) => creds.get(n)));
    svc.onAlert(makeAlert(), makeEvent({ 'source.ip': '203.0.113.61' }));
    await svc.idle();
    const [a] = svc.listActions();
    expect([a.state, a.attempts, a.error]).toEqual([
      'failed',
      1,
      'fw: POST /api/lists/blocked/items answered 401: {"error":"bad token"}',
    ]);
    const trail = JSON.stringify([svc.listActions(), svc.audit()]);
    expect(trail.includes('not-the-token-0000')).toBe(false);
    expect(trail.includes(TOKEN)).toBe(false);
    await svc.close();
  });

  it('refuses an allowlisted address without calling the API', async () => {
    const svc = await service(new RestEnforcer('fw', restConfig(api.url), (n) => creds.get(n)), {
      allowlist: { ranges: ['203.0.113.0/28'] },
    });
    const count = api.items.size;
    svc.onAlert(makeAlert(), makeEvent({ 'source.ip': '203.0.113.9' }));
    await svc.idle();
    expect(svc.listActions()[0].error).toBe(
      'refused: 203.0.113.9 is in the allowlist (203.0.113.0/28)',
    );
    expect(api.items.size).toBe(count);
    await svc.close();
  });

  it('keeps the action pending while the API is down and applies it when it is back', async () => {
    const down = await startFirewallApi(TOKEN, 10);
    const port = Number(new URL(down.url).port);
    await down.close();
    const svc = await service(
      new RestEnforcer('fw', restConfig(`http://127.0.0.1:${port}`), (n) => creds.get(n)),
      { retry: { attempts: 2, baseMs: 20 }, breaker: { threshold: 1, cooldownMs: 200 } },
    );
    svc.onAlert(makeAlert(), makeEvent({ 'source.ip': '203.0.113.62' }));
    await svc.idle();
    const [a] = svc.listActions();
    expect([a.state, a.attempts, a.error]).toEqual([
      'pending',
      2,
      `fw: cannot reach 127.0.0.1:${port}: ECONNREFUSED`,
    ]);
    const back = await startFirewallApi(TOKEN, 10, port);
    try {
      expect(await until(() => svc.getAction(a.id)?.state === 'applied', 5000)).toBe(true);
      expect([...back.items.values()].map((v) => v.address)).toEqual(['203.0.113.62']);
    } finally {
      await svc.close();
      await back.close();
    }
  });
});
