// nginx deny list against a real nginx on 127.0.0.1: the blocked client (127.0.0.2) is refused,
// 127.0.0.1 is still served.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/main/store';
import { NginxEnforcer } from '../../src/main/response/enforcers/nginx';
import { ResponseService, type ResponseOptions } from '../../src/main/response/service';
import { silentLogger } from '../../src/main/response/log';
import {
  blockPlaybook,
  makeAlert,
  makeEvent,
  memoryService,
  nginxUnavailable,
  until,
} from './helpers';
import { startNginx, type NginxLab } from './nginx-lab';

const why = nginxUnavailable();
const DENY_BEFORE = '# site deny list\ndeny 198.51.100.7;\n';

function curlFrom(from: string, url: string): string {
  return spawnSync(
    'curl',
    ['-s', '-o', '/dev/null', '-w', '%{http_code}', '--interface', from, '--max-time', '2', url],
    { encoding: 'utf8' },
  ).stdout;
}

describe.skipIf(why)(`nginx deny-list enforcer${why ? ` — skipped: ${why}` : ''}`, () => {
  let lab: NginxLab;
  let denyFile: string;
  let enforcer: NginxEnforcer;

  beforeAll(async () => {
    lab = await startNginx({
      port: 43020,
      serverLines: ['include haechi-deny.conf;'],
      files: { 'haechi-deny.conf': DENY_BEFORE },
    });
    denyFile = join(lab.prefix, 'haechi-deny.conf');
    enforcer = new NginxEnforcer('nginx', {
      conf: lab.conf,
      prefix: lab.prefix,
      denyFile,
      probeUrl: lab.url,
    });
  });
  afterAll(async () => lab?.stop());

  // 127.0.0.2 is loopback: these tests lift the loopback protection on purpose.
  const service = (extra: Partial<ResponseOptions> = {}) =>
    memoryService(enforcer, { allowlist: { loopback: false }, ...extra });

  it('refuses curl --interface 127.0.0.2 after the block and still serves 127.0.0.1; rollback restores the file', async () => {
    expect(curlFrom('127.0.0.2', lab.url)).toBe('200');
    const svc = await service();
    svc.onAlert(makeAlert(), makeEvent({ 'source.ip': '127.0.0.2' }));
    await svc.idle();

    const [a] = svc.listActions();
    expect(a.state).toBe('applied');
    for (let i = 0; i < 5; i += 1) expect(curlFrom('127.0.0.2', lab.url)).toBe('403');
    expect(curlFrom('127.0.0.1', lab.url)).toBe('200');
    expect(readFileSync(denyFile, 'utf8')).toBe(`${DENY_BEFORE}deny 127.0.0.2; # haechi:${a.id}\n`);

    await svc.rollback(a.id, 'analyst:lee');
    expect(readFileSync(denyFile, 'utf8')).toBe(DENY_BEFORE);
    expect(await until(() => curlFrom('127.0.0.2', lab.url) === '200', 3000)).toBe(true);
    await svc.close();
  });

  it('confirms a block on an address it cannot probe from once the old workers have drained', async () => {
    const svc = await service();
    // Workers replaced by earlier tests' reloads may still be draining: wait for the steady two.
    expect(await until(() => enforcer.control.workers().length === 2, 5000)).toBe(true);
    const before = enforcer.control.workers();
    svc.onAlert(makeAlert(), makeEvent({ 'source.ip': '203.0.113.7' }));
    await svc.idle();
    const [a] = svc.listActions();
    expect(a.state).toBe('applied');
    const now = enforcer.control.workers();
    expect(now.filter((p) => before.includes(p))).toEqual([]);
    expect(readFileSync(denyFile, 'utf8')).toContain(`deny 203.0.113.7; # haechi:${a.id}\n`);
    await svc.rollback(a.id);
    expect(readFileSync(denyFile, 'utf8')).toBe(DENY_BEFORE);
    await svc.close();
  });

  it('removes the line when the TTL runs out', async () => {
    const svc = await service({ playbooks: [blockPlaybook({ ttl: '1s' })] });
    svc.onAlert(makeAlert(), makeEvent({ 'source.ip': '127.0.0.2' }));
    await svc.idle();
    expect(curlFrom('127.0.0.2', lab.url)).toBe('403');
    expect(await until(() => svc.listActions()[0].state === 'expired', 5000)).toBe(true);
    expect(readFileSync(denyFile, 'utf8')).toBe(DENY_BEFORE);
    expect(await until(() => curlFrom('127.0.0.2', lab.url) === '200', 3000)).toBe(true);
    await svc.close();
  });

  it('leaves an address the site already denies as it is, and rollback keeps the site line', async () => {
    const svc = await service();
    svc.onAlert(makeAlert(), makeEvent({ 'source.ip': '198.51.100.7' }));
    await svc.idle();
    const [a] = svc.listActions();
    expect(a.state).toBe('applied');
    expect(readFileSync(denyFile, 'utf8')).toBe(DENY_BEFORE);
    await svc.rollback(a.id);
    expect(readFileSync(denyFile, 'utf8')).toBe(DENY_BEFORE);
    await svc.close();
  });

  it('retries an unconfirmed block without a second line, and rollback still restores the file', async () => {
    const store = await Store.memory();
    const blind = new NginxEnforcer('nginx', {
      conf: lab.conf,
      prefix: lab.prefix,
      denyFile,
      probeUrl: 'http://127.0.0.1:43029/',
      confirmTimeoutMs: 200,
    });
    const opts = {
      store,
      playbooks: [blockPlaybook()],
      logger: silentLogger,
      allowlist: { loopback: false },
    };
    let svc = await ResponseService.create({
      ...opts,
      enforcers: [blind],
      retry: { attempts: 2, baseMs: 10 },
      breaker: { threshold: 5, cooldownMs: 60_000 },
    });
    svc.onAlert(makeAlert(), makeEvent({ 'source.ip': '127.0.0.2' }));
    await until(
      () => svc.listActions()[0]?.attempts === 2 && svc.listActions()[0].error !== undefined,
      5000,
    );
    const [a] = svc.listActions();
    expect([a.state, a.error]).toEqual(['pending', 'nginx: applied but not confirmed in force']);
    await svc.close();
    expect(readFileSync(denyFile, 'utf8')).toBe(`${DENY_BEFORE}deny 127.0.0.2; # haechi:${a.id}\n`);

    // Restarted with a probe that reaches nginx: the same line, confirmed; rollback removes it.
    svc = await ResponseService.create({ ...opts, enforcers: [enforcer] });
    await svc.idle();
    expect(svc.getAction(a.id)?.state).toBe('applied');
    expect(readFileSync(denyFile, 'utf8')).toBe(`${DENY_BEFORE}deny 127.0.0.2; # haechi:${a.id}\n`);
    await svc.rollback(a.id);
    expect(readFileSync(denyFile, 'utf8')).toBe(DENY_BEFORE);
    await svc.close();
  });

  it('refuses loopback under the default allowlist', async () => {
    const svc = await service({ allowlist: {} });
    svc.onAlert(makeAlert(), makeEvent({ 'source.ip': '127.0.0.2' }));
    await svc.idle();
    expect(svc.listActions()[0]).toMatchObject({
      state: 'failed',
      error: 'refused: 127.0.0.2 is in the allowlist (127.0.0.0/8)',
    });
    expect(readFileSync(denyFile, 'utf8')).toBe(DENY_BEFORE);
    await svc.close();
  });

  it('keeps the action pending while nginx is down and applies it once nginx is back', async () => {
    const pidFile = join(lab.prefix, 'nginx.pid');
    const realPid = readFileSync(pidFile, 'utf8');
    writeFileSync(pidFile, '999999\n'); // the master as seen by `nginx -s reload`: gone
    const svc = await service({
      retry: { attempts: 2, baseMs: 20 },
      breaker: { threshold: 1, cooldownMs: 300 },
    });
    svc.onAlert(makeAlert(), makeEvent({ 'source.ip': '127.0.0.2' }));
    await svc.idle();
    const [a] = svc.listActions();
    expect(a.state).toBe('pending');
    expect(a.attempts).toBe(2);
    expect(a.error).toBe('nginx -s reload: [alert] kill(999999, 1) failed (3: No such process)');
    expect(readFileSync(denyFile, 'utf8')).toBe(DENY_BEFORE);

    writeFileSync(pidFile, realPid);
    expect(await until(() => svc.getAction(a.id)?.state === 'applied', 5000)).toBe(true);
    expect(curlFrom('127.0.0.2', lab.url)).toBe('403');
    await svc.rollback(a.id);
    await svc.close();
  });
});
