// nftables against the kernel: a lab of two network namespaces, an HTTP server in one, clients at
// 10.250.0.2 and 10.250.0.3 in the other.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/main/store';
import { NftablesEnforcer } from '../../src/main/response/enforcers/nftables';
import { ResponseService, type ResponseOptions } from '../../src/main/response/service';
import { silentLogger } from '../../src/main/response/log';
import {
  blockPlaybook,
  makeAlert,
  makeEvent,
  memoryService,
  netnsUnavailable,
  until,
} from './helpers';
import { createLab, type Lab } from './netns';

const why = netnsUnavailable();

describe.skipIf(why)(
  `nftables enforcer in a network namespace${why ? ` — skipped: ${why}` : ''}`,
  () => {
    let lab: Lab;
    let nft: NftablesEnforcer;

    beforeAll(async () => {
      lab = await createLab('n', 43010);
      nft = new NftablesEnforcer('nft', { netns: lab.srv });
      await nft.setup();
    });
    afterAll(() => lab?.destroy());
    beforeEach(async () => {
      for (const a of ['10.250.0.3', '10.250.0.2', '10.250.0.9']) {
        if ((await nft.element(a)).present)
          await nft.rollback({ target: a } as never, { present: false });
      }
    });

    const service = (extra: Partial<ResponseOptions> = {}) => memoryService(nft, extra);

    it('drops the blocked address on the next packet and still serves its neighbour', async () => {
      expect(lab.fetchFrom('10.250.0.3')).toBe(200);
      const svc = await service();
      const alert = makeAlert();
      svc.onAlert(alert, makeEvent({ 'source.ip': '10.250.0.3' }));
      await svc.idle();

      const [action] = svc.listActions();
      expect(action).toMatchObject({
        state: 'applied',
        kind: 'block-ip',
        target: '10.250.0.3',
        enforcer: 'nft',
        playbook: 'block-high-score',
        mode: 'auto',
        alertId: alert.id,
        caseId: 'case-1',
        ttlSec: 600,
      });
      expect(action.timeToContainMs).toBeGreaterThanOrEqual(0);
      expect(lab.fetchFrom('10.250.0.3')).toBe(0);
      expect(lab.fetchFrom('10.250.0.2')).toBe(200);

      const audit = svc.audit({ caseId: 'case-1' });
      expect(audit.map((e) => [e.verb, e.actor])).toEqual([
        ['created', 'block-high-score'],
        ['applied', 'nft'],
      ]);
      expect(audit[1].detail).toBe('block-ip 10.250.0.3 via nft: confirmed in force');
      await svc.close();
    });

    it('keeps one element for the same block twice and extends its TTL', async () => {
      const svc = await service();
      svc.onAlert(makeAlert(), makeEvent({ 'source.ip': '10.250.0.3' }));
      await svc.idle();
      expect((await nft.element('10.250.0.3')).expiresMs).toBeLessThanOrEqual(600_000);
      const saved = svc.savePlaybook(blockPlaybook({ ttl: '1h' }).yaml);
      expect(saved.problems).toEqual([]);
      svc.onAlert(makeAlert(), makeEvent({ 'source.ip': '10.250.0.3' }));
      await svc.idle();

      const actions = svc.listActions();
      expect(actions).toHaveLength(1);
      expect(actions[0].ttlSec).toBe(3600);
      const el = await nft.element('10.250.0.3');
      expect(el.expiresMs).toBeGreaterThan(3_500_000);
      expect(svc.audit({ subject: actions[0].id }).map((e) => e.verb)).toEqual([
        'created',
        'applied',
        'extended',
      ]);
      await svc.close();
    });

    it('rolls back to exactly the element found before: none, or the old one with its time left', async () => {
      const svc = await service();
      svc.onAlert(makeAlert(), makeEvent({ 'source.ip': '10.250.0.3' }));
      // An element someone else set with 40 s left: the 10 min block replaces it, rollback restores it.
      await nft.apply({ target: '10.250.0.9', ttlSec: 40 } as never);
      svc.onAlert(makeAlert(), makeEvent({ 'source.ip': '10.250.0.9' }));
      await svc.idle();
      expect((await nft.element('10.250.0.9')).expiresMs).toBeGreaterThan(500_000);

      for (const a of svc.listActions()) await svc.rollback(a.id, 'analyst:kim');
      expect(await nft.element('10.250.0.3')).toEqual({ present: false });
      const back = await nft.element('10.250.0.9');
      expect(back.present).toBe(true);
      expect(back.expiresMs).toBeLessThanOrEqual(40_000);
      expect(back.expiresMs).toBeGreaterThan(30_000);
      expect(lab.fetchFrom('10.250.0.3')).toBe(200);
      expect(svc.listActions().map((a) => a.state)).toEqual(['rolled-back', 'rolled-back']);
      const last = svc.audit({ subject: svc.listActions()[0].id }).at(-1)!;
      expect([last.verb, last.actor]).toEqual(['rolled-back', 'analyst:kim']);
      await svc.close();
    });

    it('lets the kernel drop the element at the TTL and marks the action expired', async () => {
      const svc = await service({ playbooks: [blockPlaybook({ ttl: '2s' })] });
      svc.onAlert(makeAlert(), makeEvent({ 'source.ip': '10.250.0.3' }));
      await svc.idle();
      expect(lab.fetchFrom('10.250.0.3')).toBe(0);
      const expired = await until(() => svc.listActions()[0].state === 'expired', 5000);
      expect(expired).toBe(true);
      expect(await nft.element('10.250.0.3')).toEqual({ present: false });
      expect(lab.fetchFrom('10.250.0.3')).toBe(200);
      const last = svc.audit({ subject: svc.listActions()[0].id }).at(-1)!;
      expect([last.verb, last.actor, last.detail]).toEqual([
        'expired',
        'ttl',
        'block-ip 10.250.0.3 via nft: TTL of 2s ran out',
      ]);
      await svc.close();
    });

    it('refuses an address in the allowlist and logs the refusal', async () => {
      const svc = await service({ allowlist: { ranges: ['10.250.0.0/29'] } });
      svc.onAlert(makeAlert(), makeEvent({ 'source.ip': '10.250.0.3' }));
      await svc.idle();
      const [a] = svc.listActions();
      expect(a.state).toBe('failed');
      expect(a.error).toBe('refused: 10.250.0.3 is in the allowlist (10.250.0.0/29)');
      expect(svc.audit({ subject: a.id }).map((e) => [e.verb, e.actor])).toEqual([
        ['refused', 'safety'],
      ]);
      expect(await nft.element('10.250.0.3')).toEqual({ present: false });
      await svc.close();
    });

    it('stops at N new blocks a minute and raises an alert once', async () => {
      const svc = await service({ blocksPerMinute: 2 });
      const limits: string[] = [];
      svc.on('limit', (l) => limits.push(`${l.enforcer}:${l.perMinute}`));
      for (const a of ['10.250.0.2', '10.250.0.3', '10.250.0.9'])
        svc.onAlert(makeAlert(), makeEvent({ 'source.ip': a }));
      await svc.idle();
      const states = svc
        .listActions()
        .map((a) => a.state)
        .sort();
      expect(states).toEqual(['applied', 'applied', 'failed']);
      const failed = svc.listActions({ state: 'failed' })[0];
      expect(failed.error).toBe('rate limit reached: at most 2 new blocks a minute on nft');
      expect(limits).toEqual(['nft:2']);
      await svc.close();
    });

    it('retries a down enforcer, opens the circuit, keeps the action pending across a restart, applies it once', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'haechi-resp-'));
      try {
        const down = new NftablesEnforcer('nft', { netns: 'hrnosuchns' });
        let store = await Store.open(dir);
        const circuits: string[] = [];
        let svc = await ResponseService.create({
          store,
          enforcers: [down],
          playbooks: [blockPlaybook()],
          logger: silentLogger,
          retry: { attempts: 2, baseMs: 20 },
          breaker: { threshold: 1, cooldownMs: 60_000 },
        });
        svc.on('circuit', (c) => circuits.push(c.state));
        svc.onAlert(makeAlert(), makeEvent({ 'source.ip': '10.250.0.3' }));
        await svc.idle();
        const [pending] = svc.listActions();
        expect(pending).toMatchObject({ state: 'pending', attempts: 2 });
        expect(pending.error).toBe(
          'nft: nft: Cannot open network namespace "hrnosuchns": No such file or directory',
        );
        expect(circuits).toEqual(['open']);
        expect((await svc.listEnforcers()).find((e) => e.name === 'nft')).toMatchObject({
          healthy: false,
          circuit: 'open',
        });
        await svc.close();
        await store.close();

        // The enforcer is back: same name, reachable namespace.
        store = await Store.open(dir);
        svc = await ResponseService.create({
          store,
          enforcers: [nft],
          playbooks: [blockPlaybook()],
          logger: silentLogger,
        });
        await svc.idle();
        const [after] = svc.listActions();
        expect(after).toMatchObject({ id: pending.id, state: 'applied', attempts: 3 });
        expect(svc.audit({ subject: pending.id }).filter((e) => e.verb === 'applied')).toHaveLength(
          1,
        );
        expect(lab.fetchFrom('10.250.0.3')).toBe(0);
        await svc.close();
        await store.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);
