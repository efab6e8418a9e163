// CrowdSec Local API (a private, offline instance): Haechi's decision reaches a bouncer through
// /v1/decisions/stream; rollback, expiry, the allowlist and a stopped API.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/main/store';
import { CrowdsecEnforcer } from '../../src/main/response/enforcers/crowdsec';
import type { ResponseOptions } from '../../src/main/response/service';
import { Credentials, KeyFileSecretBox } from '../../src/main/response/secrets';
import { ResponseRepo } from '../../src/main/response/repo';
import { blockPlaybook, makeAlert, makeEvent, memoryService, until } from './helpers';
import { createCrowdsecLab, crowdsecUnavailable, type CrowdsecLab } from './crowdsec-lab';

const why = crowdsecUnavailable();

interface Stream {
  new: { value: string; scenario: string }[] | null;
  deleted: { value: string; scenario: string }[] | null;
}

describe.skipIf(why)(`CrowdSec Local API enforcer${why ? ` — skipped: ${why}` : ''}`, () => {
  let lab: CrowdsecLab;
  let dataDir: string;
  let store: Store;
  let enforcer: CrowdsecEnforcer;

  async function stream(startup: boolean): Promise<Stream> {
    const res = await fetch(`${lab.url}/v1/decisions/stream${startup ? '?startup=true' : ''}`, {
      headers: { 'x-api-key': lab.siteBouncerKey, 'user-agent': 'site-bouncer/1.0' },
    });
    return (await res.json()) as Stream;
  }

  beforeAll(async () => {
    lab = await createCrowdsecLab(43040);
    dataDir = mkdtempSync(join(tmpdir(), 'haechi-resp-cs-'));
    store = await Store.open(join(dataDir, 'db'));
    new ResponseRepo(store); // migrations, so credentials can be stored before the service opens
    const creds = new Credentials(store, new KeyFileSecretBox(join(dataDir, 'secret.key')));
    creds.set('crowdsec-machine', lab.machinePassword);
    creds.set('crowdsec-bouncer', lab.haechiBouncerKey);
    enforcer = new CrowdsecEnforcer(
      'crowdsec',
      {
        url: lab.url,
        machineId: lab.machineId,
        passwordSecret: 'crowdsec-machine',
        bouncerKeySecret: 'crowdsec-bouncer',
      },
      (n) => creds.get(n),
    );
  });
  afterAll(async () => {
    await store?.close();
    await lab?.destroy();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const service = (extra: Partial<ResponseOptions> = {}) => memoryService(enforcer, extra);

  it('keeps the credentials sealed: the key file is 0600 and no plain value reaches the data folder', async () => {
    expect(statSync(join(dataDir, 'secret.key')).mode & 0o777).toBe(0o600);
    await store.snapshot();
    for (const f of readdirSync(join(dataDir, 'db'))) {
      const bytes = readFileSync(join(dataDir, 'db', f)).toString('latin1');
      expect(bytes.includes(lab.machinePassword)).toBe(false);
      expect(bytes.includes(lab.haechiBouncerKey)).toBe(false);
    }
  });

  it("returns Haechi's decision to a bouncer on the stream, and its deletion after rollback", async () => {
    await stream(true);
    const svc = await service();
    svc.onAlert(makeAlert(), makeEvent({ 'source.ip': '198.51.100.20' }));
    await svc.idle();
    const [a] = svc.listActions();
    expect(a.state).toBe('applied');
    const s = await stream(false);
    expect(s.new?.map((d) => [d.value, d.scenario])).toEqual([['198.51.100.20', `haechi/${a.id}`]]);

    await svc.rollback(a.id);
    expect(await enforcer.decisions('198.51.100.20')).toEqual([]);
    expect((await stream(false)).deleted?.map((d) => d.value)).toEqual(['198.51.100.20']);
    await svc.close();
  });

  it("leaves the site's own decision in place on rollback", async () => {
    lab.cscli('decisions', 'add', '-i', '198.51.100.21', '-d', '2h', '-R', 'site decision');
    const svc = await service();
    svc.onAlert(makeAlert(), makeEvent({ 'source.ip': '198.51.100.21' }));
    await svc.idle();
    const [a] = svc.listActions();
    expect(a.state).toBe('applied');
    await svc.rollback(a.id);
    const left = await enforcer.decisions('198.51.100.21');
    expect(left.map((d) => d.scenario)).toEqual(['site decision']);
    await svc.close();
  });

  it('lets the decision expire at its TTL', async () => {
    const svc = await service({ playbooks: [blockPlaybook({ ttl: '2s' })] });
    svc.onAlert(makeAlert(), makeEvent({ 'source.ip': '198.51.100.22' }));
    await svc.idle();
    expect(await until(() => svc.listActions()[0].state === 'expired', 6000)).toBe(true);
    expect(await enforcer.decisions('198.51.100.22')).toEqual([]);
    await svc.close();
  });

  it('refuses an allowlisted address without calling the API', async () => {
    const svc = await service({ allowlist: { ranges: ['198.51.100.0/24'] } });
    svc.onAlert(makeAlert(), makeEvent({ 'source.ip': '198.51.100.23' }));
    await svc.idle();
    expect(svc.listActions()[0].error).toBe(
      'refused: 198.51.100.23 is in the allowlist (198.51.100.0/24)',
    );
    expect(await enforcer.decisions('198.51.100.23')).toEqual([]);
    await svc.close();
  });

  it('keeps the action pending while the Local API is down, then applies it once', async () => {
    await lab.stop();
    const svc = await service({
      retry: { attempts: 2, baseMs: 20 },
      breaker: { threshold: 1, cooldownMs: 300 },
    });
    svc.onAlert(makeAlert(), makeEvent({ 'source.ip': '198.51.100.24' }));
    await svc.idle();
    const [a] = svc.listActions();
    expect([a.state, a.attempts, a.error]).toEqual([
      'pending',
      2,
      'crowdsec: cannot reach the Local API: ECONNREFUSED',
    ]);
    await lab.start();
    expect(await until(() => svc.getAction(a.id)?.state === 'applied', 10_000)).toBe(true);
    expect((await enforcer.decisions('198.51.100.24')).length).toBe(1);
    expect(svc.audit({ subject: a.id }).filter((e) => e.verb === 'applied')).toHaveLength(1);
    await svc.close();
  });
});
