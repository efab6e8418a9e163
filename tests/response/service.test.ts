// The response service end to end with the starter playbooks and an HTTP firewall API: dry-run
// records, approval and rejection, notifications, the time-to-contain panel and the API handlers.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/main/store';
import { openResponse, responseHandlers, KeyFileSecretBox } from '../../src/main/response';
import { silentLogger } from '../../src/main/response/log';
import { makeAlert, makeEvent } from './helpers';
import { startFirewallApi, type FirewallApi } from './firewall-api';

const STARTER = join(__dirname, '../../resources/playbooks');
const TOKEN = 'svc-token-41d9';
// The starter intel playbook switched to approve mode, as an analyst would once an enforcer exists.
const APPROVE_INTEL = readFileSync(join(STARTER, 'block-intel-hit.yaml'), 'utf8').replace(
  'mode: dry-run',
  'mode: approve',
);

function config(url: string) {
  return {
    allowlist: { ranges: ['10.0.0.0/8'], loopback: true },
    blocksPerMinute: 60,
    enforcers: [
      {
        name: 'fw',
        kind: 'rest' as const,
        config: {
          baseUrl: url,
          headers: { authorization: 'Bearer {{secret:fw-token}}' },
          supports: ['block-ip'],
          apply: {
            method: 'POST',
            path: '/api/lists/blocked/items',
            body: { address: '{{target}}', ttl: '{{ttl}}', comment: '{{id}}' },
          },
          refFrom: 'id',
          rollback: { method: 'DELETE', path: '/api/lists/blocked/items/{{ref}}' },
          async: { statusFrom: 'header:location', field: 'status', done: 'done', pollEveryMs: 10 },
        },
      },
    ],
  };
}

describe('response service', () => {
  let api: FirewallApi;
  let dir: string;

  beforeAll(async () => {
    api = await startFirewallApi(TOKEN, 1000);
    dir = mkdtempSync(join(tmpdir(), 'haechi-resp-svc-'));
  });
  afterAll(async () => {
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function open(store?: Store) {
    const s = store ?? (await Store.memory());
    const opened = await openResponse({
      store: s,
      playbookDirs: [STARTER],
      config: config(api.url),
      secretBox: new KeyFileSecretBox(join(dir, 'k')),
      logger: silentLogger,
    });
    opened.credentials!.set('fw-token', TOKEN);
    return { ...opened, store: s };
  }

  it('records the starter dry-run block without enforcing anything', async () => {
    const { service } = await open();
    const alert = makeAlert({ score: 85 });
    service.onAlert(alert, makeEvent({ 'source.ip': '192.0.2.77' }));
    await service.idle();
    const [a] = service.listActions();
    expect(a).toMatchObject({
      kind: 'block-ip',
      target: '192.0.2.77',
      state: 'applied',
      mode: 'dry-run',
      enforcer: 'dry-run',
      playbook: 'block-high-score',
      ttlSec: 3600,
      caseId: 'case-1',
    });
    expect(a.timeToContainMs).toBeUndefined();
    expect([...api.items.values()].some((i) => i.address === '192.0.2.77')).toBe(false);
    const audit = service.audit({ caseId: 'case-1' });
    expect(audit.map((e) => `${e.verb}|${e.actor}|${e.detail}`)).toEqual([
      `created|block-high-score|block-ip 192.0.2.77 via dry-run; block-high-score: SQL injection attempt (score 85, rule rule-sqli)`,
      'applied|dry-run|block-ip 192.0.2.77 via dry-run: recorded (dry-run, nothing enforced)',
    ]);
    await service.close();
  });

  it('queues an intel-hit block for approval; approval applies it, rejection applies nothing', async () => {
    const { service } = await open();
    expect(service.savePlaybook(APPROVE_INTEL).problems).toEqual([]);
    const intel = [{ kind: 'intel' as const, label: 'indicator', points: 30 }];
    service.onAlert(
      makeAlert({ score: 60, parts: intel }),
      makeEvent({ 'source.ip': '198.51.100.80' }),
    );
    service.onAlert(
      makeAlert({ score: 60, parts: intel }),
      makeEvent({ 'source.ip': '198.51.100.81' }),
    );
    await service.idle();
    const queued = service.listActions({ state: 'pending' });
    expect(queued.map((a) => [a.target, a.mode, a.enforcer]).sort()).toEqual([
      ['198.51.100.80', 'approve', 'fw'],
      ['198.51.100.81', 'approve', 'fw'],
    ]);

    const yes = queued.find((a) => a.target === '198.51.100.80')!;
    const no = queued.find((a) => a.target === '198.51.100.81')!;
    const h = responseHandlers(service);
    await h.approveAction({ id: yes.id, actor: 'analyst:park' });
    await h.rejectAction({ id: no.id, actor: 'analyst:park', reason: 'our partner scanner' });
    await service.idle();

    expect(service.getAction(yes.id)).toMatchObject({
      state: 'applied',
      approvedBy: 'analyst:park',
    });
    expect(service.getAction(no.id)).toMatchObject({ state: 'rejected' });
    expect([...api.items.values()].map((i) => i.address)).toContain('198.51.100.80');
    expect([...api.items.values()].map((i) => i.address)).not.toContain('198.51.100.81');
    const trail = await h.listAudit({ actionId: no.id, limit: 100 });
    expect(trail.map((e) => `${e.verb}|${e.actor}|${e.detail}`)).toEqual([
      'awaiting-approval|block-intel-hit|block-ip 198.51.100.81 via fw; block-intel-hit: SQL injection attempt (score 60, rule rule-sqli)',
      'rejected|analyst:park|our partner scanner',
    ]);
    await expect(h.approveAction({ id: no.id })).rejects.toThrow(
      `action ${no.id} cannot be approved: it is rejected, not awaiting approval`,
    );
    await expect(h.rollbackAction({ id: no.id })).rejects.toThrow(
      `action ${no.id} cannot be rolled back: it is rejected, not applied`,
    );
    await service.close();
  });

  it('keeps an action awaiting approval across a restart', async () => {
    const storeDir = join(dir, 'db');
    let store = await Store.open(storeDir);
    let opened = await open(store);
    opened.service.savePlaybook(APPROVE_INTEL);
    opened.service.onAlert(
      makeAlert({ score: 60, parts: [{ kind: 'intel', label: 'i', points: 5 }] }),
      makeEvent({ 'source.ip': '198.51.100.90' }),
    );
    await opened.service.idle();
    const [a] = opened.service.listActions();
    await opened.service.close();
    await store.close();

    store = await Store.open(storeDir);
    opened = await open(store);
    expect(opened.service.getAction(a.id)).toMatchObject({ state: 'pending', mode: 'approve' });
    opened.service.approve(a.id, 'analyst:choi');
    await opened.service.idle();
    expect(opened.service.getAction(a.id)?.state).toBe('applied');
    await opened.service.close();
    await store.close();
  });

  it('emits a notification for a critical alert and counts automatic answers in the panel', async () => {
    const { service } = await open();
    const notes: string[] = [];
    service.on('notify', (n) => notes.push(`${n.channel}: ${n.message}`));
    const changes: string[] = [];
    service.on('action', (a) => changes.push(`${a.kind}:${a.state}`));
    service.onAlert(makeAlert({ score: 95 }), makeEvent({ 'source.ip': '192.0.2.5' }));
    await service.idle();
    expect(notes).toEqual(['soc: Critical alert: 192.0.2.5 (score threshold 90)']);
    expect(changes.sort()).toEqual([
      'block-ip:applied',
      'block-ip:pending',
      'notify:applied',
      'notify:pending',
    ]);
    // Dry-run and notify do not count as contained threats.
    expect(await responseHandlers(service).containStats({})).toEqual({
      n: 0,
      p50Ms: null,
      p99Ms: null,
      automatic: 0,
      manual: 0,
      hoursSaved: 0,
    });
    await service.close();
  });

  it('saves an edited playbook, or returns its problems and keeps the old one', async () => {
    const { service } = await open();
    const h = responseHandlers(service);
    const bad = await h.savePlaybook({
      yaml: 'name: block-high-score\nmode: auto\nwhen: {}\nthen: []\n',
    });
    expect(bad.problems).toEqual([
      'editor:4:7: then: []: Too small: expected array to have >=1 items',
    ]);
    expect((await h.listPlaybooks({})).find((p) => p.name === 'block-high-score')?.mode).toBe(
      'dry-run',
    );
    const good = await h.savePlaybook({
      yaml: 'name: block-high-score\nmode: auto\nwhen: { minScore: 99 }\nthen:\n  - { action: block-ip, ttl: 5m, enforcer: fw }\n',
    });
    expect(good).toMatchObject({ name: 'block-high-score', mode: 'auto', problems: [] });
    service.onAlert(makeAlert({ score: 99 }), makeEvent({ 'source.ip': '192.0.2.99' }));
    await service.idle();
    const stats = await h.containStats({});
    expect([stats.n, stats.automatic, stats.manual, stats.hoursSaved]).toEqual([1, 1, 0, 0.33]);
    expect(stats.p50Ms).toBe(stats.p99Ms);
    expect((await h.listEnforcers({})).map((e) => [e.name, e.kind, e.healthy, e.circuit])).toEqual([
      ['fw', 'rest', true, 'closed'],
      ['dry-run', 'dry-run', true, 'closed'],
      ['notify', 'notify', true, 'closed'],
    ]);
    await service.close();
  });
});

describe('secret box', () => {
  it('refuses a key file others can read, and a value sealed with another key', () => {
    const d = mkdtempSync(join(tmpdir(), 'haechi-resp-key-'));
    try {
      writeFileSync(join(d, 'open.key'), Buffer.alloc(32, 1));
      chmodSync(join(d, 'open.key'), 0o644);
      expect(() => new KeyFileSecretBox(join(d, 'open.key'))).toThrow(
        `secret key file ${join(d, 'open.key')} has mode 644; run chmod 600 on it`,
      );
      const a = new KeyFileSecretBox(join(d, 'a.key'));
      const b = new KeyFileSecretBox(join(d, 'b.key'));
      const sealed = a.encrypt('hunter2-password');
      expect(sealed.includes('hunter2')).toBe(false);
      expect(a.decrypt(sealed)).toBe('hunter2-password');
      expect(() => b.decrypt(sealed)).toThrow(
        'secret cannot be decrypted with this key (wrong key or tampered value)',
      );
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
