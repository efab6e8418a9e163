// A private CrowdSec Local API for tests: the Debian package's config copied to a temp folder,
// listening on a loopback port, with its own SQLite database and logs, no Central API, no agent
// (`-no-cs`). Machine and bouncer credentials are created with cscli against that database.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { until } from './helpers';

const SYSTEM_CONFIG = '/etc/crowdsec/config.yaml';

export function crowdsecUnavailable(): string | null {
  if (spawnSync('crowdsec', ['-version'], { stdio: 'ignore' }).status !== 0) {
    return 'crowdsec is not installed (apt-get install crowdsec, then the offline fix in INFRA.md)';
  }
  if (!existsSync(SYSTEM_CONFIG))
    return `${SYSTEM_CONFIG} is missing (finish the package setup: dpkg --configure -a)`;
  return null;
}

export interface CrowdsecLab {
  url: string;
  dir: string;
  config: string;
  machineId: string;
  machinePassword: string;
  haechiBouncerKey: string;
  /** A second bouncer, standing for the site's firewall bouncer. */
  siteBouncerKey: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  cscli(...args: string[]): string;
  destroy(): Promise<void>;
}

export async function createCrowdsecLab(port: number): Promise<CrowdsecLab> {
  const dir = mkdtempSync(join(tmpdir(), 'haechi-crowdsec-'));
  mkdirSync(join(dir, 'data'));
  const c = parse(readFileSync(SYSTEM_CONFIG, 'utf8'));
  c.common = { ...c.common, daemonize: false, log_media: 'file', log_dir: dir };
  c.config_paths.data_dir = join(dir, 'data') + '/';
  c.db_config = { ...c.db_config, db_path: join(dir, 'crowdsec.db'), use_wal: false };
  c.api.client.credentials_path = join(dir, 'lapi-credentials.yaml');
  c.api.server.listen_uri = `127.0.0.1:${port}`;
  delete c.api.server.online_client;
  c.prometheus = { ...c.prometheus, enabled: false };
  const config = join(dir, 'config.yaml');
  writeFileSync(config, stringify(c));

  const cscli = (...args: string[]): string => {
    const r = spawnSync('cscli', ['-c', config, ...args], { encoding: 'utf8' });
    if (r.status !== 0)
      throw new Error(`cscli ${args[0]} ${args[1]}: ${r.stderr.trim().split('\n').at(-1)}`);
    return r.stdout;
  };
  const lab = {
    url: `http://127.0.0.1:${port}`,
    dir,
    config,
    machineId: 'haechi-test',
    machinePassword: randomBytes(18).toString('hex'),
    haechiBouncerKey: randomBytes(18).toString('hex'),
    siteBouncerKey: randomBytes(18).toString('hex'),
    cscli,
  };
  cscli(
    'machines',
    'add',
    lab.machineId,
    '--password',
    lab.machinePassword,
    '-f',
    join(dir, 'lapi-credentials.yaml'),
  );
  cscli('bouncers', 'add', 'haechi-confirm', '-k', lab.haechiBouncerKey);
  cscli('bouncers', 'add', 'site-firewall', '-k', lab.siteBouncerKey);

  let child: ChildProcess | null = null;
  const start = async () => {
    child = spawn('crowdsec', ['-c', config, '-no-cs'], { stdio: 'ignore' });
    const up = await until(
      async () =>
        (
          await fetch(`${lab.url}/v1/decisions?ip=192.0.2.1`, {
            headers: { 'x-api-key': lab.siteBouncerKey, 'user-agent': 'site-bouncer/1.0' },
          }).catch(() => null)
        )?.ok,
      15_000,
      100,
    );
    if (!up)
      throw new Error(`crowdsec Local API did not start on ${lab.url}; see ${dir}/crowdsec.log`);
  };
  const stop = async () => {
    const c0 = child;
    child = null;
    if (c0 && c0.exitCode === null) {
      c0.kill('SIGTERM');
      await new Promise((r) => c0.once('exit', r));
    }
  };
  await start();
  return {
    ...lab,
    start,
    stop,
    destroy: async () => (await stop(), rmSync(dir, { recursive: true, force: true })),
  };
}
