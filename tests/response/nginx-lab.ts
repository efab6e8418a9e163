// A private nginx on 127.0.0.1 for enforcer tests: its own prefix folder, configuration and port,
// started in the foreground (daemon off) so the test owns the master's PID and stops it.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeStatus } from '../../src/main/response/enforcers/nginx-reload';
import { until } from './helpers';

export interface NginxLab {
  prefix: string;
  conf: string;
  port: number;
  url: string;
  master: ChildProcess;
  stop(): Promise<void>;
}

export interface NginxLabOptions {
  port: number;
  /** Lines inside `server { }` before the location (includes of deny lists and so on). */
  serverLines?: string[];
  /** Lines at the top of the main file (load_module …). */
  mainLines?: string[];
  /** Files to create under the prefix before start: relative path → content ({prefix} filled). */
  files?: Record<string, string>;
  workers?: number;
}

export async function startNginx(opts: NginxLabOptions): Promise<NginxLab> {
  const prefix = mkdtempSync(join(tmpdir(), 'haechi-nginx-'));
  chmodSync(prefix, 0o755); // workers run unprivileged and must read html/
  for (const d of ['logs', 'tmp', 'html']) mkdirSync(join(prefix, d));
  writeFileSync(join(prefix, 'html', 'index.html'), 'ok\n');
  const fill = (t: string) => t.replaceAll('{prefix}', prefix);
  for (const [rel, text] of Object.entries(opts.files ?? {}))
    writeFileSync(join(prefix, rel), fill(text));
  const conf = join(prefix, 'nginx.conf');
  const tmp = join(prefix, 'tmp');
  writeFileSync(
    conf,
    [
      ...(opts.mainLines ?? []).map(fill),
      `worker_processes ${opts.workers ?? 2};`,
      `pid ${prefix}/nginx.pid;`,
      `error_log ${prefix}/logs/error.log warn;`,
      'events { worker_connections 256; }',
      'http {',
      '  access_log off;',
      `  client_body_temp_path ${tmp}/body; proxy_temp_path ${tmp}/proxy; fastcgi_temp_path ${tmp}/fcgi;`,
      `  uwsgi_temp_path ${tmp}/uwsgi; scgi_temp_path ${tmp}/scgi;`,
      '  server {',
      `    listen 127.0.0.1:${opts.port};`,
      ...(opts.serverLines ?? []).map((l) => `    ${fill(l)}`),
      // A static file, not `return`: `return` answers in the rewrite phase, before access checks.
      `    location / { root ${prefix}/html; index index.html; }`,
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  const master = spawn('nginx', ['-p', prefix, '-c', conf, '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  master.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = `http://127.0.0.1:${opts.port}/`;
  const up = await until(
    async () =>
      (await probeStatus({ url, localAddress: '127.0.0.1' }, 500)) === 200 ||
      master.exitCode !== null,
    10_000,
  );
  if (!up || master.exitCode !== null) {
    if (master.exitCode === null) {
      master.kill('SIGTERM');
      await new Promise((r) => master.once('exit', r));
    }
    rmSync(prefix, { recursive: true, force: true });
    throw new Error(`nginx did not start: ${stderr.trim()}`);
  }
  const stop = async () => {
    if (master.exitCode === null) {
      master.kill('SIGTERM');
      await new Promise((r) => master.once('exit', r));
    }
    rmSync(prefix, { recursive: true, force: true });
  };
  return { prefix, conf, port: opts.port, url, master, stop };
}
