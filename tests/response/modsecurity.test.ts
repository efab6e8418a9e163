// ModSecurity in a real nginx (libnginx-mod-http-modsecurity, with the OWASP CRS when installed):
// a generated rule refuses the matching request, a normal one is still served.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModSecurityEnforcer } from '../../src/main/response/enforcers/modsecurity';
import type { ResponseOptions } from '../../src/main/response/service';
import { parsePlaybook } from '../../src/main/response/playbook';
import {
  blockPlaybook,
  makeAlert,
  makeEvent,
  memoryService,
  nginxUnavailable,
  until,
} from './helpers';
import { startNginx, type NginxLab } from './nginx-lab';

const MODULE = '/usr/lib/nginx/modules/ngx_http_modsecurity_module.so';
// libmodsecurity has no IncludeOptional, so the CRS loader file cannot be used as it is.
const CRS = ['/etc/modsecurity/crs/crs-setup.conf', '/usr/share/modsecurity-crs/rules/*.conf'];
const why =
  nginxUnavailable() ??
  (existsSync(MODULE) ? null : `${MODULE} missing (install libnginx-mod-http-modsecurity)`);
const UA = 'evilbot/4.2 (build 7)';

function wafPlaybook(ttl = '10m', extra = ''): ReturnType<typeof parsePlaybook> {
  const yaml = `name: waf-scanner\nmode: auto\nwhen:\n  minScore: 50\nthen:\n  - action: waf-rule\n    field: user-agent\n    match: contains\n    value: '{{user_agent.original}}'\n    ttl: ${ttl}\n${extra}`;
  return parsePlaybook(yaml, 'waf.yaml');
}

function curlFrom(from: string, url: string): string {
  return curl(url, '--interface', from);
}

function curl(url: string, ...args: string[]): string {
  return spawnSync(
    'curl',
    ['-s', '-o', '/dev/null', '-w', '%{http_code}', '--max-time', '3', ...args, url],
    { encoding: 'utf8' },
  ).stdout;
}

describe.skipIf(why)(`ModSecurity enforcer${why ? ` — skipped: ${why}` : ''}`, () => {
  let lab: NginxLab;
  let rulesFile: string;
  let enforcer: ModSecurityEnforcer;

  beforeAll(async () => {
    const main = [
      'SecRuleEngine On',
      ...(existsSync(CRS[0]) ? CRS.map((f) => `Include ${f}`) : []),
      'Include {prefix}/haechi-waf.conf',
    ];
    lab = await startNginx({
      port: 43030,
      mainLines: [`load_module ${MODULE};`],
      serverLines: ['modsecurity on;', 'modsecurity_rules_file {prefix}/modsec-main.conf;'],
      files: { 'haechi-waf.conf': '', 'modsec-main.conf': main.join('\n') + '\n' },
    });
    rulesFile = join(lab.prefix, 'haechi-waf.conf');
    enforcer = new ModSecurityEnforcer('modsec', {
      conf: lab.conf,
      prefix: lab.prefix,
      rulesFile,
      probeUrl: lab.url,
    });
  });
  afterAll(async () => lab?.stop());

  const service = (extra: Partial<ResponseOptions> = {}) =>
    memoryService(enforcer, { playbooks: [wafPlaybook()], ...extra });

  it('refuses the matching user agent with 403, serves others, and rollback restores the file', async () => {
    expect(curl(lab.url, '-A', UA)).toBe('200');
    const svc = await service();
    svc.onAlert(
      makeAlert({ score: 60 }),
      makeEvent({ 'user_agent.original': UA, 'source.ip': '203.0.113.5' }),
    );
    await svc.idle();
    const [a] = svc.listActions();
    expect(a).toMatchObject({
      state: 'applied',
      kind: 'waf-rule',
      target: `user-agent contains ${UA}`,
      enforcer: 'modsec',
    });
    expect(readFileSync(rulesFile, 'utf8')).toContain(
      `SecRule REQUEST_HEADERS:User-Agent "@contains ${UA}" "id:9100000,phase:1,deny,status:403`,
    );
    expect(curl(lab.url, '-A', UA)).toBe('403');
    expect(curl(lab.url, '-A', 'Mozilla/5.0 (X11; Linux x86_64)')).toBe('200');

    await svc.rollback(a.id);
    expect(readFileSync(rulesFile, 'utf8')).toBe('');
    expect(curl(lab.url, '-A', UA)).toBe('200');
    await svc.close();
  });

  it('blocks a parameter pattern and a path, each confirmed by its own probe', async () => {
    const yaml = `name: waf-param\nmode: auto\nwhen: {}\nthen:\n  - action: waf-rule\n    field: parameter\n    name: id\n    match: equals\n    value: "1 union select"\n    ttl: 1h\n  - action: waf-rule\n    field: path\n    match: starts-with\n    value: /wp-login.php\n    ttl: 1h\n`;
    const svc = await service({ playbooks: [parsePlaybook(yaml, 'p.yaml')] });
    svc.onAlert(makeAlert(), makeEvent({}));
    await svc.idle();
    expect(svc.listActions().map((a) => a.state)).toEqual(['applied', 'applied']);
    expect(curl(`${lab.url}?id=1%20union%20select`)).toBe('403');
    expect(curl(`${lab.url}?id=7`)).toBe('200');
    expect(curl(`${lab.url}wp-login.php`)).toBe('403');
    for (const a of svc.listActions()) await svc.rollback(a.id);
    expect(readFileSync(rulesFile, 'utf8')).toBe('');
    await svc.close();
  });

  it('blocks an address with an @ipMatch rule, and refuses loopback under the default allowlist', async () => {
    const block = blockPlaybook({ enforcer: 'modsec' });
    const svc = await service({ playbooks: [block], allowlist: { loopback: false } });
    expect(curlFrom('127.0.0.2', lab.url)).toBe('200');
    svc.onAlert(makeAlert(), makeEvent({ 'source.ip': '127.0.0.2' }));
    await svc.idle();
    const [a] = svc.listActions();
    expect(a.state).toBe('applied');
    expect(readFileSync(rulesFile, 'utf8')).toContain(
      'SecRule REMOTE_ADDR "@ipMatch 127.0.0.2" "id:9100000,phase:1,deny',
    );
    expect(curlFrom('127.0.0.2', lab.url)).toBe('403');
    expect(curlFrom('127.0.0.1', lab.url)).toBe('200');
    await svc.rollback(a.id);
    expect(readFileSync(rulesFile, 'utf8')).toBe('');
    await svc.close();

    const guarded = await service({ playbooks: [block] });
    guarded.onAlert(makeAlert(), makeEvent({ 'source.ip': '127.0.0.2' }));
    await guarded.idle();
    expect(guarded.listActions()[0]).toMatchObject({
      state: 'failed',
      error: 'refused: 127.0.0.2 is in the allowlist (127.0.0.0/8)',
    });
    expect(readFileSync(rulesFile, 'utf8')).toBe('');
    await guarded.close();
  });

  it('fails a rule an attacker value would break, and writes nothing', async () => {
    const svc = await service();
    svc.onAlert(makeAlert(), makeEvent({ 'user_agent.original': 'x" "id:1,pass' }));
    await svc.idle();
    const [a] = svc.listActions();
    expect(a.state).toBe('failed');
    expect(a.error).toBe(
      'modsec: SecRule rejected: rule must have a variable, an operator and actions (found 4 parts)',
    );
    expect(readFileSync(rulesFile, 'utf8')).toBe('');
    await svc.close();
  });

  it('removes the rule when its TTL runs out', async () => {
    const svc = await service({ playbooks: [wafPlaybook('1s')] });
    svc.onAlert(makeAlert(), makeEvent({ 'user_agent.original': UA }));
    await svc.idle();
    expect(curl(lab.url, '-A', UA)).toBe('403');
    expect(await until(() => svc.listActions()[0].state === 'expired', 8000)).toBe(true);
    expect(readFileSync(rulesFile, 'utf8')).toBe('');
    expect(await until(() => curl(lab.url, '-A', UA) === '200', 5000)).toBe(true);
    await svc.close();
  });

  it('keeps the rule pending while nginx is down, then applies it', async () => {
    const pidFile = join(lab.prefix, 'nginx.pid');
    const realPid = readFileSync(pidFile, 'utf8');
    writeFileSync(pidFile, '999999\n');
    const svc = await service({
      retry: { attempts: 2, baseMs: 20 },
      breaker: { threshold: 1, cooldownMs: 300 },
    });
    svc.onAlert(makeAlert(), makeEvent({ 'user_agent.original': UA }));
    await svc.idle();
    const [a] = svc.listActions();
    expect([a.state, a.attempts, a.error]).toEqual([
      'pending',
      2,
      'nginx -s reload: [alert] kill(999999, 1) failed (3: No such process)',
    ]);
    expect(readFileSync(rulesFile, 'utf8')).toBe('');
    writeFileSync(pidFile, realPid);
    expect(await until(() => svc.getAction(a.id)?.state === 'applied', 8000)).toBe(true);
    expect(curl(lab.url, '-A', UA)).toBe('403');
    await svc.rollback(a.id);
    await svc.close();
  });
});
